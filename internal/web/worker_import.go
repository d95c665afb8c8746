package web

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/i18n"
	"civicpoints/internal/idem"
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

type rowProblem struct {
	Line           int
	Column, Reason string
}

type workerImportData struct {
	Job      *registry.ImportJob
	Problems []rowProblem
	Status   importStatus
	Message  string // the translated outcome once finished
	Key      string // the hidden key of the upload or the confirmation form
}

func (s *Server) workerImportForm(w http.ResponseWriter, r *http.Request) error {
	return s.Render(w, r, "worker_import", workerImportData{Key: newFormKey()})
}

func (s *Server) workerImportTemplate(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="residents-template.xlsx"`)
	return importer.WriteTemplate(w, nil)
}

func (s *Server) workerImportUpload(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	bad := func(err error) error {
		return s.RenderStatus(w, r, http.StatusBadRequest, "worker_import", View{Error: i18n.Error(LangFrom(r.Context()), err), Data: workerImportData{Key: newFormKey()}})
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return bad(civic.Errorf(civic.Invalid, "registry.ui.import_no_file", "choose an xlsx or csv file (up to 50 MB)"))
	}
	defer file.Close()
	key, err := idem.ParseKey(r.PostFormValue("key"))
	if err != nil {
		return bad(err)
	}
	rows, err := importer.Read(file, hdr.Size)
	if err != nil {
		if civic.ErrorCode(err) == civic.Invalid {
			return bad(err)
		}
		return err
	}
	st, err := s.Registry.StageImport(r.Context(), a, key, registry.StageImportRequest{Community: a.CommunityID, FileName: hdr.Filename, Rows: rows})
	if err != nil {
		return err
	}
	s.Log.InfoContext(r.Context(), "import checked", "job", st.Job, "rows", st.Total, "new", st.New, "bad", st.Bad)
	http.Redirect(w, r, "/worker/import/"+st.Job, http.StatusSeeOther)
	return nil
}

func (s *Server) workerImportJob(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	j, err := s.Registry.ImportJob(r.Context(), a, a.CommunityID, r.PathValue("job"))
	if err != nil {
		return err
	}
	lang := LangFrom(r.Context())
	d := workerImportData{Job: &j, Status: statusOf(j), Key: newFormKey()}
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

// workerImportApply confirms an upload. The import outlives this request:
// the request waits only until the registry has claimed the job (from then
// on every server's job page shows it running) or refused it, then
// redirects to the job's page.
func (s *Server) workerImportApply(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	key, err := idem.ParseKey(r.PostFormValue("key"))
	if err != nil {
		return err
	}
	req := registry.ApplyImportRequest{Community: a.CommunityID, Job: r.PathValue("job"), ValidOnly: r.PostFormValue("valid_only") == "1"}
	started, done := make(chan struct{}), make(chan error, 1)
	ctx := registry.WithImportWatch(context.WithoutCancel(r.Context()), registry.ImportWatch{Started: func() { close(started) }})
	go s.runImport(ctx, a, key, req, done)
	select {
	case <-started:
	case err := <-done:
		select {
		case <-started: // claimed, and already finished: its page tells how
		default:
			// Refused before the claim. Already confirmed (a second click,
			// another tab): the job's page shows how it goes.
			if e := civic.AsError(err); err != nil && (e == nil || e.Key != "registry.import_started") {
				return err
			}
		}
	}
	http.Redirect(w, r, "/worker/import/"+req.Job, http.StatusSeeOther)
	return nil
}

// runImport runs the import command after the request that confirmed it
// may have returned, bounded by registry.ImportTimeout. The outcome is the
// job's (the registry records it); this only logs it.
func (s *Server) runImport(ctx context.Context, a civic.Actor, key idem.Key, req registry.ApplyImportRequest, done chan<- error) {
	ctx, cancel := context.WithTimeout(ctx, registry.ImportTimeout)
	defer cancel()
	var res registry.ImportResult
	var err error
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("import panicked: %v", p) // the registry marked the job failed; the page says only that something failed
		}
		switch {
		case err == nil:
			s.Log.Info("import applied", "job", req.Job, "added", res.Added)
		case civic.ErrorCode(err) == civic.Internal:
			s.Log.Error("import failed", "job", req.Job, "err", err)
		default:
			s.Log.Info("import refused", "job", req.Job, "err", err)
		}
		done <- err
	}()
	res, err = s.Registry.ApplyImport(ctx, a, key, req)
}

// columnLabel names a file column in the page language: the template's
// Chinese header, or its English name.
func columnLabel(lang i18n.Lang, field string) string {
	if field == "" {
		return "—"
	}
	return i18n.T(lang, "registry.ui.col."+field)
}
