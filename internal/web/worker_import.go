package web

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/i18n"
	"civicpoints/internal/importer"
	"civicpoints/internal/registry"
)

// Import from a worker page: upload an xlsx or csv file, read the dry-run
// report of every bad row (row, column, reason, translated), then confirm;
// a file with bad rows imports its valid rows only when the worker ticks so.
// The import runs in the background and its page shows the progress
// (refreshing itself without JavaScript).
func init() {
	AddPage(Page{Method: "GET", Path: "/worker/import", Roles: workerOnly, Nav: "registry.ui.nav.import", Handler: (*Server).workerImportForm})
	AddPage(Page{Method: "POST", Path: "/worker/import", Roles: workerOnly, Upload: importer.MaxBytes, Handler: (*Server).workerImportUpload})
	AddPage(Page{Method: "GET", Path: "/worker/import/template.xlsx", Roles: workerOnly, Handler: (*Server).workerImportTemplate})
	AddPage(Page{Method: "GET", Path: "/worker/import/{job}", Roles: workerOnly, Handler: (*Server).workerImportJob})
	AddPage(Page{Method: "POST", Path: "/worker/import/{job}/apply", Roles: workerOnly, Handler: (*Server).workerImportApply})
}

// importTimeout bounds one import running after its request has returned.
const importTimeout = 30 * time.Minute

type rowProblem struct {
	Line           int
	Column, Reason string
}

type workerImportData struct {
	Job      *importJob
	Problems []rowProblem
	Status   importStatus
	Message  string // the translated outcome once finished
}

func (s *Server) workerImportForm(w http.ResponseWriter, r *http.Request) error {
	return s.Render(w, r, "worker_import", workerImportData{})
}

func (s *Server) workerImportTemplate(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="residents-template.xlsx"`)
	return importer.WriteTemplate(w, nil)
}

func (s *Server) workerImportUpload(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	bad := func(err error) error {
		return s.RenderStatus(w, r, http.StatusBadRequest, "worker_import", View{Error: i18n.Error(LangFrom(r.Context()), err), Data: workerImportData{}})
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return bad(civic.Errorf(civic.Invalid, "registry.ui.import_no_file", "choose an xlsx or csv file (up to 50 MB)"))
	}
	defer file.Close()
	rows, err := importer.Read(file, hdr.Size)
	if err != nil {
		if civic.ErrorCode(err) == civic.Invalid {
			return bad(err)
		}
		return err
	}
	plan, err := s.Registry.PlanImport(r.Context(), a, a.CommunityID, rows)
	if err != nil {
		return err
	}
	j := &importJob{ID: civic.NewID(), CommunityID: a.CommunityID, UserID: a.UserID, FileName: hdr.Filename, Created: time.Now(), Plan: plan}
	uploads.add(j)
	s.Log.InfoContext(r.Context(), "import checked", "job", j.ID, "rows", plan.Total, "new", plan.New, "bad", len(plan.Errors))
	http.Redirect(w, r, "/worker/import/"+j.ID, http.StatusSeeOther)
	return nil
}

func (s *Server) workerImportJob(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	j, err := uploads.get(a, r.PathValue("job"))
	if err != nil {
		return err
	}
	lang := LangFrom(r.Context())
	d := workerImportData{Job: j, Status: j.status()}
	for _, e := range j.Plan.Errors {
		d.Problems = append(d.Problems, rowProblem{Line: e.Line, Column: columnLabel(lang, e.Field), Reason: i18n.Error(lang, e.Err)})
	}
	st := d.Status
	switch {
	case st.Finished && st.Err != nil:
		d.Message = i18n.Error(lang, st.Err)
		if civic.ErrorCode(st.Err) == civic.Internal {
			d.Message = i18n.T(lang, "error.internal")
		}
	case st.Finished:
		d.Message = i18n.T(lang, "import.applied", st.Result.Added, st.Result.Households, st.Result.Estates, st.Elapsed.Round(time.Millisecond).String())
	case st.Started:
		// Progress without JavaScript: the browser reloads the page.
		w.Header().Set("Refresh", "1")
	}
	return s.Render(w, r, "worker_import_job", d)
}

func (s *Server) workerImportApply(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	j, err := uploads.get(a, r.PathValue("job"))
	if err != nil {
		return err
	}
	validOnly := r.PostFormValue("valid_only") == "1"
	if len(j.Plan.Errors) > 0 && !validOnly {
		return civic.Errorf(civic.Invalid, "registry.import_has_errors", "the file has %d bad row(s): fix them, or choose to import only the valid rows", len(j.Plan.Errors))
	}
	if j.start(validOnly) {
		go s.runImport(a, j, validOnly)
	}
	http.Redirect(w, r, "/worker/import/"+j.ID, http.StatusSeeOther)
	return nil
}

// runImport applies a checked plan after the request that confirmed it
// returned, recording progress on the job.
func (s *Server) runImport(a civic.Actor, j *importJob, validOnly bool) {
	ctx, cancel := context.WithTimeout(context.Background(), importTimeout)
	defer cancel()
	start := time.Now()
	var res registry.ImportResult
	var err error
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("import panicked: %v", p) // an internal error: the page says only that something failed
		}
		j.finish(res, err, time.Since(start))
		if err != nil {
			s.Log.Error("import failed", "job", j.ID, "err", err)
		} else {
			s.Log.Info("import applied", "job", j.ID, "added", res.Added, "elapsed", time.Since(start))
		}
	}()
	res, err = s.Registry.ApplyImport(ctx, a, j.Plan, validOnly, j.progress)
}

// columnLabel names a file column in the page language: the template's
// Chinese header, or its English name.
func columnLabel(lang i18n.Lang, field string) string {
	if field == "" {
		return "—"
	}
	return i18n.T(lang, "registry.ui.col."+field)
}
