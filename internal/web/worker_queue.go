package web

import (
	"net/http"

	"civicpoints/internal/civic"
	"civicpoints/internal/earning"
)

// The approval queue: self-reported hours and forgotten check-outs to
// approve (minutes may be corrected) or reject with a reason; suggestions to
// adopt with points in the indicator's range and a reason, to mark
// implemented (with an optional bonus), or not to adopt, with a reason.
//
// Decisions are one-way state changes in earning (a claim is decided once; a
// suggestion moves submitted → adopted → implemented), so a resent form
// cannot award twice: a replay that finds the same decision already made is
// shown as done, anything else as the conflict it is.
func init() {
	wk := []civic.Role{civic.RoleWorker}
	AddPage(Page{Method: "GET", Path: "/worker/queue", Roles: wk, Nav: "earning_pages.nav.queue", Handler: (*Server).workerQueue})
	AddPage(Page{Method: "POST", Path: "/worker/queue/claims/{id}", Roles: wk, Handler: (*Server).workerDecide})
	AddPage(Page{Method: "POST", Path: "/worker/queue/suggestions/{id}", Roles: wk, Handler: (*Server).workerReview})
}

type queueClaim struct {
	earning.Claim
	Name, IndicatorName, Activity, When string
}

type queueSuggestion struct {
	earning.Suggestion
	Name, When string
}

type workerQueueData struct {
	Claims             []queueClaim
	Submitted, Adopted []queueSuggestion
	AdoptMin, AdoptMax int64
	BonusMin, BonusMax int64
}

func (s *Server) workerQueueData(r *http.Request, a civic.Actor) (d workerQueueData, err error) {
	ctx := r.Context()
	if _, err := s.Earning.CloseDue(ctx, a.CommunityID); err != nil {
		s.Log.WarnContext(ctx, "earning: closing ended activities", "err", err)
	}
	names, ins, err := s.indicatorNames(r, a.CommunityID)
	if err != nil {
		return d, err
	}
	for _, in := range ins {
		switch in.Code {
		case earning.SuggestionAdopted:
			d.AdoptMin, d.AdoptMax = in.Min, in.Max
		case earning.SuggestionImplemented:
			d.BonusMin, d.BonusMax = in.Min, in.Max
		}
	}
	claims, err := s.Earning.Queue(ctx, a.CommunityID, 100)
	if err != nil {
		return d, err
	}
	titles := map[string]string{}
	for _, c := range claims {
		q := queueClaim{Claim: c, Name: s.residentLabel(r, a.CommunityID, c.ResidentID), IndicatorName: names[c.Indicator], When: shanghai(c.CreatedAt)}
		if c.ActivityID != "" {
			if _, ok := titles[c.ActivityID]; !ok {
				act, err := s.Earning.Activity(ctx, a.CommunityID, c.ActivityID)
				if err != nil {
					return d, err
				}
				titles[c.ActivityID] = act.Title
			}
			q.Activity = titles[c.ActivityID]
		}
		d.Claims = append(d.Claims, q)
	}
	for _, st := range []string{"submitted", "adopted"} {
		list, err := s.Earning.Suggestions(ctx, a.CommunityID, st, 100)
		if err != nil {
			return d, err
		}
		for _, g := range list {
			q := queueSuggestion{Suggestion: g, Name: s.residentLabel(r, a.CommunityID, g.ResidentID), When: shanghai(g.CreatedAt)}
			if st == "submitted" {
				d.Submitted = append(d.Submitted, q)
			} else {
				d.Adopted = append(d.Adopted, q)
			}
		}
	}
	return d, nil
}

func (s *Server) workerQueue(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	d, err := s.workerQueueData(r, a)
	if err != nil {
		return err
	}
	v := View{Data: d}
	switch done := r.URL.Query().Get("done"); done {
	case "approved", "rejected", "adopted", "implemented", "not_adopted":
		v.Flash = s.T(r, "earning_pages.queue.done_"+done)
	}
	return s.RenderStatus(w, r, http.StatusOK, "worker_queue", v)
}

func (s *Server) queueError(w http.ResponseWriter, r *http.Request, a civic.Actor, err error) error {
	d, derr := s.workerQueueData(r, a)
	if derr != nil {
		return derr
	}
	return s.reshow(w, r, err, "worker_queue", d)
}

func (s *Server) workerDecide(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	if err := parseForm(r, 0); err != nil {
		return err
	}
	approve := r.PostFormValue("decision") == "approve"
	want := "rejected"
	if approve {
		want = "approved"
	}
	minutes, err := formInt(r, "minutes", 0)
	if err == nil {
		_, err = s.Earning.Decide(r.Context(), a, a.CommunityID, r.PathValue("id"), approve, minutes, r.PostFormValue("reason"))
	}
	if civic.ErrorCode(err) == civic.Conflict && s.claimIs(r, a, r.PathValue("id"), want) {
		err = nil // a resent form: the same decision stands, nothing moved twice
	}
	if err != nil {
		return s.queueError(w, r, a, err)
	}
	http.Redirect(w, r, "/worker/queue?done="+want, http.StatusSeeOther)
	return nil
}

// claimIs reports whether a claim has already been decided as status; the
// form carries the claim's resident, whose claims are listed by resident.
func (s *Server) claimIs(r *http.Request, a civic.Actor, id, status string) bool {
	claims, err := s.Earning.ClaimsOf(r.Context(), a.CommunityID, r.PostFormValue("resident"))
	if err != nil {
		return false
	}
	for _, c := range claims {
		if c.ID == id {
			return c.Status == status
		}
	}
	return false
}

func (s *Server) workerReview(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	if err := parseForm(r, 0); err != nil {
		return err
	}
	decision, id := r.PostFormValue("decision"), r.PathValue("id")
	points, err := formInt(r, "points", 0)
	if err == nil {
		_, err = s.Earning.Review(r.Context(), a, a.CommunityID, id, decision, points, r.PostFormValue("reason"))
	}
	if civic.ErrorCode(err) == civic.Conflict {
		if g, gerr := s.Earning.Suggestion(r.Context(), a.CommunityID, id); gerr == nil && g.Status == decision {
			err = nil // a resent form: the suggestion already has this decision
		}
	}
	if err != nil {
		return s.queueError(w, r, a, err)
	}
	http.Redirect(w, r, "/worker/queue?done="+decision, http.StatusSeeOther)
	return nil
}
