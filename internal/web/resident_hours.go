package web

import (
	"net/http"

	"civicpoints/internal/civic"
	"civicpoints/internal/earning"
	"civicpoints/internal/idem"
)

// Self-reported hours: service done outside an activity, with evidence, for
// a worker to approve; and the resident's claims with their outcome.
func init() {
	res := []civic.Role{civic.RoleResident}
	AddPage(Page{Method: "GET", Path: "/resident/hours", Roles: res, Nav: "earning_pages.nav.hours", Handler: (*Server).residentHours})
	AddPage(Page{Method: "POST", Path: "/resident/hours", Roles: res, Handler: (*Server).residentHoursPost})
}

type claimRow struct {
	earning.Claim
	IndicatorName, When string
}

type residentHoursData struct {
	Indicators      []option // hourly ones in force
	Indicator, Day  string
	Hours, Minutes  string
	Evidence, Today string
	Key             string // idempotency: a resent report is queued once
	Claims          []claimRow
}

func (s *Server) residentHoursData(r *http.Request, a civic.Actor, d *residentHoursData) error {
	names, ins, err := s.indicatorNames(r, a.CommunityID)
	if err != nil {
		return err
	}
	now := s.earningNow()
	d.Indicators = d.Indicators[:0]
	for _, in := range ins {
		if in.Kind == earning.Hourly && in.ActiveOn(now) {
			d.Indicators = append(d.Indicators, option{Value: in.Code, Label: names[in.Code]})
		}
	}
	d.Today = earning.Day(now)
	if d.Key == "" {
		d.Key = newFormKey()
	}
	if d.Day == "" {
		d.Day = d.Today
	}
	claims, err := s.Earning.ClaimsOf(r.Context(), a.CommunityID, a.ResidentID)
	if err != nil {
		return err
	}
	for _, c := range claims {
		d.Claims = append(d.Claims, claimRow{Claim: c, IndicatorName: names[c.Indicator], When: c.ServiceDay})
	}
	return nil
}

func (s *Server) residentHours(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	var d residentHoursData
	if err := s.residentHoursData(r, a, &d); err != nil {
		return err
	}
	v := View{Data: d}
	if r.URL.Query().Get("done") == "1" {
		v.Flash = s.T(r, "earning_pages.hours.done")
	}
	return s.RenderStatus(w, r, http.StatusOK, "resident_hours", v)
}

func (s *Server) residentHoursPost(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	if err := parseForm(r, 0); err != nil {
		return err
	}
	d := residentHoursData{Indicator: r.PostFormValue("indicator"), Day: r.PostFormValue("day"),
		Hours: r.PostFormValue("hours"), Minutes: r.PostFormValue("minutes"), Evidence: r.PostFormValue("evidence"), Key: r.PostFormValue("key")}
	h, err := formWhole(r, "hours", 0)
	var m, total int64
	if err == nil {
		m, err = formWhole(r, "minutes", 0)
	}
	if err == nil {
		total, err = earning.HoursMinutes(h, m)
	}
	var key idem.Key
	if err == nil {
		key, err = commandKey(r)
	}
	if err == nil {
		_, err = s.Earning.ReportHours(r.Context(), a, key, earning.HoursRequest{Community: a.CommunityID, Resident: a.ResidentID,
			Indicator: d.Indicator, Minutes: total, Day: d.Day, Evidence: d.Evidence})
	}
	if err != nil {
		if derr := s.residentHoursData(r, a, &d); derr != nil {
			return derr
		}
		return s.reshow(w, r, err, "resident_hours", d)
	}
	http.Redirect(w, r, "/resident/hours?done=1", http.StatusSeeOther)
	return nil
}
