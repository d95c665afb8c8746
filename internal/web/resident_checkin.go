package web

import (
	"net/http"
	"strings"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/earning"
)

// Check in and out by typing the activity's rotating 6-digit code, shown
// on the worker's phone at the activity.
func init() {
	res := []civic.Role{civic.RoleResident}
	AddPage(Page{Method: "GET", Path: "/resident/checkin", Roles: res, Nav: "earning_pages.nav.checkin", Handler: (*Server).residentCheckin})
	AddPage(Page{Method: "POST", Path: "/resident/checkin", Roles: res, Handler: (*Server).residentCheckinPost})
}

type checkinData struct {
	Activities []mySignUpRow // the resident's places at activities not over yet
	Selected   string
	Key        string // idempotency: a resent check-in or check-out counts once
}

func (s *Server) checkinData(r *http.Request, a civic.Actor, selected string) (d checkinData, err error) {
	mine, err := s.Earning.SignUpsOf(r.Context(), a.CommunityID, a.ResidentID, 50)
	if err != nil {
		return d, err
	}
	now := s.earningNow()
	for _, m := range mine {
		// Places at activities starting within a day, or on now; and, until
		// the activity is closed, wherever the resident is still checked in.
		open := now.Before(m.Activity.End) && !now.Before(m.Activity.Start.Add(-earning.CheckInEarly-24*time.Hour))
		if m.Status == "registered" && m.Activity.Status == "published" && (open || m.Attendance == "in") {
			d.Activities = append(d.Activities, mySignUpRow{MySignUp: m, When: shanghai(m.Activity.Start)})
		}
	}
	d.Selected, d.Key = selected, newFormKey()
	if d.Selected == "" && len(d.Activities) > 0 {
		d.Selected = d.Activities[0].ActivityID
	}
	return d, nil
}

func (s *Server) residentCheckin(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	q := r.URL.Query()
	d, err := s.checkinData(r, a, q.Get("activity"))
	if err != nil {
		return err
	}
	v := View{Data: d}
	switch q.Get("done") {
	case "in":
		v.Flash = s.T(r, "earning_pages.checkin.done_in")
	case "out":
		v.Flash = s.T(r, "earning_pages.checkin.done_out")
		mine, err := s.Earning.SignUpsOf(r.Context(), a.CommunityID, a.ResidentID, 50)
		if err != nil {
			return err
		}
		for _, m := range mine {
			if m.ActivityID == q.Get("activity") && m.Attendance == "out" {
				v.Flash = s.T(r, "earning_pages.checkin.done_out_"+awardState(m.Award), m.Minutes, m.Points)
			}
		}
	}
	return s.RenderStatus(w, r, http.StatusOK, "resident_checkin", v)
}

// awardState names the outcome of a check-out for the flash message.
func awardState(award string) string {
	if award == "awarded" || award == "pending" {
		return award
	}
	return "none"
}

func (s *Server) residentCheckinPost(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	if err := parseForm(r, 0); err != nil {
		return err
	}
	id, code := r.PostFormValue("activity"), strings.TrimSpace(r.PostFormValue("code"))
	req := earning.AttendRequest{Community: a.CommunityID, Activity: id, Method: earning.Code, Resident: a.ResidentID, Code: code}
	key, err := commandKey(r)
	switch {
	case err == nil && r.PostFormValue("action") == "out":
		_, err = s.Earning.CheckOut(r.Context(), a, key, req)
	case err == nil:
		_, err = s.Earning.CheckIn(r.Context(), a, key, req)
	}
	if err != nil {
		d, derr := s.checkinData(r, a, id)
		if derr != nil {
			return derr
		}
		return s.reshow(w, r, err, "resident_checkin", d)
	}
	done := "in"
	if r.PostFormValue("action") == "out" {
		done = "out"
	}
	http.Redirect(w, r, "/resident/checkin?done="+done+"&activity="+id, http.StatusSeeOther)
	return nil
}
