package web

import (
	"net/http"
	"strings"

	"civicpoints/internal/civic"
	"civicpoints/internal/i18n"
	"civicpoints/internal/ledger"
	"civicpoints/internal/registry"
	"civicpoints/internal/station"
)

// The counter of the integrity station: the clerk scans (or types) the
// resident's code, sees the masked name and balance, builds a basket and
// confirms; the redemption prints as a 58 mm receipt.
func init() {
	clerk := []civic.Role{civic.RoleClerk}
	AddPage(Page{Method: "GET", Path: "/clerk/counter", Roles: clerk, Nav: "station.nav.counter", Handler: (*Server).clerkCounter})
	AddPage(Page{Method: "POST", Path: "/clerk/counter/scan", Roles: clerk, Handler: (*Server).clerkCounterScan})
	AddPage(Page{Method: "POST", Path: "/clerk/counter/confirm", Roles: clerk, Handler: (*Server).clerkCounterConfirm})
	AddPage(Page{Method: "GET", Path: "/clerk/receipt/{id}", Roles: clerk, Handler: (*Server).clerkReceipt})
}

type counterData struct {
	Code    string
	Scanned bool
	Label   string
	Balance int64
	Ticket  string
	Key     string
	Goods   []station.Good
	Qty     map[string]string
	Total   int64
}

func (s *Server) clerkCounter(w http.ResponseWriter, r *http.Request) error {
	return s.Render(w, r, "clerk_counter", counterData{})
}

// counterError re-renders the counter with a translated error and the
// status of its code; nothing was written.
func (s *Server) counterError(w http.ResponseWriter, r *http.Request, d counterData, err error) error {
	code := civic.ErrorCode(err)
	if code == civic.Internal || code == civic.Unauthenticated {
		return err
	}
	return s.RenderStatus(w, r, HTTPStatus(code), "clerk_counter", View{Error: i18n.Error(LangFrom(r.Context()), err), Data: d})
}

// counterBasket fills in the resident and the goods for a scanned resident.
func (s *Server) counterBasket(r *http.Request, a civic.Actor, residentID string, d *counterData) error {
	acct, err := ledger.GetAccount(r.Context(), s.DB, a.CommunityID, residentID)
	if err != nil {
		return err
	}
	if !acct.Active {
		return civic.Errorf(civic.Invalid, "ledger.account_closed", "resident %s has left the community; their account is closed", residentID)
	}
	if d.Goods, err = station.ListGoods(r.Context(), s.DB, a.CommunityID); err != nil {
		return err
	}
	d.Scanned, d.Balance, d.Label = true, acct.Balance, s.label(r.Context(), a.CommunityID, residentID)
	if d.Key == "" {
		d.Key = newFormKey()
	}
	return nil
}

// clerkCounterScan looks up a scanned code. A refused code is not echoed
// back: a hardware scanner types into the field and presses Enter, so a code
// left there would have the next scan appended to it.
func (s *Server) clerkCounterScan(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	d := counterData{Code: strings.TrimSpace(r.PostFormValue("code"))}
	if d.Code == "" {
		return s.counterError(w, r, counterData{}, civic.Errorf(civic.Invalid, "station.code_empty", "scan or type the code"))
	}
	residentID, err := s.Codes.ResidentFromCode(r.Context(), a.CommunityID, d.Code)
	if err != nil {
		return s.counterError(w, r, counterData{}, err)
	}
	if err := s.counterBasket(r, a, residentID, &d); err != nil {
		return s.counterError(w, r, counterData{}, err)
	}
	ticket, err := s.signTicket(r.Context(), a, residentID, s.Clock.Now())
	if err != nil {
		return err
	}
	d.Code, d.Ticket = "", ticket
	return s.Render(w, r, "clerk_counter", d)
}

func (s *Server) clerkCounterConfirm(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	if err := r.ParseForm(); err != nil {
		return civic.Errorf(civic.Invalid, "web.bad_form", "cannot read the form: %v", err)
	}
	d := counterData{Ticket: r.PostForm.Get("ticket")}
	residentID, err := s.openTicket(r.Context(), a, d.Ticket, s.Clock.Now())
	if err != nil {
		return s.counterError(w, r, counterData{}, err)
	}
	// A basket without its key is refused and shown again with a fresh one,
	// never given a key made up here (a double submit would pay twice).
	key, kerr := commandKey(r)
	if kerr == nil {
		d.Key = string(key)
	}
	if err := s.counterBasket(r, a, residentID, &d); err != nil {
		return s.counterError(w, r, counterData{}, err)
	}
	items, qty, err := basket(r.PostForm, d.Goods)
	d.Qty = qty
	if kerr != nil {
		err = kerr
	}
	if err != nil {
		return s.counterError(w, r, d, err)
	}
	rc, err := s.Station.Redeem(r.Context(), a, key, station.RedeemRequest{Community: a.CommunityID, Resident: residentID, Items: items,
		Channel: station.ChannelCounter})
	if err != nil {
		return s.counterError(w, r, d, err)
	}
	http.Redirect(w, r, "/clerk/receipt/"+rc.OrderID, http.StatusSeeOther)
	return nil
}

type receiptData struct {
	Community string
	Order     orderView
	Balance   int64
	Clerk     string
	Lines     []receiptLine
}

type receiptLine struct {
	station.Line
	Total int64
}

func (s *Server) clerkReceipt(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	o, err := station.GetOrder(r.Context(), s.DB, a.CommunityID, r.PathValue("id"))
	if err != nil {
		return err
	}
	d := receiptData{Order: viewOrder(o), Clerk: a.Name}
	for _, l := range o.Lines {
		d.Lines = append(d.Lines, receiptLine{Line: l, Total: l.Points * l.Quantity})
	}
	if acct, err := ledger.GetAccount(r.Context(), s.DB, a.CommunityID, o.ResidentID); err == nil {
		d.Balance = acct.Balance
	}
	if c, err := registry.CommunityByID(r.Context(), s.DB, a.CommunityID); err == nil {
		d.Community = c.Name
	}
	return s.Render(w, r, "clerk_receipt", d)
}
