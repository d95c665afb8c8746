package registry

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
)

// An upload on a page is an import job (registry_import_jobs, migration
// 0206): the file's rows and its dry run, kept in the database so that any
// server behind a balancer shows the dry run and runs the import, and the
// import's status, progress and outcome, shown by whichever server is asked.

// ImportJobTTL is how long a job is kept after its last change.
const ImportJobTTL = time.Hour

// ImportTimeout bounds one import. A job still running after it (and a
// minute's grace) has lost its server: the jobs runner marks it failed.
const ImportTimeout = 30 * time.Minute

// ImportStatus is where a job is.
type ImportStatus string

const (
	ImportChecked ImportStatus = "checked" // the dry run is done, waiting for confirmation
	ImportRunning ImportStatus = "running"
	ImportDone    ImportStatus = "done"
	ImportFailed  ImportStatus = "failed"
)

// ImportJob is an uploaded file between its dry run and its import, as its
// uploader sees it. It shows what the uploader's own file holds (its bad
// rows), not what the registry holds, so reading it is not a disclosure.
type ImportJob struct {
	ID, CommunityID, UserID, FileName string
	Created                           time.Time
	Plan                              *Plan // the dry run: totals and every bad row
	Status                            ImportStatus
	ValidOnly                         bool
	Done, Total                       int           // rows written of rows to write, while running
	Result                            ImportResult  // once done
	Err                               error         // once failed
	Elapsed                           time.Duration // from confirmation to outcome, by the clock
}

// StageImportRequest is a file's rows to check and keep until confirmed.
type StageImportRequest struct {
	Community string      `json:"community"`
	FileName  string      `json:"file_name"`
	Rows      []ImportRow `json:"rows"`
}

// StagedImport names a kept upload with its dry run's figures.
type StagedImport struct {
	Job      string `json:"job"`
	Total    int    `json:"total"`
	New      int    `json:"new"`
	Existing int    `json:"existing"`
	Bad      int    `json:"bad"`
}

// StageImport checks a file's rows as a dry run and keeps them, sealed, with
// the report, for an hour: the worker reads the report and confirms
// (ApplyImport with the job) on whichever server. A resent upload (same key,
// same file) names the same job.
func (s *Service) StageImport(ctx context.Context, by civic.Actor, key idem.Key, r StageImportRequest) (st StagedImport, err error) {
	defer civic.Wrap(&err, "registry.StageImport(%s)", r.Community)
	if err := by.May(r.Community, civic.RoleWorker); err != nil {
		return st, err
	}
	k, err := s.Keys(ctx)
	if err != nil {
		return st, err
	}
	name := strings.ToValidUTF8(r.FileName, "")
	if utf8.RuneCountInString(name) > 200 {
		name = string([]rune(name)[:200])
	}
	var rowsSealed, reportSealed string
	hashed := struct {
		Community string `json:"community"`
		FileName  string `json:"file_name"`
		Rows      string `json:"rows"`
	}{r.Community, r.FileName, rowsDigest(r.Rows)}
	o := op(r.Community, key, "registry.stage_import", hashed)
	// The dry run and the sealing are done once the key is known to be new,
	// outside the transaction, which then only writes the row.
	o.Check = func(ctx context.Context) error {
		plan, err := s.PlanImport(ctx, by, r.Community, r.Rows)
		if err != nil {
			return err
		}
		st = StagedImport{Job: civic.NewID(), Total: plan.Total, New: plan.New, Existing: plan.Existing, Bad: len(plan.Errors)}
		if rowsSealed, err = sealJSON(k, r.Rows); err != nil {
			return err
		}
		reportSealed, err = sealJSON(k, storeRowErrors(plan.Errors))
		return err
	}
	return idem.Run(ctx, s.Idem, o, func(tx *db.Tx) (StagedImport, error) {
		now := db.Millis(s.Clock.Now())
		_, err := tx.Exec(ctx, `INSERT INTO registry_import_jobs (community_id, id, user_id, file_name, rows_sealed, report_sealed,
			total, new_rows, existing, bad, status, total_rows, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'checked', $8, $11, $11)`,
			r.Community, st.Job, by.UserID, name, rowsSealed, reportSealed, st.Total, st.New, st.Existing, st.Bad, now)
		return st, err
	})
}

func importGone() error {
	return civic.Errorf(civic.NotFound, "registry.import_gone", "this upload is no longer here: upload the file again")
}

// ImportJob reads one of the actor's own uploads, with its dry run and how
// its import goes. Another worker's upload, or one kept past ImportJobTTL,
// is not found.
func (s *Service) ImportJob(ctx context.Context, by civic.Actor, communityID, id string) (j ImportJob, err error) {
	defer civic.Wrap(&err, "registry.ImportJob(%s)", id)
	if err := by.May(communityID, civic.RoleWorker); err != nil {
		return j, err
	}
	var report, result, failure string
	var created, updated int64
	var started, finished sql.NullInt64
	var validOnly int64
	j.Plan = &Plan{CommunityID: communityID}
	err = s.DB.QueryRow(ctx, `SELECT id, user_id, file_name, report_sealed, total, new_rows, existing, status, valid_only,
		done_rows, total_rows, result, failure, created_at, started_at, finished_at, updated_at
		FROM registry_import_jobs WHERE community_id = $1 AND id = $2`, communityID, id).
		Scan(&j.ID, &j.UserID, &j.FileName, &report, &j.Plan.Total, &j.Plan.New, &j.Plan.Existing, &j.Status, &validOnly,
			&j.Done, &j.Total, &result, &failure, &created, &started, &finished, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return j, importGone()
	}
	if err != nil {
		return j, err
	}
	stale := j.Status != ImportRunning && s.Clock.Now().Sub(db.FromMillis(updated)) > ImportJobTTL
	if stale || j.UserID != by.UserID && by.UserID != civic.System.UserID {
		return j, importGone()
	}
	j.CommunityID, j.Created, j.ValidOnly = communityID, db.FromMillis(created), validOnly != 0
	k, err := s.Keys(ctx)
	if err != nil {
		return j, err
	}
	var bad []storedRowError
	if err := openJSON(k, report, &bad); err != nil {
		return j, err
	}
	j.Plan.Errors = loadRowErrors(bad)
	if done, total, ok := s.live.get(communityID, id); ok && j.Status == ImportRunning {
		j.Done, j.Total = done, total
	}
	if started.Valid && finished.Valid {
		j.Elapsed = time.Duration(finished.Int64-started.Int64) * time.Millisecond
	}
	switch j.Status {
	case ImportDone:
		err = json.Unmarshal([]byte(result), &j.Result)
	case ImportFailed:
		var e storedError
		if err = json.Unmarshal([]byte(failure), &e); err == nil {
			j.Err = loadError(e)
		}
	}
	return j, err
}

// jobRows opens a job's rows.
func (s *Service) jobRows(ctx context.Context, k *Keys, communityID, id string) (rows []ImportRow, err error) {
	var sealed string
	err = s.DB.QueryRow(ctx, "SELECT rows_sealed FROM registry_import_jobs WHERE community_id = $1 AND id = $2", communityID, id).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, importGone()
	}
	if err != nil {
		return nil, err
	}
	return rows, openJSON(k, sealed, &rows)
}

// claimJob marks a checked job running under key, in a transaction of its
// own; false when it was claimed before (by this key or another).
func (s *Service) claimJob(ctx context.Context, r ApplyImportRequest, key idem.Key) (claimed bool, err error) {
	err = s.DB.WithTx(ctx, func(tx *db.Tx) error {
		now := db.Millis(s.Clock.Now())
		res, err := tx.Exec(ctx, `UPDATE registry_import_jobs SET status = 'running', apply_key = $3, valid_only = $4, done_rows = 0,
			started_at = $5, updated_at = $5 WHERE community_id = $1 AND id = $2 AND status = 'checked'`,
			r.Community, r.Job, string(key), boolInt(r.ValidOnly), now)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		claimed = n == 1
		return err
	})
	return claimed, err
}

// finishJob marks the job done in the import's own transaction, so the job
// says done exactly when the residents are there.
func (s *Service) finishJob(ctx context.Context, tx *db.Tx, r ApplyImportRequest, key idem.Key, res ImportResult) error {
	body, err := json.Marshal(res)
	if err != nil {
		return err
	}
	now := db.Millis(s.Clock.Now())
	out, err := tx.Exec(ctx, `UPDATE registry_import_jobs SET status = 'done', result = $4, done_rows = total_rows, finished_at = $5, updated_at = $5
		WHERE community_id = $1 AND id = $2 AND status = 'running' AND apply_key = $3`, r.Community, r.Job, string(key), string(body), now)
	if err != nil {
		return err
	}
	if n, err := out.RowsAffected(); err != nil || n != 1 {
		return civic.Errorf(civic.Conflict, "registry.import_stalled", "the import stopped before it finished: upload the file again")
	}
	return nil
}

// failJob records why a claimed job's import failed. It runs after the
// import's transaction was rolled back, whether or not the request that
// confirmed it is still there.
func (s *Service) failJob(ctx context.Context, r ApplyImportRequest, key idem.Key, cause error) {
	ctx = context.WithoutCancel(ctx)
	body, _ := json.Marshal(storeError(cause))
	err := s.DB.WithTx(ctx, func(tx *db.Tx) error {
		now := db.Millis(s.Clock.Now())
		_, err := tx.Exec(ctx, `UPDATE registry_import_jobs SET status = 'failed', failure = $4, finished_at = $5, updated_at = $5
			WHERE community_id = $1 AND id = $2 AND status = 'running' AND apply_key = $3`, r.Community, r.Job, string(key), string(body), now)
		return err
	})
	if err != nil {
		s.Log.Error("import job: record the failure", "job", r.Job, "err", err)
	}
}

// jobProgress records an import's progress where every server can read it.
// On PostgreSQL that is the job's row, written on a connection of its own
// (the import's transaction touches the row only at its end). On SQLite the
// import's transaction holds the one writer, so nothing else can be written
// until it ends: this process keeps the figure (live) for its own pages,
// and other servers show the job running until its outcome.
func (s *Service) jobProgress(ctx context.Context, communityID, id string, watch func(done, total int)) func(done, total int) {
	return func(done, total int) {
		if s.DB.Dialect == db.Postgres {
			if _, err := s.DB.Exec(ctx, "UPDATE registry_import_jobs SET done_rows = $3, total_rows = $4, updated_at = $5 WHERE community_id = $1 AND id = $2",
				communityID, id, done, total, db.Millis(s.Clock.Now())); err != nil {
				s.Log.Warn("import job: record progress", "job", id, "err", err)
			}
		} else {
			s.live.set(communityID, id, done, total)
		}
		if watch != nil {
			watch(done, total)
		}
	}
}

// liveProgress is the progress of the imports this process runs, for
// SQLite (see jobProgress). It is only ever a figure to show: the job's
// status and outcome are in the database.
type liveProgress struct {
	mu sync.Mutex
	m  map[string][2]int
}

func (l *liveProgress) set(communityID, id string, done, total int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.m == nil {
		l.m = map[string][2]int{}
	}
	l.m[communityID+"/"+id] = [2]int{done, total}
}

func (l *liveProgress) get(communityID, id string) (done, total int, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	v, ok := l.m[communityID+"/"+id]
	return v[0], v[1], ok
}

func (l *liveProgress) drop(communityID, id string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.m, communityID+"/"+id)
}

// ExpireImports is the jobs runner's work on uploads: a job running past
// ImportTimeout lost its server and is marked failed; a job not changed for
// ImportJobTTL is deleted, rows and all. No one asks for it, so it is no
// command; running it twice, or on two servers at once, changes nothing more.
func (s *Service) ExpireImports(ctx context.Context, communityID string) (deleted int, err error) {
	defer civic.Wrap(&err, "registry.ExpireImports(%s)", communityID)
	body, err := json.Marshal(storeError(civic.Errorf(civic.Conflict, "registry.import_stalled", "the import stopped before it finished: upload the file again")))
	if err != nil {
		return 0, err
	}
	err = s.DB.WithTx(ctx, func(tx *db.Tx) error {
		now := s.Clock.Now()
		if _, err := tx.Exec(ctx, `UPDATE registry_import_jobs SET status = 'failed', failure = $2, finished_at = $3, updated_at = $3
			WHERE community_id = $1 AND status = 'running' AND started_at < $4`,
			communityID, string(body), db.Millis(now), db.Millis(now.Add(-ImportTimeout-time.Minute))); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, "DELETE FROM registry_import_jobs WHERE community_id = $1 AND status <> 'running' AND updated_at < $2",
			communityID, db.Millis(now.Add(-ImportJobTTL)))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		deleted = int(n)
		return err
	})
	return deleted, err
}
