package web

import (
	"net/http"

	"civicpoints/internal/civic"
	"civicpoints/internal/i18n"
	"civicpoints/internal/ledger"
	"civicpoints/internal/station"
)

// The resident's shop: goods with their stock, an order that holds the
// points and the stock at once, and the station's thank-you list.
func init() {
	res := []civic.Role{civic.RoleResident}
	AddPage(Page{Method: "GET", Path: "/resident/shop", Roles: res, Nav: "station.nav.shop", Handler: (*Server).residentShop})
	AddPage(Page{Method: "POST", Path: "/resident/shop/order", Roles: res, Handler: (*Server).residentShopOrder})
}

type shopData struct {
	Balance     int64
	Key         string
	Goods       []station.Good
	Qty         map[string]string
	ReleaseDays int64
	Thanks      []station.DonorTotal
}

func (s *Server) shopData(r *http.Request, a civic.Actor, d *shopData) error {
	ctx := r.Context()
	acct, err := ledger.GetAccount(ctx, s.DB, a.CommunityID, a.ResidentID)
	if err != nil {
		return err
	}
	d.Balance = acct.Balance
	if d.Goods, err = station.ListGoods(ctx, s.DB, a.CommunityID); err != nil {
		return err
	}
	st, err := station.GetSettings(ctx, s.DB, a.CommunityID)
	if err != nil {
		return err
	}
	d.ReleaseDays = st.ReleaseDays
	if d.Thanks, err = station.Donors(ctx, s.DB, a.CommunityID, true); err != nil {
		return err
	}
	if d.Key == "" {
		d.Key = newFormKey()
	}
	return nil
}

func (s *Server) residentShop(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	var d shopData
	if err := s.shopData(r, a, &d); err != nil {
		return err
	}
	return s.Render(w, r, "resident_shop", d)
}

func (s *Server) residentShopOrder(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	if err := r.ParseForm(); err != nil {
		return civic.Errorf(civic.Invalid, "web.bad_form", "cannot read the form: %v", err)
	}
	// A form without its key is refused (and shown again with a fresh one):
	// a key made up here would be new on every post, and a double submit
	// would place two orders.
	var d shopData
	key, err := commandKey(r)
	if err == nil {
		d.Key = string(key)
	}
	if derr := s.shopData(r, a, &d); derr != nil {
		return derr
	}
	items, qty, berr := basket(r.PostForm, d.Goods)
	d.Qty = qty
	if err == nil {
		err = berr
	}
	if err == nil {
		var rc station.Receipt
		rc, err = s.Station.Redeem(r.Context(), a, key, station.RedeemRequest{Community: a.CommunityID, Resident: a.ResidentID, Items: items,
			Channel: station.ChannelOnline})
		if err == nil {
			http.Redirect(w, r, "/resident/orders?placed="+rc.OrderID, http.StatusSeeOther)
			return nil
		}
	}
	c := civic.ErrorCode(err)
	if c == civic.Internal {
		return err
	}
	return s.RenderStatus(w, r, HTTPStatus(c), "resident_shop", View{Error: i18n.Error(LangFrom(r.Context()), err), Data: d})
}
