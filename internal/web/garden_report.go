package web

import (
	"net/http"

	"civicpoints/internal/civic"
	"civicpoints/internal/garden"
)

// The operator's season report (adoptions and fees per mode, plots free and
// taken, tasks done late, harvests per crop) with its xlsx export, and a
// resident's page to link an adoption to their account.
func init() {
	AddPage(Page{Method: "GET", Path: "/garden/op/report", Roles: gardenOperatorRoles, Nav: "garden_pages.nav.report", Handler: (*Server).gardenReport})
	AddPage(Page{Method: "GET", Path: "/garden/op/seasons/{season}/report.xlsx", Roles: gardenOperatorRoles, Handler: (*Server).gardenReportXLSX})
	res := []civic.Role{civic.RoleResident}
	AddPage(Page{Method: "GET", Path: "/resident/garden", Roles: res, Nav: "garden_pages.nav.resident", Handler: (*Server).residentGarden})
	AddPage(Page{Method: "POST", Path: "/resident/garden", Roles: res, Handler: (*Server).residentGardenPost})
}

type modeRow struct {
	garden.ModeFigures
	Fee, Refund, Net string
}

type cropRow struct {
	Crop, Kg string
}

type reportData struct {
	Report  garden.Report
	Seasons []garden.Season
	Modes   []modeRow
	Crops   []cropRow
	Has     bool
}

func (s *Server) reportData(r *http.Request) (d reportData, err error) {
	a, _ := ActorFrom(r.Context())
	if id := r.PathValue("season"); id != "" { // the export names its season in the path
		q := r.URL.Query()
		q.Set("season", id)
		r.URL.RawQuery = q.Encode()
	}
	var se garden.Season
	if se, d.Seasons, d.Has, err = s.gardenSeason(r, a.CommunityID); err != nil || !d.Has {
		return d, err
	}
	if d.Report, err = s.Garden.Report(r.Context(), a, a.CommunityID, se.ID); err != nil {
		return d, err
	}
	for _, m := range d.Report.Modes {
		d.Modes = append(d.Modes, modeRow{ModeFigures: m, Fee: yuan(m.FeeFen), Refund: yuan(m.RefundFen), Net: yuan(m.FeeFen - m.RefundFen)})
	}
	for _, c := range d.Report.Crops {
		d.Crops = append(d.Crops, cropRow{Crop: c.Crop, Kg: kg(c.WeightG)})
	}
	return d, nil
}

func (s *Server) gardenReport(w http.ResponseWriter, r *http.Request) error {
	return s.gardenPage(w, r, "garden_op_report", nil, func() (any, error) { return s.reportData(r) })
}

func (s *Server) gardenReportXLSX(w http.ResponseWriter, r *http.Request) error {
	d, err := s.reportData(r)
	if err != nil {
		return err
	}
	if !d.Has || d.Report.Season.ID != r.PathValue("season") {
		return civic.Errorf(civic.NotFound, "garden.no.season", "no such season")
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="garden-report-`+d.Report.Season.StartsOn+`.xlsx"`)
	return garden.WriteXLSX(w, d.Report, LangFrom(r.Context()))
}

type residentGardenData struct {
	Key    string
	Linked []garden.Adoption
}

func (s *Server) residentGardenData(r *http.Request) (any, error) {
	a, _ := ActorFrom(r.Context())
	list, err := s.Garden.LinkedAdoptions(r.Context(), a.CommunityID, a.ResidentID)
	return residentGardenData{Key: newFormKey(), Linked: list}, err
}

func (s *Server) residentGarden(w http.ResponseWriter, r *http.Request) error {
	return s.gardenPage(w, r, "resident_garden", nil, func() (any, error) { return s.residentGardenData(r) })
}

func (s *Server) residentGardenPost(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	key, err := commandKey(r)
	if err == nil {
		_, err = s.Garden.LinkResident(r.Context(), a, key, garden.LinkRequest{Community: a.CommunityID, Resident: a.ResidentID, Code: r.PostFormValue("code")})
	}
	if err != nil {
		return s.gardenPage(w, r, "resident_garden", err, func() (any, error) { return s.residentGardenData(r) })
	}
	return gardenDone(w, r, "/resident/garden", "linked")
}
