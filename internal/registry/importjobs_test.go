package registry

import (
	"context"
	"strings"
	"testing"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
)

// An upload kept as a job: its dry run is read back (bad rows translated
// again), nothing in it is in clear, only its uploader sees it, one
// confirmation imports it (a second one is told it started, the same one
// again replays), every time stored is the clock's, and the jobs runner
// deletes it an hour after its last change.
func TestImportJobLifecycle(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		clock := civic.NewFixedClock(testNow)
		f := setup(t, d)
		f.s.Clock = clock
		rows := SyntheticRows(21, []string{"江滨苑"}, 4, 10, testNow)
		rows[3].Phone = "12345"
		key := newKey()
		req := StageImportRequest{Community: f.c, FileName: "居民.csv", Rows: rows}
		st, err := f.s.StageImport(ctx, f.worker, key, req)
		if err != nil || st.Total != 10 || st.New != 9 || st.Bad != 1 {
			t.Fatalf("stage: %+v %v", st, err)
		}
		if again, err := f.s.StageImport(ctx, f.worker, key, req); err != nil || again != st {
			t.Fatalf("the same upload again: %+v %v, want the same job %+v", again, err, st)
		}
		var sealed string
		if err := d.QueryRow(ctx, "SELECT rows_sealed || report_sealed FROM registry_import_jobs WHERE community_id = $1", f.c).Scan(&sealed); err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r.IDNumber != "" && strings.Contains(sealed, r.IDNumber) || r.Phone != "" && strings.Contains(sealed, r.Phone) || strings.Contains(sealed, r.Name) {
				t.Fatalf("the job keeps row %d in clear", r.Line)
			}
		}
		j, err := f.s.ImportJob(ctx, f.worker, f.c, st.Job)
		if err != nil || j.Status != ImportChecked || j.FileName != "居民.csv" || !j.Created.Equal(testNow) || len(j.Plan.Errors) != 1 {
			t.Fatalf("job: %+v %v", j, err)
		}
		if e := civic.AsError(j.Plan.Errors[0].Err); e == nil || e.Key != "registry.phone" || j.Plan.Errors[0].Line != rows[3].Line || j.Plan.Errors[0].Field != "phone" {
			t.Errorf("bad row read back: %+v", j.Plan.Errors[0])
		}
		other := f.worker
		other.UserID = "w2"
		if _, err := f.s.ImportJob(ctx, other, f.c, st.Job); civic.ErrorCode(err) != civic.NotFound {
			t.Errorf("another worker's upload: %v, want not found", err)
		}

		// Bad rows refuse the import before it is claimed: the worker may
		// tick "valid rows only" and confirm again.
		apply := ApplyImportRequest{Community: f.c, Job: st.Job}
		if _, err := f.s.ApplyImport(ctx, f.worker, newKey(), apply); civic.AsError(err) == nil || civic.AsError(err).Key != "registry.import_has_errors" {
			t.Fatalf("apply with bad rows: %v", err)
		}
		apply.ValidOnly = true
		clock.Advance(time.Minute)
		sawStart := false
		key = newKey()
		res, err := f.s.ApplyImport(WithImportWatch(ctx, ImportWatch{Started: func() { sawStart = true }}), f.worker, key, apply)
		if err != nil || res.Added != 9 || res.Skipped != 1 || !sawStart {
			t.Fatalf("apply: %+v %v (started %v)", res, err, sawStart)
		}
		if again, err := f.s.ApplyImport(ctx, f.worker, key, apply); err != nil || again != res {
			t.Errorf("the same confirmation again: %+v %v", again, err)
		}
		if _, err := f.s.ApplyImport(ctx, f.worker, newKey(), apply); civic.AsError(err) == nil || civic.AsError(err).Key != "registry.import_started" {
			t.Errorf("another confirmation: %v, want import_started", err)
		}
		j, err = f.s.ImportJob(ctx, f.worker, f.c, st.Job)
		if err != nil || j.Status != ImportDone || j.Result != res || !j.ValidOnly {
			t.Fatalf("job after the import: %+v %v", j, err)
		}
		var started, finished, updated int64
		if err := d.QueryRow(ctx, "SELECT started_at, finished_at, updated_at FROM registry_import_jobs WHERE community_id = $1 AND id = $2", f.c, st.Job).
			Scan(&started, &finished, &updated); err != nil {
			t.Fatal(err)
		}
		if want := db.Millis(testNow.Add(time.Minute)); started != want || finished != want || updated != want {
			t.Errorf("stored times %d %d %d, want the clock's %d", started, finished, updated, want)
		}
		var residents int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM residents WHERE community_id = $1", f.c).Scan(&residents); err != nil || residents != 9 {
			t.Errorf("residents = %d (%v), want 9", residents, err)
		}

		// An hour later the job is gone, to the page and from the table.
		clock.Advance(ImportJobTTL + time.Second)
		if _, err := f.s.ImportJob(ctx, f.worker, f.c, st.Job); civic.ErrorCode(err) != civic.NotFound {
			t.Errorf("a job past its hour: %v, want not found", err)
		}
		if n, err := f.s.ExpireImports(ctx, f.c); err != nil || n != 1 {
			t.Errorf("expired %d jobs (%v), want 1", n, err)
		}
	})
}

// A job whose server went away mid-import stays running only until the
// jobs runner sees it past ImportTimeout: then it has failed, and says so.
func TestStalledImportJobFails(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		clock := civic.NewFixedClock(testNow)
		f := setup(t, d)
		f.s.Clock = clock
		st, err := f.s.StageImport(ctx, f.worker, newKey(), StageImportRequest{Community: f.c, FileName: "a.xlsx", Rows: SyntheticRows(3, []string{"江滨苑"}, 2, 4, testNow)})
		if err != nil {
			t.Fatal(err)
		}
		// Claimed, as by a server that then stopped.
		if claimed, err := f.s.claimJob(ctx, ApplyImportRequest{Community: f.c, Job: st.Job}, newKey()); err != nil || !claimed {
			t.Fatalf("claim: %v %v", claimed, err)
		}
		clock.Advance(ImportTimeout)
		if _, err := f.s.ExpireImports(ctx, f.c); err != nil {
			t.Fatal(err)
		}
		if j, _ := f.s.ImportJob(ctx, f.worker, f.c, st.Job); j.Status != ImportRunning {
			t.Fatalf("a job running for the import timeout is %s, want still running", j.Status)
		}
		clock.Advance(2 * time.Minute)
		if _, err := f.s.ExpireImports(ctx, f.c); err != nil {
			t.Fatal(err)
		}
		j, err := f.s.ImportJob(ctx, f.worker, f.c, st.Job)
		if e := civic.AsError(j.Err); err != nil || j.Status != ImportFailed || e == nil || e.Key != "registry.import_stalled" {
			t.Fatalf("stalled job: %s %v %v", j.Status, j.Err, err)
		}
	})
}
