package api

// Earning: bulk awards, activities with their sign-ups and attendance, and
// the roster. Each command is the one the worker's pages call
// (worker_award.go, worker_activities.go, worker_activity.go).

import (
	"context"
	"net/http"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/earning"
	"civicpoints/internal/idem"
)

type bulkAwardRequest struct {
	ResidentIDs []string `json:"resident_ids" jsonschema:"maxItems=2000" jsonschema_description:"the residents; empty with activity_id: everyone who checked in"`
	ActivityID  string   `json:"activity_id,omitempty" jsonschema_description:"the activity the award is for, when it is for one"`
	Indicator   string   `json:"indicator"`
	Points      int64    `json:"points" jsonschema:"minimum=1"`
	Reason      string   `json:"reason"`
}

type bulkItem struct {
	ResidentID string    `json:"resident_id"`
	TransferID string    `json:"transfer_id,omitempty"`
	Balance    int64     `json:"balance,omitempty"`
	Error      *apiError `json:"error,omitempty" jsonschema_description:"why this resident got nothing, in the language of Accept-Language"`
}

type bulkAnswer struct {
	Awarded int        `json:"awarded"`
	Failed  int        `json:"failed"`
	Items   []bulkItem `json:"items"`
}

// bulkAward gives one award to many residents in one request under one key,
// with a result per resident in the order given, as the award page does.
func (s *Server) bulkAward(w http.ResponseWriter, r *http.Request) error {
	req, err := readJSON[bulkAwardRequest](r)
	if err != nil {
		return err
	}
	return runCommand(w, r, func(ctx context.Context, by civic.Actor, key idem.Key) (earning.BulkResult, error) {
		return s.Earning.BulkAward(ctx, by, key, earning.BulkAwardRequest{Community: community(r), Residents: req.ResidentIDs,
			Activity: req.ActivityID, Indicator: req.Indicator, Points: req.Points, Reason: req.Reason})
	}, func(res earning.BulkResult) any {
		out := bulkAnswer{Awarded: res.Awarded, Failed: res.Failed, Items: make([]bulkItem, 0, len(res.Items))}
		for _, it := range res.Items {
			item := bulkItem{ResidentID: it.ResidentID, TransferID: it.TransferID, Balance: it.Balance}
			if it.Error != nil {
				item.Error = s.errorOf(r, it.Error)
			}
			out.Items = append(out.Items, item)
		}
		return out
	})
}

type activityItem struct {
	ID          string    `json:"id"`
	Title       string    `json:"title" jsonschema:"example=滨江步道清洁"`
	Description string    `json:"description,omitempty"`
	Indicator   string    `json:"indicator"`
	Place       string    `json:"place"`
	Start       time.Time `json:"start"`
	End         time.Time `json:"end"`
	Deadline    time.Time `json:"deadline" jsonschema_description:"sign-ups and cancellations close then"`
	Capacity    int       `json:"capacity"`
	InviteOnly  bool      `json:"invite_only"`
	Points      int64     `json:"points" jsonschema_description:"per attendee; 0 when the indicator pays by the hour"`
	Taken       int       `json:"taken"`
	Status      string    `json:"status" jsonschema:"enum=published,enum=closed"`
}

func activityOf(a earning.Activity) activityItem {
	return activityItem{a.ID, a.Title, a.Description, a.Indicator, a.Place, a.Start.UTC(), a.End.UTC(), a.Deadline.UTC(),
		a.Capacity, a.InviteOnly, a.Points, a.Taken, a.Status}
}

// recentDays is how far back the activity list reaches by default, as on
// the worker's activities page.
const recentDays = 30

func (s *Server) listActivities(w http.ResponseWriter, r *http.Request) error {
	limit, cursor, err := pageArgs(r, 200)
	if err != nil {
		return err
	}
	since := s.now().AddDate(0, 0, -recentDays)
	if v := r.URL.Query().Get("since"); v != "" {
		if since, err = time.Parse(time.RFC3339, v); err != nil {
			return civic.Errorf(civic.Invalid, "api.bad_time", "%s must be a time such as 2025-06-01T08:00:00+08:00, not %q", "since", v)
		}
	}
	list, next, err := s.Earning.Activities(r.Context(), community(r), since, false, cursor, limit)
	if err != nil {
		return err
	}
	return writeList(w, mapList(list, activityOf), next)
}

func (s *Server) getActivity(w http.ResponseWriter, r *http.Request) error {
	a, err := s.Earning.Activity(r.Context(), community(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, activityOf(a))
	return nil
}

type publishRequest struct {
	Title       string    `json:"title"`
	Description string    `json:"description,omitempty"`
	Indicator   string    `json:"indicator"`
	Place       string    `json:"place"`
	Start       time.Time `json:"start"`
	End         time.Time `json:"end"`
	Deadline    time.Time `json:"deadline,omitzero" jsonschema_description:"between now and the start; the start when left out"`
	Capacity    int       `json:"capacity" jsonschema:"minimum=1,maximum=10000"`
	InviteOnly  bool      `json:"invite_only,omitempty"`
	Points      int64     `json:"points,omitempty" jsonschema_description:"per attendee, under an indicator that pays a range"`
}

func (s *Server) publish(w http.ResponseWriter, r *http.Request) error {
	req, err := readJSON[publishRequest](r)
	if err != nil {
		return err
	}
	return runCommand(w, r, func(ctx context.Context, by civic.Actor, key idem.Key) (earning.Activity, error) {
		return s.Earning.Publish(ctx, by, key, earning.PublishRequest{Community: community(r), Activity: earning.Activity{
			Title: req.Title, Description: req.Description, Indicator: req.Indicator, Place: req.Place, Start: req.Start.UTC(),
			End: req.End.UTC(), Deadline: req.Deadline.UTC(), Capacity: req.Capacity, InviteOnly: req.InviteOnly, Points: req.Points}})
	}, func(a earning.Activity) any { return activityOf(a) })
}

func (s *Server) closeActivity(w http.ResponseWriter, r *http.Request) error {
	if _, err := readJSON[struct{}](r); err != nil && r.ContentLength != 0 {
		return err
	}
	return runCommand(w, r, func(ctx context.Context, by civic.Actor, key idem.Key) (earning.Activity, error) {
		return s.Earning.CloseActivity(ctx, by, key, earning.CloseRequest{Community: community(r), Activity: r.PathValue("id")})
	}, func(a earning.Activity) any { return activityOf(a) })
}

type codeAnswer struct {
	Code  string    `json:"code" jsonschema:"example=482913"`
	Until time.Time `json:"until" jsonschema_description:"when the code turns (the one before is still taken)"`
}

func (s *Server) activityCode(w http.ResponseWriter, r *http.Request) error {
	code, until, err := s.Earning.ActivityCode(r.Context(), actorOf(r), community(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, codeAnswer{code, until.UTC()})
	return nil
}

type signUpItem struct {
	ActivityID string     `json:"activity_id"`
	ResidentID string     `json:"resident_id"`
	NameMasked string     `json:"name_masked,omitempty"`
	Status     string     `json:"status" jsonschema:"enum=registered,enum=waitlisted,enum=cancelled"`
	Attendance string     `json:"attendance,omitempty" jsonschema:"enum=,enum=in,enum=out,enum=no_show"`
	Method     string     `json:"method,omitempty" jsonschema:"enum=,enum=scan,enum=code,enum=tick,enum=auto"`
	In         *time.Time `json:"in,omitempty"`
	Out        *time.Time `json:"out,omitempty"`
	Minutes    int64      `json:"minutes"`
	Award      string     `json:"award,omitempty" jsonschema:"enum=,enum=awarded,enum=pending,enum=none"`
	Points     int64      `json:"points"`
	TransferID string     `json:"transfer_id,omitempty"`
}

func signUpOf(u earning.SignUp) signUpItem {
	return signUpItem{ActivityID: u.ActivityID, ResidentID: u.ResidentID, Status: u.Status, Attendance: u.Attendance,
		Method: u.Method, In: timeOrNil(u.In), Out: timeOrNil(u.Out), Minutes: u.Minutes, Award: u.Award, Points: u.Points,
		TransferID: u.TransferID}
}

// roster lists an activity's sign-ups with masked names: its places, the
// waiting list and cancellations, bounded by the activity's capacity and
// its waiting list, as the worker's activity page shows them.
func (s *Server) roster(w http.ResponseWriter, r *http.Request) error {
	ctx, cid, id := r.Context(), community(r), r.PathValue("id")
	if _, err := s.Earning.Activity(ctx, cid, id); err != nil {
		return err
	}
	list, err := s.Earning.Roster(ctx, cid, id)
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(list))
	for _, u := range list {
		ids = append(ids, u.ResidentID)
	}
	names, err := s.Registry.MaskedNames(ctx, cid, ids)
	if err != nil {
		return err
	}
	return writeList(w, mapList(list, func(u earning.SignUp) signUpItem {
		it := signUpOf(u)
		it.NameMasked = names[u.ResidentID]
		return it
	}), "")
}

type signUpRequest struct {
	ResidentID string `json:"resident_id"`
	Wait       bool   `json:"wait,omitempty" jsonschema_description:"join the waiting list when the activity is full"`
}

type withdrawRequest struct {
	ResidentID string `json:"resident_id"`
}

func (s *Server) signUp(w http.ResponseWriter, r *http.Request) error {
	req, err := readJSON[signUpRequest](r)
	if err != nil {
		return err
	}
	if err := required("resident_id", req.ResidentID); err != nil {
		return err
	}
	return runCommand(w, r, func(ctx context.Context, by civic.Actor, key idem.Key) (earning.SignUp, error) {
		return s.Earning.SignUp(ctx, by, key, earning.SignUpRequest{Community: community(r), Activity: r.PathValue("id"),
			Resident: req.ResidentID, Wait: req.Wait})
	}, func(u earning.SignUp) any { return signUpOf(u) })
}

func (s *Server) withdraw(w http.ResponseWriter, r *http.Request) error {
	req, err := readJSON[withdrawRequest](r)
	if err != nil {
		return err
	}
	if err := required("resident_id", req.ResidentID); err != nil {
		return err
	}
	return runCommand(w, r, func(ctx context.Context, by civic.Actor, key idem.Key) (earning.SignUp, error) {
		return s.Earning.Withdraw(ctx, by, key, earning.WithdrawRequest{Community: community(r), Activity: r.PathValue("id"),
			Resident: req.ResidentID})
	}, func(u earning.SignUp) any { return signUpOf(u) })
}

type attendRequest struct {
	Method     string `json:"method" jsonschema:"enum=tick,enum=scan" jsonschema_description:"tick: the resident on the roster (resident_id); scan: the resident's code (code)"`
	ResidentID string `json:"resident_id,omitempty"`
	Code       string `json:"code,omitempty" jsonschema_description:"the resident's credit code, as scanned"`
}

// attend checks a resident in or out, by roster (tick) or by their code
// (scan); the activity's own 6-digit code is for residents to type on
// their phone, not for a token.
func attend(out bool) func(*Server, http.ResponseWriter, *http.Request) error {
	return func(s *Server, w http.ResponseWriter, r *http.Request) error {
		req, err := readJSON[attendRequest](r)
		if err != nil {
			return err
		}
		ar := earning.AttendRequest{Community: community(r), Activity: r.PathValue("id"), Method: earning.Tick, Resident: req.ResidentID}
		switch req.Method {
		case "tick":
			err = required("resident_id", req.ResidentID)
		case "scan":
			ar.Method, ar.Resident, ar.Code = earning.Scan, "", req.Code
			err = required("code", req.Code)
		default:
			err = civic.Errorf(civic.Invalid, "earning.bad_method", "unknown attendance method %q", req.Method)
		}
		if err != nil {
			return err
		}
		cmd := s.Earning.CheckIn
		if out {
			cmd = s.Earning.CheckOut
		}
		return runCommand(w, r, func(ctx context.Context, by civic.Actor, key idem.Key) (earning.SignUp, error) {
			return cmd(ctx, by, key, ar)
		}, func(u earning.SignUp) any { return signUpOf(u) })
	}
}
