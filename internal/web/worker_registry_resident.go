package web

import (
	"net/http"

	"civicpoints/internal/civic"
	"civicpoints/internal/i18n"
	"civicpoints/internal/idem"
	"civicpoints/internal/registry"
)

// One resident's record as a worker sees it: masked ID number and phone
// until the worker opens them with a reason (audited by the registry), the
// colours with their history, the red label for workers holding the grant,
// the visit history and a form to record a visit.
func init() {
	AddPage(Page{Method: "GET", Path: "/worker/registry/residents/{id}", Roles: workerOnly, Handler: (*Server).workerResident})
	AddPage(Page{Method: "POST", Path: "/worker/registry/residents/{id}/open", Roles: workerOnly, Handler: (*Server).workerResidentOpen})
	AddPage(Page{Method: "POST", Path: "/worker/registry/residents/{id}/red", Roles: workerOnly, Handler: (*Server).workerResidentRed})
}

type workerResidentData struct {
	Resident  registry.Resident
	Opened    bool // ID number and phone shown in full
	CanRed    bool
	IsRed     bool
	History   []registry.ColourChange
	Visits    []registry.Visit
	NextVisit string
	Today     string
	Why       string
	// The hidden keys of the visit and red forms, new on every rendering:
	// a resent form replays its first answer instead of writing twice.
	VisitKey, RedKey string
}

// residentPage renders a resident's record; rec is the record already read
// (by OpenRecord) or nil to read it, so each response reads, and audits, once.
func (s *Server) residentPage(w http.ResponseWriter, r *http.Request, status int, rec *registry.Record, d workerResidentData, flash, errMsg string) error {
	a, _ := ActorFrom(r.Context())
	ctx := r.Context()
	if rec == nil {
		read, err := s.Registry.ResidentRecord(ctx, a, a.CommunityID, r.PathValue("id"), r.URL.Query().Get("vcursor"))
		if err != nil {
			return err
		}
		rec = &read
	}
	d.Resident, d.History, d.Visits = rec.Resident, rec.History, rec.Visits
	d.NextVisit = nextURL(r, "vcursor", rec.NextVisits)
	d.CanRed = registry.SeesRed(a, a.CommunityID)
	d.IsRed = d.Resident.Colours.Has(registry.Red)
	d.Today = registry.Today(s.Clock.Now()).Format("2006-01-02")
	d.VisitKey, d.RedKey = newFormKey(), newFormKey()
	if r.URL.Query().Get("done") == "visit" {
		flash = s.T(r, "registry.ui.visit_recorded")
	}
	if r.URL.Query().Get("done") == "red" {
		flash = s.T(r, "registry.ui.red_saved")
	}
	return s.RenderStatus(w, r, status, "worker_resident", View{Flash: flash, Error: errMsg, Data: d})
}

func (s *Server) workerResident(w http.ResponseWriter, r *http.Request) error {
	return s.residentPage(w, r, http.StatusOK, nil, workerResidentData{}, "", "")
}

// workerResidentOpen shows the full ID number and phone once, on the
// response to the POST that gave the reason; a reload of the record shows
// them masked again.
func (s *Server) workerResidentOpen(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	why := r.PostFormValue("why")
	rec, err := s.Registry.OpenRecord(r.Context(), a, a.CommunityID, r.PathValue("id"), why)
	if err != nil {
		return s.formError(w, r, err, func(status int, msg string) error {
			return s.residentPage(w, r, status, nil, workerResidentData{Why: why}, "", msg)
		})
	}
	return s.residentPage(w, r, http.StatusOK, &rec, workerResidentData{Opened: true}, s.T(r, "registry.ui.opened"), "")
}

func (s *Server) workerResidentRed(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	id := r.PathValue("id")
	key, err := idem.ParseKey(r.PostFormValue("key"))
	if err == nil {
		_, err = s.Registry.SetRed(r.Context(), a, key, registry.SetRedRequest{Community: a.CommunityID, Resident: id,
			Red: r.PostFormValue("red") == "1", Reason: r.PostFormValue("reason")})
	}
	if err != nil {
		return s.formError(w, r, err, func(status int, msg string) error {
			return s.residentPage(w, r, status, nil, workerResidentData{}, "", msg)
		})
	}
	http.Redirect(w, r, "/worker/registry/residents/"+id+"?done=red", http.StatusSeeOther)
	return nil
}

// formError re-renders a form page with a translated message for errors
// the user can correct; anything else goes to the error page.
func (s *Server) formError(w http.ResponseWriter, r *http.Request, err error, rerender func(status int, msg string) error) error {
	switch c := civic.ErrorCode(err); c {
	case civic.Invalid, civic.Conflict:
		return rerender(HTTPStatus(c), i18n.Error(LangFrom(r.Context()), err))
	}
	return err
}
