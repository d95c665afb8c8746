package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/i18n"
	"civicpoints/internal/station"
)

// Helpers shared by the station pages (clerk counter, stock, donations and
// orders; resident shop; worker report). The pages translate forms into the
// station's commands (station.Service) and their answers into pages.

// basket reads qty_<good id> fields. Empty fields are skipped; anything
// else that is not a whole number above zero is refused by name.
func basket(form url.Values, goods []station.Good) (items []station.Item, qty map[string]string, err error) {
	qty = map[string]string{}
	for _, g := range goods {
		v := strings.TrimSpace(form.Get("qty_" + g.ID))
		if v == "" {
			continue
		}
		qty[g.ID] = v
		n, perr := strconv.ParseInt(v, 10, 64)
		if perr != nil || n <= 0 {
			if err == nil {
				err = civic.Errorf(civic.Invalid, "station.bad_quantity_named", "%s: the quantity must be a whole number of 1 or more, not %q", g.Name, v)
			}
			continue
		}
		items = append(items, station.Item{GoodID: g.ID, Quantity: n})
	}
	if err == nil && len(items) == 0 {
		err = civic.Errorf(civic.Invalid, "station.empty_basket", "the basket is empty")
	}
	return items, qty, err
}

// when formats a time for a page: Shanghai, minutes.
func when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(civic.Shanghai).Format("2006-01-02 15:04")
}

// label is a resident's masked name for clerks, receipts and worker lists
// ("" when the registry does not know them). A masked name is not
// sensitive: the registry gives it without a viewer, in one query.
func (s *Server) label(ctx context.Context, communityID, residentID string) string {
	if s.Registry == nil {
		return ""
	}
	names, err := s.Registry.MaskedNames(ctx, communityID, []string{residentID})
	if err != nil {
		s.Log.Warn("masked name", "resident", residentID, "err", err)
	}
	return names[residentID]
}

// statusKey names an order status in the catalogue.
func statusKey(st string) string { return "station.status." + st }

// orderView is an order as the pages show it.
type orderView struct {
	station.Order
	Created, Closed, Release string
	StatusKey                string
}

func viewOrder(o station.Order) orderView {
	return orderView{Order: o, Created: when(o.CreatedAt), Closed: when(o.ClosedAt), Release: when(o.ReleaseAfter), StatusKey: statusKey(o.Status)}
}

// stationAnswer shows a station page again after a command: with flashKey
// when it went through, with the translated refusal and its status when it
// was refused. Anything else is the error page's.
func (s *Server) stationAnswer(r *http.Request, err error, flashKey string, page func(status int, flash, errMsg string) error) error {
	if err == nil {
		return page(http.StatusOK, s.T(r, flashKey), "")
	}
	c := civic.ErrorCode(err)
	if c == civic.Internal {
		return err
	}
	return page(HTTPStatus(c), "", i18n.Error(LangFrom(r.Context()), err))
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
