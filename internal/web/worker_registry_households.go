package web

import (
	"net/http"
	"strings"

	"civicpoints/internal/civic"
	"civicpoints/internal/registry"
)

// An estate's households, searchable by address prefix (3, 3-2, 3-2-30…),
// and one household: its members with their colours and its visit history,
// each list by keyset cursor.
func init() {
	AddPage(Page{Method: "GET", Path: "/worker/registry/estates/{id}", Roles: workerOnly, Handler: (*Server).workerEstate})
	AddPage(Page{Method: "GET", Path: "/worker/registry/households/{id}", Roles: workerOnly, Handler: (*Server).workerHousehold})
}

type workerEstateData struct {
	Estate     registry.Estate
	Addr       string
	Households []registry.Household
	Next       string
}

func (s *Server) workerEstate(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	ctx := r.Context()
	id := r.PathValue("id")
	cached, err := s.counts(ctx, a)
	if err != nil {
		return err
	}
	d := workerEstateData{Addr: strings.TrimSpace(r.URL.Query().Get("addr"))}
	found := false
	for _, e := range cached.Estates {
		if e.ID == id {
			d.Estate, found = e, true
		}
	}
	if !found {
		return civic.Errorf(civic.NotFound, "registry.estate_not_found", "no estate %s in this community", id)
	}
	var next string
	d.Households, next, err = s.Registry.Households(ctx, a, a.CommunityID, id, d.Addr, r.URL.Query().Get("cursor"), regPageSize)
	if err != nil {
		return err
	}
	d.Next = nextURL(r, "cursor", next)
	return s.Render(w, r, "worker_estate", d)
}

type workerHouseholdData struct {
	Household registry.Household
	Members   []registry.Resident
	Visits    []registry.Visit
	NextVisit string
}

func (s *Server) workerHousehold(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	rec, err := s.Registry.HouseholdRecord(r.Context(), a, a.CommunityID, r.PathValue("id"), r.URL.Query().Get("vcursor"))
	if err != nil {
		return err
	}
	return s.Render(w, r, "worker_household", workerHouseholdData{Household: rec.Household, Members: rec.Members, Visits: rec.Visits,
		NextVisit: nextURL(r, "vcursor", rec.NextVisits)})
}
