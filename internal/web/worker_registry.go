package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"civicpoints/internal/civic"
	"civicpoints/internal/registry"
)

// The worker's registry: estates with colour counts, colour filters and a
// search by name or the last four characters of the ID number, paginated by
// keyset cursor. Colours are sensitive: only workers reach these pages, and
// red shows only for those holding the red_group grant (the service redacts).
func init() {
	AddPage(Page{Method: "GET", Path: "/worker/registry", Roles: workerOnly, Nav: "registry.ui.nav.registry", Handler: (*Server).workerRegistry})
}

var workerOnly = []civic.Role{civic.RoleWorker}

// regPageSize is how many rows a registry list shows per page.
const regPageSize = 50

var idTailPattern = regexp.MustCompile(`^[0-9]{3}[0-9Xx]$`)

// colourCount is one colour with how many residents hold it.
type colourCount struct {
	Colour registry.Colour
	Count  int
	On     bool // the current filter
}

// estateRow is an estate with its colour counts, in the order of the
// colours the viewer may see.
type estateRow struct {
	registry.Estate
	Counts []colourCount
}

type workerRegistryData struct {
	Q, EstateID, Colour, Addr string
	Overdue                   bool
	Colours                   []registry.Colour // the colours the viewer may filter by
	Estates                   []estateRow
	Filters                   []colourCount // counts for the chosen estate, or all
	Residents                 []registry.Resident
	Searched                  bool
	Next                      string // URL of the next page, "" on the last
}

// visibleColours are the colours a worker may see: red only with the grant.
func visibleColours(a civic.Actor) []registry.Colour {
	if registry.SeesRed(a, a.CommunityID) {
		return registry.Colours
	}
	return registry.Colours[1:]
}

// nextURL is the current URL with the cursor parameter set to next.
func nextURL(r *http.Request, param, next string) string {
	if next == "" {
		return ""
	}
	q := r.URL.Query()
	q.Set(param, next)
	return r.URL.Path + "?" + q.Encode()
}

func (s *Server) workerRegistry(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	ctx := r.Context()
	q := r.URL.Query()
	d := workerRegistryData{Q: strings.TrimSpace(q.Get("q")), EstateID: q.Get("estate"), Colour: q.Get("colour"),
		Addr: strings.TrimSpace(q.Get("addr")), Overdue: q.Get("overdue") == "1", Colours: visibleColours(a)}
	if d.Addr != "" {
		if d.EstateID == "" {
			return civic.Errorf(civic.Invalid, "registry.ui.addr_needs_estate", "choose an estate to search by address")
		}
		http.Redirect(w, r, "/worker/registry/estates/"+url.PathEscape(d.EstateID)+"?addr="+url.QueryEscape(d.Addr), http.StatusSeeOther)
		return nil
	}
	cached, err := s.counts(ctx, a)
	if err != nil {
		return err
	}
	estates, counts := cached.Estates, cached.Colours
	totals := map[registry.Colour]int{}
	for _, e := range estates {
		row := estateRow{Estate: e}
		for _, c := range d.Colours {
			n := counts[e.ID][c]
			row.Counts = append(row.Counts, colourCount{Colour: c, Count: n})
			if d.EstateID == "" || d.EstateID == e.ID {
				totals[c] += n
			}
		}
		d.Estates = append(d.Estates, row)
	}
	for _, c := range d.Colours {
		d.Filters = append(d.Filters, colourCount{Colour: c, Count: totals[c], On: string(c) == d.Colour})
	}
	f := registry.Filter{EstateID: d.EstateID, Colour: registry.Colour(d.Colour), Overdue: d.Overdue}
	if idTailPattern.MatchString(d.Q) {
		f.IDTail = d.Q
	} else {
		f.Name = d.Q
	}
	d.Searched = d.Q != "" || d.EstateID != "" || d.Colour != "" || d.Overdue
	var next string
	d.Residents, next, err = s.Registry.Search(ctx, a, a.CommunityID, f, q.Get("cursor"), regPageSize)
	if err != nil {
		return err
	}
	d.Next = nextURL(r, "cursor", next)
	return s.Render(w, r, "worker_registry", d)
}
