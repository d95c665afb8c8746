package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/idem"
	"civicpoints/internal/station"
)

// orderItem is an order as staff see it. The pickup code is left out: it is
// what the resident shows at the counter, and a list that carried it would
// let anyone holding the token collect the goods.
type orderItem struct {
	ID           string         `json:"id"`
	Number       string         `json:"number"`
	ResidentID   string         `json:"resident_id"`
	Channel      string         `json:"channel" jsonschema:"enum=counter,enum=online,enum=api"`
	Status       string         `json:"status" jsonschema:"example=reserved"`
	Points       int64          `json:"points"`
	TransferID   string         `json:"transfer_id"`
	CreatedAt    time.Time      `json:"created_at"`
	ReleaseAfter *time.Time     `json:"release_after,omitempty" jsonschema_description:"when an uncollected online order is given back"`
	ClosedAt     *time.Time     `json:"closed_at,omitempty"`
	Lines        []station.Line `json:"lines"`
}

func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

func orderOf(o station.Order) orderItem {
	lines := o.Lines
	if lines == nil {
		lines = []station.Line{}
	}
	return orderItem{o.ID, o.Number, o.ResidentID, o.Channel, o.Status, o.Points, o.TransferID, o.CreatedAt.UTC(),
		timeOrNil(o.ReleaseAfter), timeOrNil(o.ClosedAt), lines}
}

// listOrders lists the online orders waiting for pickup, oldest first, as
// the clerk's orders page does; ?resident= lists one resident's orders,
// newest first, by keyset.
func (s *Server) listOrders(w http.ResponseWriter, r *http.Request) error {
	limit, cursor, err := pageArgs(r, 200)
	if err != nil {
		return err
	}
	if rid := r.URL.Query().Get("resident"); rid != "" {
		before, err := int64Cursor(cursor)
		if err != nil {
			return err
		}
		os, err := station.ResidentOrders(r.Context(), s.DB, community(r), rid, before, limit)
		if err != nil {
			return err
		}
		next := ""
		if len(os) == limit {
			next = strconv.FormatInt(os[len(os)-1].CreatedAt.UnixMilli(), 10)
		}
		return writeList(w, mapList(os, orderOf), next)
	}
	if cursor != "" {
		return civic.Errorf(civic.Invalid, "api.queue_no_cursor", "this list is a queue: handle its first items and ask again, without a cursor")
	}
	os, err := station.Reserved(r.Context(), s.DB, community(r), limit)
	if err != nil {
		return err
	}
	return writeList(w, mapList(os, orderOf), "")
}

func (s *Server) getOrder(w http.ResponseWriter, r *http.Request) error {
	o, err := station.GetOrder(r.Context(), s.DB, community(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, orderOf(o))
	return nil
}

type pickupRequest struct {
	Code string `json:"code" jsonschema_description:"the pickup code the resident shows, scanned or typed"`
}

func (s *Server) pickup(w http.ResponseWriter, r *http.Request) error {
	req, err := readJSON[pickupRequest](r)
	if err != nil {
		return err
	}
	return runCommand(w, r, func(ctx context.Context, by civic.Actor, key idem.Key) (station.Order, error) {
		return s.Station.Fulfil(ctx, by, key, station.FulfilRequest{Community: community(r), Code: req.Code})
	}, func(o station.Order) any { return orderOf(o) })
}

type settingsItem struct {
	FenPerPoint       int64 `json:"fen_per_point" jsonschema_description:"fen of donated funds that back one point"`
	CoverThresholdPct int64 `json:"cover_threshold_pct" jsonschema_description:"warn when cover falls below this percentage"`
	ReleaseDays       int64 `json:"release_days" jsonschema_description:"uncollected online orders are released after this many days"`
	FundsFen          int64 `json:"funds_fen,omitempty" jsonschema:"readOnly=true" jsonschema_description:"donated funds not yet spent (answers only)"`
}

func (s *Server) getStationSettings(w http.ResponseWriter, r *http.Request) error {
	st, err := station.GetSettings(r.Context(), s.DB, community(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, settingsItem{st.FenPerPoint, st.CoverThresholdPct, st.ReleaseDays, st.FundsFen})
	return nil
}

func (s *Server) saveStationSettings(w http.ResponseWriter, r *http.Request) error {
	req, err := readJSON[settingsItem](r)
	if err != nil {
		return err
	}
	if req.FundsFen != 0 {
		return civic.Errorf(civic.Invalid, "api.funds_by_donations", "the station's funds change only through donations and purchases")
	}
	return runCommand(w, r, func(ctx context.Context, by civic.Actor, key idem.Key) (station.Settings, error) {
		return s.Station.SaveSettings(ctx, by, key, station.SettingsRequest{Community: community(r), FenPerPoint: req.FenPerPoint,
			CoverThresholdPct: req.CoverThresholdPct, ReleaseDays: req.ReleaseDays})
	}, func(st station.Settings) any {
		return settingsItem{st.FenPerPoint, st.CoverThresholdPct, st.ReleaseDays, st.FundsFen}
	})
}

type coverItem struct {
	Outstanding  int64 `json:"outstanding" jsonschema_description:"points residents hold"`
	StockPoints  int64 `json:"stock_points" jsonschema_description:"stock on the shelf at its points price"`
	FundsFen     int64 `json:"funds_fen"`
	FundsPoints  int64 `json:"funds_points"`
	Backing      int64 `json:"backing"`
	Percent      int64 `json:"percent" jsonschema_description:"backing over outstanding points, in whole percent"`
	ThresholdPct int64 `json:"threshold_pct"`
	Warn         bool  `json:"warn"`
}

func (s *Server) cover(w http.ResponseWriter, r *http.Request) error {
	c, err := station.GetCover(r.Context(), s.DB, community(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, coverItem{c.Outstanding, c.StockPoints, c.FundsFen, c.FundsPoints, c.Backing, c.Percent, c.ThresholdPct, c.Warn})
	return nil
}

func stationRoutes() []route {
	c := "/api/v1/communities/{c}"
	good := "0191f3a2c4d5e6f708192a3b4d"
	return []route{
		{"GET", c + "/goods", append(readers, civic.RoleMerchant), "station:read", (*Server).listGoods, doc{tag: "station",
			summary: "List the station's goods", desc: "The goods on the shelf (tens, one page); all=true adds those taken off it (workers and clerks).",
			query: []param{{"all", "boolean", "also list goods taken off the shelf"}}, answer: page[goodItem]{}}},
		{"POST", c + "/goods", staff, "station:write", (*Server).createGood, doc{tag: "station",
			summary: "Add a good", body: goodRequest{}, answer: goodItem{}, status: 201,
			example: goodRequest{Name: "食用油 1.8L", Unit: "桶", Points: 25, Stock: 20}}},
		{"PUT", c + "/goods/{id}", staff, "station:write", (*Server).updateGood, doc{tag: "station",
			summary: "Edit a good (name, unit, category, price, on the shelf)", body: goodRequest{}, answer: goodItem{}, status: 201,
			example: goodRequest{Name: "食用油 1.8L", Unit: "桶", Points: 28}}},
		{"GET", c + "/goods/{id}/moves", staff, "station:read", (*Server).listMoves, doc{tag: "station",
			summary: "A good's stock statement, newest first", list: 200, answer: page[moveItem]{}}},
		{"POST", c + "/goods/{id}/write-offs", staff, "station:write", (*Server).writeOff, doc{tag: "station",
			summary: "Write off damaged or expired stock", body: writeOffRequest{}, answer: moveItem{}, status: 201,
			example: writeOffRequest{Quantity: 2, Reason: "包装破损"}}},
		{"POST", c + "/goods/{id}/stock-takes", staff, "station:write", (*Server).stockTake, doc{tag: "station",
			summary: "Record a stock count", desc: "The move brings the stock to the counted figure; a redemption in between is a conflict (count again).",
			body: stockTakeRequest{}, answer: moveItem{}, status: 201, example: stockTakeRequest{Counted: 18, Reason: "月末盘点"}}},
		{"GET", c + "/donors", staff, "station:read", (*Server).listDonors, doc{tag: "station",
			summary: "Donors with their totals, largest giver first", answer: page[donorItem]{}}},
		{"POST", c + "/donors", staff, "station:write", (*Server).createDonor, doc{tag: "station",
			summary: "Add a donor", body: donorRequest{}, answer: donorItem{}, status: 201,
			example: donorRequest{Name: "衢江农商银行", Kind: "bank", Thanks: true}}},
		{"GET", c + "/donations", staff, "station:read", (*Server).listDonations, doc{tag: "station",
			summary: "Donations, newest first", list: 200, answer: page[donationItem]{}}},
		{"POST", c + "/donations/goods", staff, "station:write", (*Server).donateGoods, doc{tag: "station",
			summary: "Record a donation of goods", desc: "Adds the goods to stock.", body: goodsDonationRequest{}, answer: donationItem{}, status: 201,
			example: goodsDonationRequest{DonorID: "0191f3a2c4d5e6f708192a3b50", GoodID: good, Quantity: 50}}},
		{"POST", c + "/donations/funds", staff, "station:write", (*Server).donateFunds, doc{tag: "station",
			summary: "Record a donation of funds", body: fundsDonationRequest{}, answer: donationItem{}, status: 201,
			example: fundsDonationRequest{DonorID: "0191f3a2c4d5e6f708192a3b50", AmountFen: 500000, Note: "2025 年度"}}},
		{"POST", c + "/purchases", staff, "station:write", (*Server).purchase, doc{tag: "station",
			summary: "Record goods bought with donated funds", body: purchaseRequest{}, answer: purchaseItem{}, status: 201,
			example: purchaseRequest{GoodID: good, Quantity: 20, AmountFen: 120000, Supplier: "衢州粮油公司"}}},
		{"GET", c + "/orders", staff, "station:read", (*Server).listOrders, doc{tag: "station",
			summary: "Online orders waiting for pickup, oldest first; or one resident's orders",
			desc:    "Without resident it is the pickup queue: the first limit orders, no cursor (collected and released orders leave it). With resident, that resident's orders newest first, by keyset.",
			query:   []param{{"resident", "string", "a resident's id: list their orders"}}, list: 200, answer: page[orderItem]{}}},
		{"GET", c + "/orders/{id}", staff, "station:read", (*Server).getOrder, doc{tag: "station",
			summary: "One order with its lines", answer: orderItem{}}},
		{"POST", c + "/pickups", []civic.Role{civic.RoleClerk, civic.RoleWorker}, "redemptions:write", (*Server).pickup, doc{tag: "station",
			summary: "Hand over an online order", desc: "The resident's pickup code closes the order once; a released or collected order says what happened to it.",
			body: pickupRequest{}, answer: orderItem{}, status: 201, example: pickupRequest{Code: "7Q4K-2M9X"}}},
		{"GET", c + "/station/settings", staff, "station:read", (*Server).getStationSettings, doc{tag: "station",
			summary: "The station's settings", answer: settingsItem{}}},
		{"PUT", c + "/station/settings", workers, "station:write", (*Server).saveStationSettings, doc{tag: "station",
			summary: "Save the station's settings", body: settingsItem{}, answer: settingsItem{}, status: 201,
			example: settingsItem{FenPerPoint: 100, CoverThresholdPct: 80, ReleaseDays: 7}}},
		{"GET", c + "/station/cover", []civic.Role{civic.RoleWorker, civic.RoleDistrict, civic.RoleAdmin}, "station:read", (*Server).cover, doc{tag: "station",
			summary: "How far stock and funds back the points residents hold", answer: coverItem{}}},
	}
}
