package web

import (
	"net/http"
	"strconv"
	"strings"

	"civicpoints/internal/civic"
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

// stockAnswer shows the stock page again after a command.
func (s *Server) stockAnswer(w http.ResponseWriter, r *http.Request, err error, flashKey string) error {
	return s.stationAnswer(r, err, flashKey, func(status int, flash, errMsg string) error {
		return s.stockPage(w, r, status, flash, errMsg)
	})
}

func (s *Server) clerkStockGood(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	key, err := commandKey(r)
	var points int64
	if err == nil {
		points, err = stationInt(r, "points")
	}
	if err == nil {
		_, err = s.Station.CreateGood(r.Context(), a, key, station.CreateGoodRequest{Community: a.CommunityID, Name: r.PostFormValue("name"),
			Unit: strings.TrimSpace(r.PostFormValue("unit")), Category: r.PostFormValue("category"), Points: points})
	}
	return s.stockAnswer(w, r, err, "station.stock.good_added")
}

func (s *Server) clerkStockWriteOff(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	key, err := commandKey(r)
	var q int64
	if err == nil {
		q, err = stationInt(r, "quantity")
	}
	if err == nil {
		_, err = s.Station.WriteOff(r.Context(), a, key, station.WriteOffRequest{Community: a.CommunityID, Good: r.PostFormValue("good"),
			Quantity: q, Reason: r.PostFormValue("reason")})
	}
	return s.stockAnswer(w, r, err, "station.stock.written_off")
}

func (s *Server) clerkStockCount(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	key, err := commandKey(r)
	var n int64
	if err == nil {
		n, err = stationInt(r, "counted")
	}
	if err == nil {
		_, err = s.Station.StockTake(r.Context(), a, key, station.StockTakeRequest{Community: a.CommunityID, Good: r.PostFormValue("good"),
			Counted: n, Reason: r.PostFormValue("reason")})
	}
	return s.stockAnswer(w, r, err, "station.stock.counted")
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

// clerkStockEdit changes a good's name, unit, category, price or whether
// it is offered. Past redemptions keep the price they were made at.
func (s *Server) clerkStockEdit(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	key, err := commandKey(r)
	var points int64
	if err == nil {
		points, err = stationInt(r, "points")
	}
	if err == nil {
		_, err = s.Station.UpdateGood(r.Context(), a, key, station.UpdateGoodRequest{Community: a.CommunityID, Good: r.PathValue("id"),
			Name: r.PostFormValue("name"), Unit: strings.TrimSpace(r.PostFormValue("unit")), Category: r.PostFormValue("category"),
			Points: points, Active: r.PostFormValue("active") == "1"})
	}
	return s.stationAnswer(r, err, "station.stock.good_saved", func(status int, flash, errMsg string) error {
		return s.goodPage(w, r, status, flash, errMsg)
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
