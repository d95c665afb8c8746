package web

import (
	"net/http"
	"strconv"
	"strings"

	"civicpoints/internal/civic"
	"civicpoints/internal/earning"
)

// One activity for a worker: its roster (places, then the waiting list,
// then cancellations) with attendance, ticking residents in and out,
// scanning a resident's code, adding a resident, the rotating activity code
// shown large on a phone, and closing the activity. The resident to add can
// be found by name (?q=, worker_award_find.go); picking one (?resident=)
// fills the form.
func init() {
	wk := []civic.Role{civic.RoleWorker}
	AddPage(Page{Method: "GET", Path: "/worker/activities/{id}", Roles: wk, Handler: (*Server).workerActivity})
	AddPage(Page{Method: "GET", Path: "/worker/activities/{id}/code", Roles: wk, Handler: (*Server).workerActivityCode})
	AddPage(Page{Method: "POST", Path: "/worker/activities/{id}/attend", Roles: wk, Handler: (*Server).workerAttend})
	AddPage(Page{Method: "POST", Path: "/worker/activities/{id}/add", Roles: wk, Handler: (*Server).workerAddResident})
	AddPage(Page{Method: "POST", Path: "/worker/activities/{id}/close", Roles: wk, Handler: (*Server).workerClose})
}

type rosterRow struct {
	earning.SignUp
	Name, In, Out string
	Key           string // idempotency key of the row's tick form
}

type workerActivityData struct {
	A             activityRow
	Roster        []rosterRow
	Registered    int
	Waiting       int
	Attended      int
	Over, Closed  bool
	CanScan       bool
	ResidentInput string
	ScanKey       string // idempotency keys of the scan, add and close forms
	AddKey        string
	CloseKey      string
	ResidentFind  // finding the resident to add by name
}

func (s *Server) workerActivityData(r *http.Request, a civic.Actor, id string) (d workerActivityData, err error) {
	ctx := r.Context()
	act, err := s.Earning.Activity(ctx, a.CommunityID, id)
	if err != nil {
		return d, err
	}
	names, _, err := s.indicatorNames(r, a.CommunityID)
	if err != nil {
		return d, err
	}
	now := s.earningNow()
	d.A = activityRow{Activity: act, IndicatorName: names[act.Indicator], DeadlineAt: shanghai(act.Deadline),
		When: shanghai(act.Start) + " – " + act.End.In(civic.Shanghai).Format("15:04")}
	d.Over, d.Closed, d.CanScan = !now.Before(act.End), act.Status == "closed", s.Earning.Codes != nil
	d.ScanKey, d.AddKey, d.CloseKey = newFormKey(), newFormKey(), newFormKey()
	d.Action = "/worker/activities/" + act.ID
	roster, err := s.Earning.Roster(ctx, a.CommunityID, id)
	if err != nil {
		return d, err
	}
	ids := make([]string, 0, len(roster))
	for _, u := range roster {
		ids = append(ids, u.ResidentID)
	}
	labels := s.residentLabels(r, a.CommunityID, ids)
	for _, u := range roster {
		switch {
		case u.Status == "registered":
			d.Registered++
		case u.Status == "waitlisted":
			d.Waiting++
		}
		if u.Attendance == "in" || u.Attendance == "out" {
			d.Attended++
		}
		d.Roster = append(d.Roster, rosterRow{SignUp: u, Name: labels[u.ResidentID], In: shanghai(u.In),
			Out: shanghai(u.Out), Key: newFormKey()})
	}
	return d, nil
}

func (s *Server) workerActivity(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	d, err := s.workerActivityData(r, a, r.PathValue("id"))
	if err != nil {
		return err
	}
	q := r.URL.Query()
	d.ResidentInput, d.Find = q.Get("resident"), q.Get("q")
	s.choose(r, a, &d.ResidentFind, d.ResidentInput)
	if err := s.findResidents(r, a, &d.ResidentFind); err != nil {
		return s.reshow(w, r, err, "worker_activity", d)
	}
	v := View{Data: d}
	switch done := r.URL.Query().Get("done"); done {
	case "published", "in", "out", "added", "closed":
		v.Flash = s.T(r, "earning_pages.activity.done_"+done)
	}
	return s.RenderStatus(w, r, http.StatusOK, "worker_activity", v)
}

func (s *Server) activityError(w http.ResponseWriter, r *http.Request, a civic.Actor, err error, input string) error {
	d, derr := s.workerActivityData(r, a, r.PathValue("id"))
	if derr != nil {
		return derr
	}
	d.ResidentInput = input
	s.choose(r, a, &d.ResidentFind, input)
	return s.reshow(w, r, err, "worker_activity", d)
}

func (s *Server) workerAttend(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	if err := parseForm(r, 0); err != nil {
		return err
	}
	id, value := r.PathValue("id"), strings.TrimSpace(r.PostFormValue("value"))
	req := earning.AttendRequest{Community: a.CommunityID, Activity: id, Method: earning.Tick, Resident: value}
	if r.PostFormValue("method") == "scan" {
		req = earning.AttendRequest{Community: a.CommunityID, Activity: id, Method: earning.Scan, Code: value}
	}
	out := r.PostFormValue("action") == "out"
	key, err := commandKey(r)
	switch {
	case err == nil && out:
		_, err = s.Earning.CheckOut(r.Context(), a, key, req)
	case err == nil:
		_, err = s.Earning.CheckIn(r.Context(), a, key, req)
	}
	if err != nil {
		return s.activityError(w, r, a, err, "")
	}
	done := "in"
	if out {
		done = "out"
	}
	http.Redirect(w, r, "/worker/activities/"+id+"?done="+done, http.StatusSeeOther)
	return nil
}

func (s *Server) workerAddResident(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	if err := parseForm(r, 0); err != nil {
		return err
	}
	id, rid, wait := r.PathValue("id"), strings.TrimSpace(r.PostFormValue("resident")), r.PostFormValue("wait") == "1"
	key, err := commandKey(r)
	if err == nil {
		_, err = s.Earning.SignUp(r.Context(), a, key, earning.SignUpRequest{Community: a.CommunityID, Activity: id, Resident: rid, Wait: wait})
	}
	if err != nil {
		return s.activityError(w, r, a, err, rid)
	}
	http.Redirect(w, r, "/worker/activities/"+r.PathValue("id")+"?done=added", http.StatusSeeOther)
	return nil
}

func (s *Server) workerClose(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	if err := parseForm(r, 0); err != nil {
		return err
	}
	id := r.PathValue("id")
	key, err := commandKey(r)
	if err == nil {
		_, err = s.Earning.CloseActivity(r.Context(), a, key, earning.CloseRequest{Community: a.CommunityID, Activity: id})
	}
	if err != nil {
		return s.activityError(w, r, a, err, "")
	}
	http.Redirect(w, r, "/worker/activities/"+r.PathValue("id")+"?done=closed", http.StatusSeeOther)
	return nil
}

type activityCodeData struct {
	Title, Code, Until string
	ID                 string
	Refresh            int
}

// workerActivityCode shows the code residents type, large enough to hold up
// on a phone; the page reloads itself before the code turns.
func (s *Server) workerActivityCode(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	id := r.PathValue("id")
	act, err := s.Earning.Activity(r.Context(), a.CommunityID, id)
	if err != nil {
		return err
	}
	code, until, err := s.Earning.ActivityCode(r.Context(), a, a.CommunityID, id)
	if err != nil {
		return err
	}
	refresh := int(until.Sub(s.earningNow()).Seconds()) + 1
	if refresh < 1 || refresh > int(earning.CodePeriod.Seconds())+1 {
		refresh = 15
	}
	w.Header().Set("Refresh", strconv.Itoa(refresh))
	return s.Render(w, r, "worker_activity_code", activityCodeData{Title: act.Title, Code: code, ID: id,
		Until: until.In(civic.Shanghai).Format("15:04:05"), Refresh: refresh})
}
