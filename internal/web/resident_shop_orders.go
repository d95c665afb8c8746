package web

import (
	"net/http"
	"strconv"

	"civicpoints/internal/civic"
	"civicpoints/internal/station"
)

// The resident's orders: pickup codes of what waits at the station, what was
// handed over, and orders released because they were not collected in time
// (the points came back).
func init() {
	AddPage(Page{Method: "GET", Path: "/resident/orders", Roles: []civic.Role{civic.RoleResident}, Nav: "station.nav.my_orders", Handler: (*Server).residentOrders})
}

type myOrdersData struct {
	Placed   string
	Released int
	Orders   []orderView
	Next     int64
}

func (s *Server) residentOrders(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	list, err := station.ResidentOrders(r.Context(), s.DB, a.CommunityID, a.ResidentID, before, 30)
	if err != nil {
		return err
	}
	d := myOrdersData{Placed: r.URL.Query().Get("placed")}
	for _, o := range list {
		d.Orders = append(d.Orders, viewOrder(o))
		if o.Status == station.StatusReleased {
			d.Released++
		}
	}
	if len(list) == 30 {
		d.Next = list[len(list)-1].CreatedAt.UnixMilli()
	}
	v := View{Data: d}
	if d.Placed != "" {
		v.Flash = s.T(r, "station.shop.placed")
	}
	return s.RenderStatus(w, r, http.StatusOK, "resident_shop_orders", v)
}
