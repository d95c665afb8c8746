package web

import (
	"net/http"

	"civicpoints/internal/civic"
	"civicpoints/internal/i18n"
	"civicpoints/internal/station"
)

// Online orders waiting for pickup: the clerk scans the order's code and
// hands the goods over. Scanning the same order twice says when it was
// handed over; released or cancelled orders say so.
func init() {
	clerk := []civic.Role{civic.RoleClerk}
	AddPage(Page{Method: "GET", Path: "/clerk/orders", Roles: clerk, Nav: "station.nav.orders", Handler: (*Server).clerkOrders})
	AddPage(Page{Method: "POST", Path: "/clerk/orders/fulfil", Roles: clerk, Handler: (*Server).clerkOrdersFulfil})
}

type clerkOrdersData struct {
	Key       string // the pickup form's idempotency key, new on every render
	Code      string
	Fulfilled *orderView
	Reserved  []orderView
}

func (s *Server) clerkOrdersData(r *http.Request, communityID string, d *clerkOrdersData) error {
	d.Key = newFormKey()
	list, err := station.Reserved(r.Context(), s.DB, communityID, 200)
	if err != nil {
		return err
	}
	for _, o := range list {
		d.Reserved = append(d.Reserved, viewOrder(o))
	}
	return nil
}

func (s *Server) clerkOrders(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	var d clerkOrdersData
	if err := s.clerkOrdersData(r, a.CommunityID, &d); err != nil {
		return err
	}
	return s.Render(w, r, "clerk_orders", d)
}

func (s *Server) clerkOrdersFulfil(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	code := r.PostFormValue("code")
	key, ferr := commandKey(r)
	var o station.Order
	if ferr == nil {
		o, ferr = s.Station.Fulfil(r.Context(), a, key, station.FulfilRequest{Community: a.CommunityID, Code: code})
	}
	d := clerkOrdersData{}
	if err := s.clerkOrdersData(r, a.CommunityID, &d); err != nil {
		return err
	}
	if ferr != nil {
		c := civic.ErrorCode(ferr)
		if c == civic.Internal {
			return ferr
		}
		d.Code = code
		return s.RenderStatus(w, r, HTTPStatus(c), "clerk_orders", View{Error: i18n.Error(LangFrom(r.Context()), ferr), Data: d})
	}
	v := viewOrder(o)
	d.Fulfilled = &v
	return s.RenderStatus(w, r, http.StatusOK, "clerk_orders", View{Flash: s.T(r, "station.orders.handed_over", o.Number), Data: d})
}
