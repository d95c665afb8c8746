package api

// The integrity station: goods, stock statements and moves, donors and
// donations, purchases, online orders and their pickup, settings and cover.
// Each command is the one the clerk's and the worker's station pages call.

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/idem"
	"civicpoints/internal/station"
)

type goodItem struct {
	ID       string `json:"id"`
	Name     string `json:"name" jsonschema:"example=大米 5kg"`
	Unit     string `json:"unit,omitempty" jsonschema:"example=袋"`
	Category string `json:"category,omitempty"`
	Points   int64  `json:"points"`
	Stock    int64  `json:"stock"`
	Active   bool   `json:"active"`
}

func goodOf(g station.Good) goodItem {
	return goodItem{g.ID, g.Name, g.Unit, g.Category, g.Points, g.Stock, g.Active}
}

// listGoods lists the goods on the shelf; ?all=true adds the goods taken off
// it (for staff). A station has tens of goods, so the list is one page.
func (s *Server) listGoods(w http.ResponseWriter, r *http.Request) error {
	list := station.ListGoods
	if r.URL.Query().Get("all") == "true" {
		if a := actorOf(r); a.Role != civic.RoleWorker && a.Role != civic.RoleClerk {
			return civic.Errorf(civic.Forbidden, "api.role", "a %s token may not do this", a.Role)
		}
		list = station.AllGoods
	}
	goods, err := list(r.Context(), s.DB, community(r))
	if err != nil {
		return err
	}
	return writeList(w, mapList(goods, goodOf), "")
}

type goodRequest struct {
	Name     string `json:"name"`
	Unit     string `json:"unit,omitempty"`
	Category string `json:"category,omitempty"`
	Points   int64  `json:"points" jsonschema:"minimum=1"`
	Stock    int64  `json:"stock,omitempty" jsonschema_description:"opening stock, recorded as a stock move (new goods only)"`
	Active   *bool  `json:"active,omitempty" jsonschema_description:"false takes the good off the shelf (edits only; default true)"`
}

func (s *Server) createGood(w http.ResponseWriter, r *http.Request) error {
	req, err := readJSON[goodRequest](r)
	if err != nil {
		return err
	}
	return runCommand(w, r, func(ctx context.Context, by civic.Actor, key idem.Key) (station.Good, error) {
		return s.Station.CreateGood(ctx, by, key, station.CreateGoodRequest{Community: community(r), Name: req.Name,
			Unit: req.Unit, Category: req.Category, Points: req.Points, Stock: req.Stock})
	}, func(g station.Good) any { return goodOf(g) })
}

func (s *Server) updateGood(w http.ResponseWriter, r *http.Request) error {
	req, err := readJSON[goodRequest](r)
	if err != nil {
		return err
	}
	if req.Stock != 0 {
		return civic.Errorf(civic.Invalid, "api.stock_by_moves", "stock changes only through donations, purchases, write-offs and stock-takes")
	}
	active := req.Active == nil || *req.Active
	return runCommand(w, r, func(ctx context.Context, by civic.Actor, key idem.Key) (station.Good, error) {
		return s.Station.UpdateGood(ctx, by, key, station.UpdateGoodRequest{Community: community(r), Good: r.PathValue("id"),
			Name: req.Name, Unit: req.Unit, Category: req.Category, Points: req.Points, Active: active})
	}, func(g station.Good) any { return goodOf(g) })
}

type moveItem struct {
	ID         string    `json:"id"`
	GoodID     string    `json:"good_id"`
	Delta      int64     `json:"delta"`
	Kind       string    `json:"kind" jsonschema:"enum=initial,enum=donation,enum=purchase,enum=redemption,enum=return,enum=release,enum=write_off,enum=stocktake"`
	RefID      string    `json:"ref_id,omitempty" jsonschema_description:"the donation, purchase or order"`
	Reason     string    `json:"reason,omitempty"`
	At         time.Time `json:"at"`
	Seq        int64     `json:"seq"`
	StockAfter int64     `json:"stock_after"`
}

func moveOf(m station.Move) moveItem {
	return moveItem{m.ID, m.GoodID, m.Delta, string(m.Kind), m.RefID, m.Reason, m.At.UTC(), m.Seq, m.StockAfter}
}

// int64Cursor reads a cursor that is a number the capability pages by.
func int64Cursor(c string) (int64, error) {
	if c == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(c, 10, 64)
	if err != nil || n < 1 {
		return 0, civic.Errorf(civic.Invalid, "api.bad_cursor", "the cursor %q is not one this list gave", c)
	}
	return n, nil
}

func (s *Server) listMoves(w http.ResponseWriter, r *http.Request) error {
	limit, cursor, err := pageArgs(r, 200)
	if err != nil {
		return err
	}
	before, err := int64Cursor(cursor)
	if err != nil {
		return err
	}
	if _, err := station.GetGood(r.Context(), s.DB, community(r), r.PathValue("id")); err != nil {
		return err
	}
	moves, err := station.Moves(r.Context(), s.DB, community(r), r.PathValue("id"), before, limit)
	if err != nil {
		return err
	}
	next := ""
	if len(moves) == limit {
		next = strconv.FormatInt(moves[len(moves)-1].Seq, 10)
	}
	return writeList(w, mapList(moves, moveOf), next)
}

type writeOffRequest struct {
	Quantity int64  `json:"quantity" jsonschema:"minimum=1"`
	Reason   string `json:"reason" jsonschema:"example=包装破损"`
}

type stockTakeRequest struct {
	Counted int64  `json:"counted" jsonschema:"minimum=0" jsonschema_description:"what is on the shelf; the move makes the stock this figure"`
	Reason  string `json:"reason"`
}

func (s *Server) writeOff(w http.ResponseWriter, r *http.Request) error {
	req, err := readJSON[writeOffRequest](r)
	if err != nil {
		return err
	}
	return runCommand(w, r, func(ctx context.Context, by civic.Actor, key idem.Key) (station.Move, error) {
		return s.Station.WriteOff(ctx, by, key, station.WriteOffRequest{Community: community(r), Good: r.PathValue("id"),
			Quantity: req.Quantity, Reason: req.Reason})
	}, func(m station.Move) any { return moveOf(m) })
}

func (s *Server) stockTake(w http.ResponseWriter, r *http.Request) error {
	req, err := readJSON[stockTakeRequest](r)
	if err != nil {
		return err
	}
	return runCommand(w, r, func(ctx context.Context, by civic.Actor, key idem.Key) (station.Move, error) {
		return s.Station.StockTake(ctx, by, key, station.StockTakeRequest{Community: community(r), Good: r.PathValue("id"),
			Counted: req.Counted, Reason: req.Reason})
	}, func(m station.Move) any { return moveOf(m) })
}

type donorItem struct {
	ID        string `json:"id"`
	Name      string `json:"name" jsonschema:"example=衢江区慈善总会"`
	Kind      string `json:"kind" jsonschema:"enum=association,enum=bank,enum=company,enum=person"`
	Thanks    bool   `json:"thanks" jsonschema_description:"named on the public thank-you list"`
	Donations int64  `json:"donations"`
	Points    int64  `json:"points" jsonschema_description:"points of backing given, goods and funds together"`
	FundsFen  int64  `json:"funds_fen"`
}

// listDonors lists every donor with their totals, largest giver first; a
// station has at most hundreds (station.Donors bounds the list at 500).
func (s *Server) listDonors(w http.ResponseWriter, r *http.Request) error {
	ds, err := station.Donors(r.Context(), s.DB, community(r), false)
	if err != nil {
		return err
	}
	return writeList(w, mapList(ds, func(d station.DonorTotal) donorItem {
		return donorItem{d.ID, d.Name, string(d.Kind), d.Thanks, d.Donations, d.Points, d.FundsFen}
	}), "")
}

type donorRequest struct {
	Name   string `json:"name"`
	Kind   string `json:"kind" jsonschema:"enum=association,enum=bank,enum=company,enum=person"`
	Thanks bool   `json:"thanks"`
}

func (s *Server) createDonor(w http.ResponseWriter, r *http.Request) error {
	req, err := readJSON[donorRequest](r)
	if err != nil {
		return err
	}
	return runCommand(w, r, func(ctx context.Context, by civic.Actor, key idem.Key) (station.Donor, error) {
		return s.Station.CreateDonor(ctx, by, key, station.DonorRequest{Community: community(r), Name: req.Name,
			Kind: station.DonorKind(req.Kind), Thanks: req.Thanks})
	}, func(d station.Donor) any {
		return donorItem{ID: d.ID, Name: d.Name, Kind: string(d.Kind), Thanks: d.Thanks}
	})
}

type donationItem struct {
	ID        string    `json:"id"`
	DonorID   string    `json:"donor_id"`
	DonorName string    `json:"donor_name"`
	Kind      string    `json:"kind" jsonschema:"enum=goods,enum=funds"`
	GoodID    string    `json:"good_id,omitempty"`
	GoodName  string    `json:"good_name,omitempty"`
	Quantity  int64     `json:"quantity,omitempty"`
	AmountFen int64     `json:"amount_fen,omitempty"`
	Points    int64     `json:"points" jsonschema_description:"points of backing: goods at their price, funds at the community's rate"`
	Note      string    `json:"note,omitempty"`
	At        time.Time `json:"at"`
}

func donationOf(d station.Donation) donationItem {
	return donationItem{d.ID, d.DonorID, d.DonorName, d.Kind, d.GoodID, d.GoodName, d.Quantity, d.AmountFen, d.Points, d.Note, d.At.UTC()}
}

func (s *Server) listDonations(w http.ResponseWriter, r *http.Request) error {
	limit, cursor, err := pageArgs(r, 200)
	if err != nil {
		return err
	}
	before, err := int64Cursor(cursor)
	if err != nil {
		return err
	}
	ds, err := station.RecentDonations(r.Context(), s.DB, community(r), before, limit)
	if err != nil {
		return err
	}
	next := ""
	if len(ds) == limit {
		next = strconv.FormatInt(ds[len(ds)-1].At.UnixMilli(), 10)
	}
	return writeList(w, mapList(ds, donationOf), next)
}

type goodsDonationRequest struct {
	DonorID  string `json:"donor_id"`
	GoodID   string `json:"good_id"`
	Quantity int64  `json:"quantity" jsonschema:"minimum=1"`
	Note     string `json:"note,omitempty"`
}

type fundsDonationRequest struct {
	DonorID   string `json:"donor_id"`
	AmountFen int64  `json:"amount_fen" jsonschema:"minimum=1" jsonschema_description:"the amount in fen (0.01 yuan)"`
	Note      string `json:"note,omitempty"`
}

func (s *Server) donateGoods(w http.ResponseWriter, r *http.Request) error {
	req, err := readJSON[goodsDonationRequest](r)
	if err != nil {
		return err
	}
	return runCommand(w, r, func(ctx context.Context, by civic.Actor, key idem.Key) (station.Donation, error) {
		return s.Station.DonateGoods(ctx, by, key, station.DonateGoodsRequest{Community: community(r), Donor: req.DonorID,
			Good: req.GoodID, Quantity: req.Quantity, Note: req.Note})
	}, func(d station.Donation) any { return donationOf(d) })
}

func (s *Server) donateFunds(w http.ResponseWriter, r *http.Request) error {
	req, err := readJSON[fundsDonationRequest](r)
	if err != nil {
		return err
	}
	return runCommand(w, r, func(ctx context.Context, by civic.Actor, key idem.Key) (station.Donation, error) {
		return s.Station.DonateFunds(ctx, by, key, station.DonateFundsRequest{Community: community(r), Donor: req.DonorID,
			AmountFen: req.AmountFen, Note: req.Note})
	}, func(d station.Donation) any { return donationOf(d) })
}

type purchaseRequest struct {
	GoodID    string `json:"good_id"`
	Quantity  int64  `json:"quantity" jsonschema:"minimum=1"`
	AmountFen int64  `json:"amount_fen" jsonschema:"minimum=1" jsonschema_description:"paid from the station's donated funds, in fen"`
	Supplier  string `json:"supplier"`
	Note      string `json:"note,omitempty"`
}

type purchaseItem struct {
	ID        string    `json:"id"`
	GoodID    string    `json:"good_id"`
	Quantity  int64     `json:"quantity"`
	AmountFen int64     `json:"amount_fen"`
	Supplier  string    `json:"supplier"`
	Note      string    `json:"note,omitempty"`
	At        time.Time `json:"at"`
}

func (s *Server) purchase(w http.ResponseWriter, r *http.Request) error {
	req, err := readJSON[purchaseRequest](r)
	if err != nil {
		return err
	}
	return runCommand(w, r, func(ctx context.Context, by civic.Actor, key idem.Key) (station.Purchase, error) {
		return s.Station.RecordPurchase(ctx, by, key, station.PurchaseRequest{Community: community(r), Good: req.GoodID,
			Quantity: req.Quantity, AmountFen: req.AmountFen, Supplier: req.Supplier, Note: req.Note})
	}, func(p station.Purchase) any {
		return purchaseItem{p.ID, p.GoodID, p.Quantity, p.AmountFen, p.Supplier, p.Note, p.At.UTC()}
	})
}
