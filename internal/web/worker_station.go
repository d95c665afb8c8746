package web

import (
	"net/http"
	"strconv"

	"civicpoints/internal/civic"
	"civicpoints/internal/station"
)

// The worker's station report: liability cover against the community's
// threshold, the station settings, and activity by month, by good and by
// donor over the last twelve months, exportable to xlsx.
func init() {
	worker := []civic.Role{civic.RoleWorker}
	AddPage(Page{Method: "GET", Path: "/worker/station", Roles: worker, Nav: "station.nav.report", Handler: (*Server).workerStation})
	AddPage(Page{Method: "POST", Path: "/worker/station/settings", Roles: worker, Handler: (*Server).workerStationSettings})
	AddPage(Page{Method: "GET", Path: "/worker/station/report.xlsx", Roles: worker, Handler: (*Server).workerStationXLSX})
}

const reportMonths = 12

type workerStationData struct {
	Key      string // the settings form's idempotency key, new on every render
	Cover    station.Cover
	Funds    string
	Rate     string
	Settings station.Settings
	Report   station.Report
	Months   []monthView
}

type monthView struct {
	station.MonthRow
	Donated, Purchased string
}

func (s *Server) workerStationPage(w http.ResponseWriter, r *http.Request, status int, flash, errMsg string) error {
	a, _ := ActorFrom(r.Context())
	ctx := r.Context()
	d := workerStationData{Key: newFormKey()}
	var err error
	if d.Cover, err = station.GetCover(ctx, s.DB, a.CommunityID); err != nil {
		return err
	}
	if d.Settings, err = station.GetSettings(ctx, s.DB, a.CommunityID); err != nil {
		return err
	}
	from, to := station.MonthRange(s.Clock.Now(), reportMonths)
	if d.Report, err = station.BuildReport(ctx, s.DB, a.CommunityID, from, to); err != nil {
		return err
	}
	for i := len(d.Report.Months) - 1; i >= 0; i-- {
		m := d.Report.Months[i]
		d.Months = append(d.Months, monthView{MonthRow: m, Donated: station.Yuan(m.DonatedFen), Purchased: station.Yuan(m.PurchasedFen)})
	}
	d.Funds, d.Rate = station.Yuan(d.Cover.FundsFen), station.Yuan(d.Settings.FenPerPoint)
	return s.RenderStatus(w, r, status, "worker_station", View{Flash: flash, Error: errMsg, Data: d})
}

func (s *Server) workerStation(w http.ResponseWriter, r *http.Request) error {
	return s.workerStationPage(w, r, http.StatusOK, "", "")
}

func (s *Server) workerStationSettings(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	key, err := commandKey(r)
	var fen, threshold, days int64
	if err == nil {
		fen, err = station.ParseYuan(r.PostFormValue("rate"))
	}
	if err == nil {
		var err1, err2 error
		threshold, err1 = strconv.ParseInt(r.PostFormValue("threshold"), 10, 64)
		days, err2 = strconv.ParseInt(r.PostFormValue("release_days"), 10, 64)
		if err1 != nil || err2 != nil {
			err = civic.Errorf(civic.Invalid, "station.not_a_number", "%q is not a whole number", r.PostFormValue("threshold")+" / "+r.PostFormValue("release_days"))
		}
	}
	if err == nil {
		_, err = s.Station.SaveSettings(r.Context(), a, key, station.SettingsRequest{Community: a.CommunityID, FenPerPoint: fen,
			CoverThresholdPct: threshold, ReleaseDays: days})
	}
	return s.stationAnswer(r, err, "station.settings.saved", func(status int, flash, errMsg string) error {
		return s.workerStationPage(w, r, status, flash, errMsg)
	})
}

func (s *Server) workerStationXLSX(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	from, to := station.MonthRange(s.Clock.Now(), reportMonths)
	rep, err := station.BuildReport(r.Context(), s.DB, a.CommunityID, from, to)
	if err != nil {
		return err
	}
	name := "station-report-" + to.AddDate(0, -1, 0).In(civic.Shanghai).Format("2006-01") + ".xlsx"
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	return station.WriteXLSX(w, rep, LangFrom(r.Context()))
}
