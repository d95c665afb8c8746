package web

import (
	"context"
	"net/http"
	"strings"

	"civicpoints/internal/civic"
	"civicpoints/internal/idem"
	"civicpoints/internal/registry"
)

// Care visits: the residents due within a week or overdue, in the worker's
// own estates by default (every estate when they have none assigned, or on
// request), soonest first by keyset cursor; and recording a visit.
func init() {
	AddPage(Page{Method: "GET", Path: "/worker/visits", Roles: workerOnly, Nav: "registry.ui.nav.visits", Handler: (*Server).workerVisits})
	AddPage(Page{Method: "POST", Path: "/worker/visits", Roles: workerOnly, Handler: (*Server).workerRecordVisit})
}

// dueRow is a due visit with the hidden key of its quick visit form.
type dueRow struct {
	registry.DueVisit
	Key string
}

type workerVisitsData struct {
	Scope    string // mine, all, or an estate id
	Estates  []registry.Estate
	HasOwn   bool
	Due      []dueRow
	Next     string
	Today    string
	Recorded bool
}

func (s *Server) workerVisits(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	ctx := r.Context()
	q := r.URL.Query()
	d := workerVisitsData{Scope: q.Get("scope"), Today: registry.Today(s.Clock.Now()).Format("2006-01-02")}
	cached, err := s.counts(ctx, a)
	if err != nil {
		return err
	}
	d.Estates = cached.Estates
	own, err := s.Registry.WorkerEstates(ctx, a.CommunityID, a.UserID)
	if err != nil {
		return err
	}
	d.HasOwn = len(own) > 0
	var estates []string
	switch d.Scope {
	case "", "mine":
		d.Scope, estates = "mine", own
	default:
		estates = []string{d.Scope}
	}
	if len(estates) == 0 || d.Scope == "all" {
		estates = nil
		for _, e := range d.Estates {
			estates = append(estates, e.ID)
		}
	}
	due, next, err := s.dueAcross(ctx, a, estates, q.Get("cursor"))
	if err != nil {
		return err
	}
	for _, v := range due {
		d.Due = append(d.Due, dueRow{DueVisit: v, Key: newFormKey()})
	}
	d.Next = nextURL(r, "cursor", next)
	d.Recorded = q.Get("done") == "visit"
	v := View{Data: d}
	if d.Recorded {
		v.Flash = s.T(r, "registry.ui.visit_recorded")
	}
	return s.RenderStatus(w, r, http.StatusOK, "worker_visits", v)
}

// dueAcross lists the due visits of several estates, soonest first, by
// keyset cursor, in one query (the registry pages it from a due-date index).
func (s *Server) dueAcross(ctx context.Context, a civic.Actor, estates []string, cursor string) ([]registry.DueVisit, string, error) {
	if len(estates) == 0 {
		return nil, "", nil
	}
	return s.Registry.DueVisits(ctx, a, a.CommunityID, estates, cursor, regPageSize)
}

func (s *Server) workerRecordVisit(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	key, err := idem.ParseKey(r.PostFormValue("key"))
	if err != nil {
		return err
	}
	_, err = s.Registry.RecordVisit(r.Context(), a, key, registry.RecordVisitRequest{Community: a.CommunityID, NewVisit: registry.NewVisit{
		ResidentID: r.PostFormValue("resident"),
		Date:       r.PostFormValue("date"),
		Method:     r.PostFormValue("method"),
		Notes:      r.PostFormValue("notes"),
		FollowUp:   r.PostFormValue("follow_up") == "1",
	}})
	if err != nil {
		return err
	}
	back := r.PostFormValue("back")
	// Only a path on this site: never an open redirect.
	if !strings.HasPrefix(back, "/worker/") || strings.HasPrefix(back, "//") {
		back = "/worker/visits?done=visit"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}
