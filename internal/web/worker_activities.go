package web

import (
	"net/http"
	"strings"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/earning"
	"civicpoints/internal/idem"
)

// Worker activities: publish an activity and list the community's recent
// and coming ones. Listing closes activities that have ended, so forgotten
// check-outs reach the approval queue without a scheduler.
func init() {
	wk := []civic.Role{civic.RoleWorker}
	AddPage(Page{Method: "GET", Path: "/worker/activities", Roles: wk, Nav: "earning_pages.nav.worker_activities", Handler: (*Server).workerActivities})
	AddPage(Page{Method: "POST", Path: "/worker/activities", Roles: wk, Handler: (*Server).workerPublish})
}

// recentDays is how far back the worker's list reaches.
const recentDays = 30

type publishForm struct {
	Title, Description, Indicator, Place string
	Start, End, Deadline                 string
	Capacity, Points                     string
	InviteOnly                           bool
	Key                                  string // idempotency: a resent form publishes once
}

type workerActivitiesData struct {
	Form       publishForm
	Indicators []option
	Activities []activityRow
	Next       string
}

func (s *Server) workerActivitiesData(r *http.Request, a civic.Actor, d *workerActivitiesData) error {
	ctx := r.Context()
	if _, err := s.Earning.CloseDue(ctx, a.CommunityID); err != nil {
		s.Log.WarnContext(ctx, "earning: closing ended activities", "err", err)
	}
	names, ins, err := s.indicatorNames(r, a.CommunityID)
	if err != nil {
		return err
	}
	now := s.earningNow()
	d.Indicators = d.Indicators[:0]
	for _, in := range ins {
		if in.ActiveOn(now) {
			d.Indicators = append(d.Indicators, option{Value: in.Code, Label: names[in.Code] + " · " + s.ruleText(r, earning.Rule{Kind: in.Kind, Points: in.Points, Min: in.Min, Max: in.Max})})
		}
	}
	list, next, err := s.Earning.Activities(ctx, a.CommunityID, now.AddDate(0, 0, -recentDays), false, r.URL.Query().Get("cursor"), 30)
	if err != nil {
		return err
	}
	d.Activities = d.Activities[:0]
	for _, act := range list {
		d.Activities = append(d.Activities, activityRow{Activity: act, IndicatorName: names[act.Indicator],
			When: shanghai(act.Start) + " – " + act.End.In(civic.Shanghai).Format("15:04"), DeadlineAt: shanghai(act.Deadline)})
	}
	d.Next = next
	if d.Form.Key == "" {
		d.Form.Key = newFormKey()
	}
	if d.Form.Capacity == "" {
		start := now.Add(24 * time.Hour).In(civic.Shanghai).Truncate(time.Hour)
		d.Form.Capacity, d.Form.Start, d.Form.End = "20", start.Format(localLayout), start.Add(2*time.Hour).Format(localLayout)
	}
	return nil
}

func (s *Server) workerActivities(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	var d workerActivitiesData
	if err := s.workerActivitiesData(r, a, &d); err != nil {
		return err
	}
	return s.Render(w, r, "worker_activities", d)
}

func (s *Server) workerPublish(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	if err := parseForm(r, 0); err != nil {
		return err
	}
	f := publishForm{Title: r.PostFormValue("title"), Description: r.PostFormValue("description"), Indicator: r.PostFormValue("indicator"),
		Place: r.PostFormValue("place"), Start: r.PostFormValue("start"), End: r.PostFormValue("end"), Deadline: r.PostFormValue("deadline"),
		Capacity: r.PostFormValue("capacity"), Points: r.PostFormValue("points"), InviteOnly: r.PostFormValue("invite_only") == "1",
		Key: r.PostFormValue("key")}
	in := earning.Activity{Title: f.Title, Description: strings.TrimSpace(f.Description), Indicator: f.Indicator, Place: f.Place, InviteOnly: f.InviteOnly}
	var err error
	var capacity int64
	times := []struct {
		name string
		to   *time.Time
	}{{"start", &in.Start}, {"end", &in.End}, {"deadline", &in.Deadline}}
	for _, t := range times {
		if err == nil {
			*t.to, err = formTime(r, t.name)
		}
	}
	if err == nil && (in.Start.IsZero() || in.End.IsZero()) {
		err = civic.Errorf(civic.Invalid, "earning_pages.activity.times_required", "the start and the end are required")
	}
	if err == nil {
		capacity, err = formInt(r, "capacity", 0)
		in.Capacity = int(capacity)
	}
	if err == nil {
		in.Points, err = formInt(r, "points", 0)
	}
	var act earning.Activity
	if err == nil {
		var key idem.Key
		if key, err = commandKey(r); err == nil {
			act, err = s.Earning.Publish(r.Context(), a, key, earning.PublishRequest{Community: a.CommunityID, Activity: in})
		}
	}
	if err != nil {
		d := workerActivitiesData{Form: f}
		if derr := s.workerActivitiesData(r, a, &d); derr != nil {
			return derr
		}
		return s.reshow(w, r, err, "worker_activities", d)
	}
	http.Redirect(w, r, "/worker/activities/"+act.ID+"?done=published", http.StatusSeeOther)
	return nil
}
