package web

import (
	"net/http"

	"civicpoints/internal/civic"
	"civicpoints/internal/earning"
	"civicpoints/internal/idem"
)

// The approval queue: self-reported hours and forgotten check-outs to
// approve (minutes may be corrected) or reject with a reason; suggestions to
// adopt with points in the indicator's range and a reason, to mark
// implemented (with an optional bonus), or not to adopt, with a reason.
//
// Every decision form carries a hidden key drawn when the queue is rendered
// and passed to earning's Decide or Review command: a resent or
// double-submitted decision answers as the first did and awards nothing
// twice, while a different decision on a decided item (another worker's,
// say) is refused as the conflict it is.
func init() {
	wk := []civic.Role{civic.RoleWorker}
	AddPage(Page{Method: "GET", Path: "/worker/queue", Roles: wk, Nav: "earning_pages.nav.queue", Handler: (*Server).workerQueue})
	AddPage(Page{Method: "POST", Path: "/worker/queue/claims/{id}", Roles: wk, Handler: (*Server).workerDecide})
	AddPage(Page{Method: "POST", Path: "/worker/queue/suggestions/{id}", Roles: wk, Handler: (*Server).workerReview})
}

type queueClaim struct {
	earning.Claim
	Name, IndicatorName, Activity, When string
	ApproveKey, RejectKey               string // idempotency keys of the two forms
}

type queueSuggestion struct {
	earning.Suggestion
	Name, When string
	Key        string // idempotency key of the adopt (or implemented) form
	RefuseKey  string // and of the not-adopted form
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
	var ids []string
	for _, c := range claims {
		ids = append(ids, c.ResidentID)
	}
	lists := map[string][]earning.Suggestion{}
	for _, st := range []string{"submitted", "adopted"} {
		if lists[st], err = s.Earning.Suggestions(ctx, a.CommunityID, st, 100); err != nil {
			return d, err
		}
		for _, g := range lists[st] {
			ids = append(ids, g.ResidentID)
		}
	}
	labels := s.residentLabels(r, a.CommunityID, ids)
	titles := map[string]string{}
	for _, c := range claims {
		q := queueClaim{Claim: c, Name: labels[c.ResidentID], IndicatorName: names[c.Indicator], When: shanghai(c.CreatedAt),
			ApproveKey: newFormKey(), RejectKey: newFormKey()}
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
		for _, g := range lists[st] {
			q := queueSuggestion{Suggestion: g, Name: labels[g.ResidentID], When: shanghai(g.CreatedAt),
				Key: newFormKey(), RefuseKey: newFormKey()}
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
	id, approve := r.PathValue("id"), r.PostFormValue("decision") == "approve"
	done := "rejected"
	if approve {
		done = "approved"
	}
	minutes, err := formInt(r, "minutes", 0)
	var key idem.Key
	if err == nil {
		key, err = commandKey(r)
	}
	if err == nil {
		_, err = s.Earning.Decide(r.Context(), a, key, earning.DecideRequest{Community: a.CommunityID, Claim: id, Approve: approve,
			Minutes: minutes, Reason: r.PostFormValue("reason")})
	}
	if err != nil {
		return s.queueError(w, r, a, err)
	}
	http.Redirect(w, r, "/worker/queue?done="+done, http.StatusSeeOther)
	return nil
}

func (s *Server) workerReview(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	if err := parseForm(r, 0); err != nil {
		return err
	}
	decision, id := r.PostFormValue("decision"), r.PathValue("id")
	points, err := formInt(r, "points", 0)
	var key idem.Key
	if err == nil {
		key, err = commandKey(r)
	}
	if err == nil {
		_, err = s.Earning.Review(r.Context(), a, key, earning.ReviewRequest{Community: a.CommunityID, Suggestion: id, Decision: decision,
			Points: points, Reason: r.PostFormValue("reason")})
	}
	if err != nil {
		return s.queueError(w, r, a, err)
	}
	http.Redirect(w, r, "/worker/queue?done="+decision, http.StatusSeeOther)
	return nil
}
