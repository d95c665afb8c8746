package web

import (
	"net/http"

	"civicpoints/internal/civic"
	"civicpoints/internal/earning"
)

// Activities to join: upcoming public activities with the resident's own
// place on each (sign up; join the waiting list when full, by choice;
// cancel before the deadline), then the resident's sign-ups with their
// attendance and points.
func init() {
	res := []civic.Role{civic.RoleResident}
	AddPage(Page{Method: "GET", Path: "/resident/activities", Roles: res, Nav: "earning_pages.nav.activities", Handler: (*Server).residentActivities})
	AddPage(Page{Method: "POST", Path: "/resident/activities/{id}/signup", Roles: res, Handler: (*Server).residentSignUp})
	AddPage(Page{Method: "POST", Path: "/resident/activities/{id}/cancel", Roles: res, Handler: (*Server).residentCancel})
}

type activityRow struct {
	earning.Activity
	IndicatorName string
	When          string
	DeadlineAt    string
	Open          bool   // sign-up and cancelling still open
	Mine          string // the resident's sign-up status, "" for none
	Key           string // idempotency key of the row's sign-up or cancel form
}

type mySignUpRow struct {
	earning.MySignUp
	When, In, Out string
}

type residentActivitiesData struct {
	Activities []activityRow
	Mine       []mySignUpRow
	Next       string
}

func (s *Server) residentActivitiesData(r *http.Request, a civic.Actor) (d residentActivitiesData, err error) {
	ctx := r.Context()
	names, _, err := s.indicatorNames(r, a.CommunityID)
	if err != nil {
		return d, err
	}
	now := s.earningNow()
	list, next, err := s.Earning.Activities(ctx, a.CommunityID, now, true, r.URL.Query().Get("cursor"), 20)
	if err != nil {
		return d, err
	}
	mine, err := s.Earning.SignUpsOf(ctx, a.CommunityID, a.ResidentID, 50)
	if err != nil {
		return d, err
	}
	status := map[string]string{}
	for _, m := range mine {
		status[m.ActivityID] = m.Status
		d.Mine = append(d.Mine, mySignUpRow{MySignUp: m, When: shanghai(m.Activity.Start), In: shanghai(m.In), Out: shanghai(m.Out)})
	}
	for _, act := range list {
		d.Activities = append(d.Activities, activityRow{Activity: act, IndicatorName: names[act.Indicator],
			When: shanghai(act.Start) + " – " + act.End.In(civic.Shanghai).Format("15:04"), DeadlineAt: shanghai(act.Deadline),
			Open: act.Status == "published" && now.Before(act.Deadline), Mine: status[act.ID], Key: newFormKey()})
	}
	d.Next = next
	return d, nil
}

func (s *Server) residentActivities(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	d, err := s.residentActivitiesData(r, a)
	if err != nil {
		return err
	}
	v := View{Data: d}
	if done := r.URL.Query().Get("done"); done == "registered" || done == "waitlisted" || done == "cancelled" {
		v.Flash = s.T(r, "earning_pages.activities.done_"+done)
	}
	return s.RenderStatus(w, r, http.StatusOK, "resident_activities", v)
}

func (s *Server) residentSignUp(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	if err := parseForm(r, 0); err != nil {
		return err
	}
	id, wait := r.PathValue("id"), r.PostFormValue("wait") == "1"
	var u earning.SignUp
	key, err := commandKey(r)
	if err == nil {
		u, err = s.Earning.SignUp(r.Context(), a, key, earning.SignUpRequest{Community: a.CommunityID, Activity: id, Resident: a.ResidentID, Wait: wait})
	}
	if err != nil {
		return s.residentActivitiesError(w, r, a, err)
	}
	http.Redirect(w, r, "/resident/activities?done="+u.Status, http.StatusSeeOther)
	return nil
}

func (s *Server) residentCancel(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	if err := parseForm(r, 0); err != nil {
		return err
	}
	id := r.PathValue("id")
	key, err := commandKey(r)
	if err == nil {
		_, err = s.Earning.Withdraw(r.Context(), a, key, earning.WithdrawRequest{Community: a.CommunityID, Activity: id, Resident: a.ResidentID})
	}
	if err != nil {
		return s.residentActivitiesError(w, r, a, err)
	}
	http.Redirect(w, r, "/resident/activities?done=cancelled", http.StatusSeeOther)
	return nil
}

func (s *Server) residentActivitiesError(w http.ResponseWriter, r *http.Request, a civic.Actor, err error) error {
	d, derr := s.residentActivitiesData(r, a)
	if derr != nil {
		return derr
	}
	return s.reshow(w, r, err, "resident_activities", d)
}
