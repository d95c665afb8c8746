package web

import (
	"net/http"
	"strings"

	"civicpoints/internal/civic"
	"civicpoints/internal/earning"
	"civicpoints/internal/i18n"
	"civicpoints/internal/idem"
	"civicpoints/internal/ledger"
)

// The award form: one resident, or many at once (an activity's attendees or
// a pasted list), with a result per resident. Each form carries a hidden
// idempotency key made when it is rendered and passed to earning's Award or
// BulkAward command, so a double submit or a resent POST returns the first
// answer instead of awarding twice. Award is the command the API's POST
// /awards calls: one key sent both ways awards once.
func init() {
	wk := []civic.Role{civic.RoleWorker}
	AddPage(Page{Method: "GET", Path: "/worker/award", Roles: wk, Nav: "earning_pages.nav.award", Handler: (*Server).workerAward})
	AddPage(Page{Method: "POST", Path: "/worker/award", Roles: wk, Long: []string{"list"}, Handler: (*Server).workerAwardPost})
}

type awardForm struct {
	Key, BulkKey, Mode          string // mode: single or bulk; a key per form
	Resident, Indicator, Points string
	Reason, List, Activity      string
}

type awardResult struct {
	Name, ResidentID, TransferID string
	Balance                      int64
	Error                        string
}

type workerAwardData struct {
	Form           awardForm
	Indicators     []option
	ActivityTitle  string
	Attendees      int
	Results        []awardResult
	Awarded        int
	Failed         int
	Replayed       bool
	AwardedPoints  string
	AwardIndicator string
	ResidentFind   // finding a resident by name (worker_award_find.go)
}

func (s *Server) workerAwardData(r *http.Request, a civic.Actor, d *workerAwardData) error {
	names, ins, err := s.indicatorNames(r, a.CommunityID)
	if err != nil {
		return err
	}
	d.Indicators = d.Indicators[:0]
	for _, in := range ins {
		d.Indicators = append(d.Indicators, option{Value: in.Code, Label: names[in.Code] + " · " + s.ruleText(r, in.Rule)})
	}
	if d.Form.Key == "" {
		d.Form.Key = newFormKey()
	}
	if d.Form.BulkKey == "" {
		d.Form.BulkKey = newFormKey()
	}
	if d.Form.Activity != "" {
		act, err := s.Earning.Activity(r.Context(), a.CommunityID, d.Form.Activity)
		if err != nil {
			return err
		}
		d.ActivityTitle = act.Title
		ids, err := s.Earning.Attendees(r.Context(), a.CommunityID, act.ID)
		if err != nil {
			return err
		}
		d.Attendees = len(ids)
		if d.Form.Indicator == "" {
			d.Form.Indicator = act.Indicator
		}
	}
	if d.Form.Mode == "" {
		d.Form.Mode = "single"
		if d.Form.Activity != "" {
			d.Form.Mode = "bulk"
		}
	}
	s.chosenLabel(r, a, d)
	return nil
}

func (s *Server) workerAward(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	q := r.URL.Query()
	d := workerAwardData{Form: awardForm{Resident: q.Get("resident"), Activity: q.Get("activity"), Mode: q.Get("mode")}, ResidentFind: ResidentFind{Action: "/worker/award", Find: q.Get("q")}}
	if err := s.workerAwardData(r, a, &d); err != nil {
		return err
	}
	if err := s.findResidents(r, a, &d.ResidentFind); err != nil {
		return s.reshow(w, r, err, "worker_award", d)
	}
	return s.Render(w, r, "worker_award", d)
}

func (s *Server) workerAwardPost(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a, _ := ActorFrom(ctx)
	if err := parseForm(r, 0); err != nil {
		return err
	}
	f := awardForm{Mode: r.PostFormValue("mode"), Resident: strings.TrimSpace(r.PostFormValue("resident")),
		Indicator: r.PostFormValue("indicator"), Points: r.PostFormValue("points"), Reason: r.PostFormValue("reason"),
		List: r.PostFormValue("list"), Activity: r.PostFormValue("activity")}
	// The form's own key, or a refusal: without one every worker's keyless
	// post would share one key and replay one award community-wide.
	key, err := commandKey(r)
	if err == nil {
		if f.Mode == "bulk" {
			f.BulkKey = string(key)
		} else {
			f.Key = string(key)
		}
	}
	if err == nil && f.Mode != "single" && f.Mode != "bulk" {
		err = civic.Errorf(civic.Invalid, "earning_pages.award.bad_mode", "unknown kind of award %q: use single or bulk", f.Mode)
	}
	d := workerAwardData{Form: f}
	var points int64
	if err == nil {
		points, err = formWhole(r, "points", 0)
	}
	if err == nil && f.Mode == "bulk" {
		err = s.awardBulk(r, a, key, f, points, &d)
	} else if err == nil {
		var res ledger.Result
		res, err = s.Earning.Award(ctx, a, key, earning.AwardRequest{Community: a.CommunityID, Resident: f.Resident, Indicator: f.Indicator,
			Points: points, Reason: f.Reason})
		if err == nil {
			d.Awarded = 1
			d.Results = []awardResult{{ResidentID: f.Resident, Name: s.residentLabel(r, a.CommunityID, f.Resident), TransferID: res.TransferID, Balance: res.Balance}}
		}
	}
	if err != nil {
		if derr := s.workerAwardData(r, a, &d); derr != nil {
			return derr
		}
		return s.reshow(w, r, err, "worker_award", d)
	}
	// Done: show the results with a fresh form (and key) for the next award.
	d.AwardedPoints, d.AwardIndicator = f.Points, f.Indicator
	next := workerAwardData{Form: awardForm{Mode: f.Mode, Indicator: f.Indicator}, Results: d.Results, Awarded: d.Awarded,
		Failed: d.Failed, Replayed: d.Replayed, AwardedPoints: d.AwardedPoints, AwardIndicator: d.AwardIndicator}
	if err := s.workerAwardData(r, a, &next); err != nil {
		return err
	}
	v := View{Data: next, Flash: s.T(r, "earning_pages.award.done", d.Awarded, d.Failed)}
	return s.RenderStatus(w, r, http.StatusOK, "worker_award", v)
}

// awardBulk gives one award to an activity's attendees or a pasted list and
// fills a result per resident.
func (s *Server) awardBulk(r *http.Request, a civic.Actor, key idem.Key, f awardForm, points int64, d *workerAwardData) error {
	b := earning.BulkAwardRequest{Community: a.CommunityID, Activity: f.Activity, Indicator: f.Indicator, Points: points, Reason: f.Reason}
	if f.Activity == "" {
		b.Residents = earning.ParseResidentList(f.List)
	}
	ctx, replayed := idem.WithReplayFlag(r.Context())
	res, err := s.Earning.BulkAward(ctx, a, key, b)
	if err != nil {
		return err
	}
	lang := LangFrom(r.Context())
	d.Awarded, d.Failed, d.Replayed = res.Awarded, res.Failed, *replayed
	ids := make([]string, 0, len(res.Items))
	for _, it := range res.Items {
		ids = append(ids, it.ResidentID)
	}
	names := s.residentLabels(r, a.CommunityID, ids)
	for _, it := range res.Items {
		ar := awardResult{ResidentID: it.ResidentID, Name: names[it.ResidentID], TransferID: it.TransferID, Balance: it.Balance}
		if it.Error != nil {
			ar.Error = i18n.Error(lang, it.Error)
		}
		d.Results = append(d.Results, ar)
	}
	return nil
}
