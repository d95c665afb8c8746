package web

import (
	"net/http"
	"strconv"
	"strings"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/station"
)

// Stock: every good with its stock, new goods, write-offs (with a reason)
// and stock-takes, and one good's stock statement.
func init() {
	staff := []civic.Role{civic.RoleClerk, civic.RoleWorker}
	AddPage(Page{Method: "GET", Path: "/clerk/stock", Roles: staff, Nav: "station.nav.stock", Handler: (*Server).clerkStock})
	AddPage(Page{Method: "POST", Path: "/clerk/stock/good", Roles: staff, Handler: (*Server).clerkStockGood})
	AddPage(Page{Method: "POST", Path: "/clerk/stock/writeoff", Roles: staff, Handler: (*Server).clerkStockWriteOff})
	AddPage(Page{Method: "POST", Path: "/clerk/stock/count", Roles: staff, Handler: (*Server).clerkStockCount})
	AddPage(Page{Method: "GET", Path: "/clerk/stock/{id}", Roles: staff, Handler: (*Server).clerkStockMoves})
	AddPage(Page{Method: "POST", Path: "/clerk/stock/{id}/edit", Roles: staff, Handler: (*Server).clerkStockEdit})
}

type stockData struct {
	Goods      []station.Good
	Categories []string
	Key        string // the forms' idempotency key, new on every render
}

func (s *Server) clerkStock(w http.ResponseWriter, r *http.Request) error {
	return s.stockPage(w, r, http.StatusOK, "", "")
}

func (s *Server) stockPage(w http.ResponseWriter, r *http.Request, status int, flash, errMsg string) error {
	a, _ := ActorFrom(r.Context())
	goods, err := station.AllGoods(r.Context(), s.DB, a.CommunityID)
	if err != nil {
		return err
	}
	return s.RenderStatus(w, r, status, "clerk_stock", View{Flash: flash, Error: errMsg, Data: stockData{Goods: goods, Categories: station.Categories, Key: newFormKey()}})
}

// stockWrite runs a stock change once per form key and shows the page again.
func (s *Server) stockWrite(w http.ResponseWriter, r *http.Request, flashKey string, fn func(tx *db.Tx, a civic.Actor) error) error {
	return s.stationWrite(w, r, flashKey, func(status int, flash, errMsg string) error {
		return s.stockPage(w, r, status, flash, errMsg)
	}, fn)
}

// stationInt reads a whole number field; an unreadable one is refused by name.
func stationInt(r *http.Request, field string) (int64, error) {
	v := strings.TrimSpace(r.PostFormValue(field))
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, civic.Errorf(civic.Invalid, "station.not_a_number", "%q is not a whole number", v)
	}
	return n, nil
}

func (s *Server) clerkStockGood(w http.ResponseWriter, r *http.Request) error {
	return s.stockWrite(w, r, "station.stock.good_added", func(tx *db.Tx, a civic.Actor) error {
		points, err := stationInt(r, "points")
		if err != nil {
			return err
		}
		_, err = station.CreateGood(r.Context(), tx, a.CommunityID, station.Good{Name: r.PostFormValue("name"), Unit: strings.TrimSpace(r.PostFormValue("unit")),
			Category: r.PostFormValue("category"), Points: points}, a)
		return err
	})
}

func (s *Server) clerkStockWriteOff(w http.ResponseWriter, r *http.Request) error {
	return s.stockWrite(w, r, "station.stock.written_off", func(tx *db.Tx, a civic.Actor) error {
		q, err := stationInt(r, "quantity")
		if err != nil {
			return err
		}
		_, err = station.WriteOff(r.Context(), tx, a.CommunityID, r.PostFormValue("good"), q, r.PostFormValue("reason"), a, s.Clock.Now())
		return err
	})
}

func (s *Server) clerkStockCount(w http.ResponseWriter, r *http.Request) error {
	return s.stockWrite(w, r, "station.stock.counted", func(tx *db.Tx, a civic.Actor) error {
		n, err := stationInt(r, "counted")
		if err != nil {
			return err
		}
		_, err = station.StockTake(r.Context(), tx, a.CommunityID, r.PostFormValue("good"), n, r.PostFormValue("reason"), a, s.Clock.Now())
		return err
	})
}

type movesData struct {
	Key        string // the edit form's idempotency key
	Categories []string
	Good       station.Good
	Moves      []moveView
	Next       int64
}

type moveView struct {
	station.Move
	When, KindKey string
}

func (s *Server) clerkStockMoves(w http.ResponseWriter, r *http.Request) error {
	return s.goodPage(w, r, http.StatusOK, "", "")
}

// clerkStockEdit changes a good's name, unit, category, price or whether it
// is offered. Past redemptions keep the price they were made at.
func (s *Server) clerkStockEdit(w http.ResponseWriter, r *http.Request) error {
	page := func(status int, flash, errMsg string) error { return s.goodPage(w, r, status, flash, errMsg) }
	return s.stationWrite(w, r, "station.stock.good_saved", page, func(tx *db.Tx, a civic.Actor) error {
		points, err := stationInt(r, "points")
		if err != nil {
			return err
		}
		g, err := station.GetGood(r.Context(), tx, a.CommunityID, r.PathValue("id"))
		if err != nil {
			return err
		}
		g.Name, g.Unit, g.Category = r.PostFormValue("name"), strings.TrimSpace(r.PostFormValue("unit")), r.PostFormValue("category")
		g.Points, g.Active = points, r.PostFormValue("active") == "1"
		return station.UpdateGood(r.Context(), tx, a.CommunityID, g)
	})
}

func (s *Server) goodPage(w http.ResponseWriter, r *http.Request, status int, flash, errMsg string) error {
	a, _ := ActorFrom(r.Context())
	g, err := station.GetGood(r.Context(), s.DB, a.CommunityID, r.PathValue("id"))
	if err != nil {
		return err
	}
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	moves, err := station.Moves(r.Context(), s.DB, a.CommunityID, g.ID, before, 50)
	if err != nil {
		return err
	}
	d := movesData{Good: g, Key: newFormKey(), Categories: station.Categories}
	for _, m := range moves {
		d.Moves = append(d.Moves, moveView{Move: m, When: when(m.At), KindKey: "station.move." + string(m.Kind)})
	}
	if len(moves) == 50 {
		d.Next = moves[len(moves)-1].Seq
	}
	return s.RenderStatus(w, r, status, "clerk_stock_moves", View{Flash: flash, Error: errMsg, Data: d})
}
