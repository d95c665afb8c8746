package api

// Hours claims and their approval queue, and suggestions: what the worker's
// queue page (worker_queue.go) decides, and what a worker submits at the
// desk on a resident's behalf.

import (
	"context"
	"net/http"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/earning"
	"civicpoints/internal/idem"
)

type hoursRequest struct {
	ResidentID string `json:"resident_id"`
	Indicator  string `json:"indicator" jsonschema:"example=volunteer_hours"`
	Minutes    int64  `json:"minutes" jsonschema:"minimum=1,maximum=720"`
	Day        string `json:"day" jsonschema:"format=date" jsonschema_description:"the day of the service (Asia/Shanghai), within the last 90 days"`
	Evidence   string `json:"evidence" jsonschema_description:"who, where, what"`
}

type claimItem struct {
	ID         string    `json:"id"`
	Kind       string    `json:"kind"`
	ResidentID string    `json:"resident_id"`
	Indicator  string    `json:"indicator"`
	ActivityID string    `json:"activity_id,omitempty"`
	Minutes    int64     `json:"minutes"`
	ServiceDay string    `json:"service_day,omitempty"`
	Evidence   string    `json:"evidence,omitempty"`
	Status     string    `json:"status" jsonschema:"enum=pending,enum=approved,enum=rejected"`
	Reason     string    `json:"reason,omitempty"`
	Points     int64     `json:"points"`
	TransferID string    `json:"transfer_id,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
}

func claimOf(c earning.Claim) claimItem {
	return claimItem{c.ID, c.Kind, c.ResidentID, c.Indicator, c.ActivityID, c.Minutes, c.ServiceDay, c.Evidence, c.Status,
		c.Reason, c.Points, c.TransferID, c.CreatedAt.UTC()}
}

func (s *Server) reportHours(w http.ResponseWriter, r *http.Request) error {
	req, err := readJSON[hoursRequest](r)
	if err != nil {
		return err
	}
	if err := required("resident_id", req.ResidentID); err != nil {
		return err
	}
	return runCommand(w, r, func(ctx context.Context, by civic.Actor, key idem.Key) (earning.Claim, error) {
		return s.Earning.ReportHours(ctx, by, key, earning.HoursRequest{Community: community(r), Resident: req.ResidentID,
			Indicator: req.Indicator, Minutes: req.Minutes, Day: req.Day, Evidence: req.Evidence})
	}, func(c earning.Claim) any { return claimOf(c) })
}

// noCursor refuses a cursor on a list that is a queue: it is worked through
// by deciding its first items and asking again.
func noCursor(cursor string) error {
	if cursor != "" {
		return civic.Errorf(civic.Invalid, "api.queue_no_cursor", "this list is a queue: handle its first items and ask again, without a cursor")
	}
	return nil
}

// listClaims is the approval queue (pending claims, oldest first) or, with
// ?resident=, that resident's latest 50 claims.
func (s *Server) listClaims(w http.ResponseWriter, r *http.Request) error {
	limit, cursor, err := pageArgs(r, 200)
	if err != nil {
		return err
	}
	if err := noCursor(cursor); err != nil {
		return err
	}
	var list []earning.Claim
	if rid := r.URL.Query().Get("resident"); rid != "" {
		list, err = s.Earning.ClaimsOf(r.Context(), community(r), rid)
		list = list[:min(limit, len(list))]
	} else {
		list, err = s.Earning.Queue(r.Context(), community(r), limit)
	}
	if err != nil {
		return err
	}
	return writeList(w, mapList(list, claimOf), "")
}

type decisionRequest struct {
	Approve bool   `json:"approve"`
	Minutes int64  `json:"minutes,omitempty" jsonschema:"minimum=0,maximum=720" jsonschema_description:"corrects the claimed minutes on approval; 0 keeps them"`
	Reason  string `json:"reason,omitempty" jsonschema_description:"required to reject; the resident sees it"`
}

func (s *Server) decide(w http.ResponseWriter, r *http.Request) error {
	req, err := readJSON[decisionRequest](r)
	if err != nil {
		return err
	}
	return runCommand(w, r, func(ctx context.Context, by civic.Actor, key idem.Key) (earning.Claim, error) {
		return s.Earning.Decide(ctx, by, key, earning.DecideRequest{Community: community(r), Claim: r.PathValue("id"),
			Approve: req.Approve, Minutes: req.Minutes, Reason: req.Reason})
	}, func(c earning.Claim) any { return claimOf(c) })
}

type suggestionItem struct {
	ID         string    `json:"id"`
	ResidentID string    `json:"resident_id"`
	Title      string    `json:"title" jsonschema:"example=滨江健身步道加装无障碍通道"`
	Body       string    `json:"body"`
	HasPhoto   bool      `json:"has_photo"`
	Status     string    `json:"status" jsonschema:"enum=submitted,enum=adopted,enum=implemented,enum=not_adopted"`
	Reason     string    `json:"reason,omitempty"`
	Points     int64     `json:"points"`
	Bonus      int64     `json:"bonus"`
	TransferID string    `json:"transfer_id,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
}

func suggestionOf(g earning.Suggestion) suggestionItem {
	return suggestionItem{g.ID, g.ResidentID, g.Title, g.Body, g.PhotoID != "", g.Status, g.Reason, g.Points, g.Bonus,
		g.TransferID, g.CreatedAt.UTC()}
}

// listSuggestions lists suggestions newest first, filtered by status as on
// the queue page, or one resident's (?resident=, their latest 100).
func (s *Server) listSuggestions(w http.ResponseWriter, r *http.Request) error {
	limit, cursor, err := pageArgs(r, 200)
	if err != nil {
		return err
	}
	if err := noCursor(cursor); err != nil {
		return err
	}
	q := r.URL.Query()
	var list []earning.Suggestion
	if rid := q.Get("resident"); rid != "" {
		list, err = s.Earning.SuggestionsOf(r.Context(), community(r), rid)
		list = list[:min(limit, len(list))]
	} else {
		status := q.Get("status")
		switch status {
		case "", "submitted", "adopted", "implemented", "not_adopted":
		default:
			return civic.Errorf(civic.Invalid, "api.bad_status", "unknown status %q", status)
		}
		list, err = s.Earning.Suggestions(r.Context(), community(r), status, limit)
	}
	if err != nil {
		return err
	}
	return writeList(w, mapList(list, suggestionOf), "")
}

func (s *Server) getSuggestion(w http.ResponseWriter, r *http.Request) error {
	g, err := s.Earning.Suggestion(r.Context(), community(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, suggestionOf(g))
	return nil
}

type submitRequest struct {
	ResidentID string `json:"resident_id"`
	Title      string `json:"title"`
	Body       string `json:"body"`
	Photo      []byte `json:"photo,omitempty" jsonschema_description:"a JPEG, PNG or WebP photo, base64"`
}

func (s *Server) submitSuggestion(w http.ResponseWriter, r *http.Request) error {
	req, err := readJSON[submitRequest](r)
	if err != nil {
		return err
	}
	if err := required("resident_id", req.ResidentID); err != nil {
		return err
	}
	return runCommand(w, r, func(ctx context.Context, by civic.Actor, key idem.Key) (earning.Suggestion, error) {
		return s.Earning.Submit(ctx, by, key, earning.SubmitRequest{Community: community(r), Resident: req.ResidentID,
			Title: req.Title, Body: req.Body, Photo: req.Photo})
	}, func(g earning.Suggestion) any { return suggestionOf(g) })
}

type reviewRequest struct {
	Decision string `json:"decision" jsonschema:"enum=adopted,enum=implemented,enum=not_adopted"`
	Points   int64  `json:"points,omitempty" jsonschema_description:"adopted: the points (within suggestion_adopted's range); implemented: a bonus, 0 for none"`
	Reason   string `json:"reason" jsonschema_description:"the resident sees it"`
}

func (s *Server) review(w http.ResponseWriter, r *http.Request) error {
	req, err := readJSON[reviewRequest](r)
	if err != nil {
		return err
	}
	return runCommand(w, r, func(ctx context.Context, by civic.Actor, key idem.Key) (earning.Suggestion, error) {
		return s.Earning.Review(ctx, by, key, earning.ReviewRequest{Community: community(r), Suggestion: r.PathValue("id"),
			Decision: req.Decision, Points: req.Points, Reason: req.Reason})
	}, func(g earning.Suggestion) any { return suggestionOf(g) })
}

func earningRoutes() []route {
	c := "/api/v1/communities/{c}"
	rid := "0191f3a2c4d5e6f708192a3b4c"
	tick := attendRequest{Method: "tick", ResidentID: rid}
	return []route{
		{"POST", c + "/awards/bulk", workers, "awards:write", (*Server).bulkAward, doc{tag: "earning",
			summary: "Give one award to many residents", desc: "One request, one key, one result per resident in the order given; a resident who cannot be awarded fails alone. Up to 2,000 residents.",
			body: bulkAwardRequest{}, answer: bulkAnswer{}, status: 201,
			example: bulkAwardRequest{ResidentIDs: []string{rid, "0191f3a2c4d5e6f708192a3b51"}, Indicator: "community_activities", Points: 5, Reason: "重阳节敬老活动"}}},
		{"GET", c + "/activities", readers, "earning:read", (*Server).listActivities, doc{tag: "earning",
			summary: "Activities ending after since (30 days ago by default), soonest first", list: 200,
			query: []param{{"since", "date-time", "list activities ending after this time"}}, answer: page[activityItem]{}}},
		{"POST", c + "/activities", workers, "earning:write", (*Server).publish, doc{tag: "earning",
			summary: "Publish an activity", body: publishRequest{}, answer: activityItem{}, status: 201,
			example: publishRequest{Title: "滨江步道清洁", Indicator: "volunteer_hours", Place: "滨江步道北口",
				Start: time.Date(2025, 6, 7, 0, 30, 0, 0, time.UTC), End: time.Date(2025, 6, 7, 2, 30, 0, 0, time.UTC), Capacity: 30}}},
		{"GET", c + "/activities/{id}", readers, "earning:read", (*Server).getActivity, doc{tag: "earning",
			summary: "One activity", answer: activityItem{}}},
		{"POST", c + "/activities/{id}/close", workers, "earning:write", (*Server).closeActivity, doc{tag: "earning",
			summary: "Close an activity", desc: "Checks out whoever is still in and awards the attendees; no body.",
			answer: activityItem{}, status: 201}},
		{"GET", c + "/activities/{id}/code", workers, "earning:read", (*Server).activityCode, doc{tag: "earning",
			summary: "The 6-digit code residents type to check in now", answer: codeAnswer{}}},
		{"GET", c + "/activities/{id}/roster", workers, "earning:read", (*Server).roster, doc{tag: "earning",
			summary: "An activity's sign-ups with attendance (masked names)", desc: "One page: the places, the waiting list and cancellations.",
			answer: page[signUpItem]{}}},
		{"POST", c + "/activities/{id}/signups", workers, "earning:write", (*Server).signUp, doc{tag: "earning",
			summary: "Sign a resident up", desc: "A full activity refuses unless wait is set (the waiting list).",
			body: signUpRequest{}, answer: signUpItem{}, status: 201, example: signUpRequest{ResidentID: rid}}},
		{"POST", c + "/activities/{id}/withdrawals", workers, "earning:write", (*Server).withdraw, doc{tag: "earning",
			summary: "Give up a resident's place before the deadline", body: withdrawRequest{}, answer: signUpItem{}, status: 201,
			example: withdrawRequest{ResidentID: rid}}},
		{"POST", c + "/activities/{id}/check-ins", workers, "earning:write", attend(false), doc{tag: "earning",
			summary: "Check a resident in, by roster (tick) or by their code (scan)", body: attendRequest{}, answer: signUpItem{}, status: 201, example: tick}},
		{"POST", c + "/activities/{id}/check-outs", workers, "earning:write", attend(true), doc{tag: "earning",
			summary: "Check a resident out; credits the minutes and awards", body: attendRequest{}, answer: signUpItem{}, status: 201, example: tick}},
		{"POST", c + "/hours", workers, "earning:write", (*Server).reportHours, doc{tag: "earning",
			summary: "Report a resident's service hours for approval", body: hoursRequest{}, answer: claimItem{}, status: 201,
			example: hoursRequest{ResidentID: rid, Indicator: "volunteer_hours", Minutes: 90, Day: "2025-06-05", Evidence: "帮助王阿姨整理院子，邻居李先生可证明"}}},
		{"GET", c + "/claims", workers, "earning:read", (*Server).listClaims, doc{tag: "earning",
			summary: "The approval queue: pending claims, oldest first; or one resident's claims",
			desc:    "A queue: the first limit claims, no cursor (decided claims leave it). With resident, their latest 50.",
			query:   []param{{"resident", "string", "a resident's id: list their claims"}}, list: 200, answer: page[claimItem]{}}},
		{"POST", c + "/claims/{id}/decision", workers, "earning:write", (*Server).decide, doc{tag: "earning",
			summary: "Approve (and award) or reject a claim", body: decisionRequest{}, answer: claimItem{}, status: 201,
			example: decisionRequest{Approve: true}}},
		{"GET", c + "/suggestions", workers, "earning:read", (*Server).listSuggestions, doc{tag: "earning",
			summary: "Suggestions newest first, by status; or one resident's",
			query:   []param{{"status", "string", "submitted, adopted, implemented or not_adopted"}, {"resident", "string", "a resident's id: list their suggestions"}},
			list:    200, answer: page[suggestionItem]{}}},
		{"POST", c + "/suggestions", workers, "earning:write", (*Server).submitSuggestion, doc{tag: "earning",
			summary: "Submit a suggestion on a resident's behalf", body: submitRequest{}, answer: suggestionItem{}, status: 201,
			example: submitRequest{ResidentID: rid, Title: "滨江健身步道加装无障碍通道", Body: "轮椅无法通过北口台阶，建议加装坡道。"}}},
		{"GET", c + "/suggestions/{id}", workers, "earning:read", (*Server).getSuggestion, doc{tag: "earning",
			summary: "One suggestion", answer: suggestionItem{}}},
		{"POST", c + "/suggestions/{id}/review", workers, "earning:write", (*Server).review, doc{tag: "earning",
			summary: "Adopt (with points), mark implemented (with a bonus) or decline a suggestion", body: reviewRequest{}, answer: suggestionItem{}, status: 201,
			example: reviewRequest{Decision: "adopted", Points: 30, Reason: "已列入下季度改造计划"}}},
	}
}
