package registry

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
)

// ApplyImportRequest applies an import: the rows of a file uploaded on a
// page and kept by StageImport (Job), or the rows of a file given directly
// (Rows: the command line, the demo). Exactly one of the two is set.
type ApplyImportRequest struct {
	Community string      `json:"community"`
	Job       string      `json:"job,omitempty"`
	Rows      []ImportRow `json:"rows,omitempty"`
	ValidOnly bool        `json:"valid_only"` // import the good rows of a file that has bad ones
}

// hashed is what idem hashes to tell a replay from another request: the
// request with its rows as one digest, so a 400,000-row file is not held a
// second time as JSON.
func (r ApplyImportRequest) hashed() any {
	return struct {
		Community string `json:"community"`
		Job       string `json:"job"`
		Rows      string `json:"rows"`
		ValidOnly bool   `json:"valid_only"`
	}{r.Community, r.Job, rowsDigest(r.Rows), r.ValidOnly}
}

// rowsDigest is the SHA-256 of the rows as JSON, streamed; "" for none.
func rowsDigest(rows []ImportRow) string {
	if len(rows) == 0 {
		return ""
	}
	h := sha256.New()
	_ = json.NewEncoder(h).Encode(rows) // a hash does not fail to write
	return hex.EncodeToString(h.Sum(nil))
}

// ImportKey is the idempotency key of importing these rows, for callers
// without a form to carry one (the command line, the demo): the same file
// imported again with the same choice replays the first import's answer
// instead of checking it again.
func ImportKey(prefix string, rows []ImportRow, validOnly bool) idem.Key {
	choice := "all"
	if validOnly {
		choice = "valid"
	}
	d := rowsDigest(rows)
	return idem.Key(prefix + ":" + d[:min(32, len(d))] + ":" + choice)
}

// ImportWatch is told how an import goes. Both are optional.
type ImportWatch struct {
	// Started: an uploaded job is claimed, so every server shows it
	// running (called once ApplyImport is past its quick refusals).
	Started func()
	// Progress: rows written of rows to write.
	Progress func(done, total int)
}

type watchKey struct{}

// WithImportWatch returns a context under which ApplyImport reports to w
// (a progress bar on the terminal, the page waiting to redirect).
func WithImportWatch(ctx context.Context, w ImportWatch) context.Context {
	return context.WithValue(ctx, watchKey{}, w)
}

func watchOf(ctx context.Context) ImportWatch {
	w, _ := ctx.Value(watchKey{}).(ImportWatch)
	return w
}

// ApplyImport writes an import in one transaction: nothing of it is left
// when it fails or is stopped part-way. A file with bad rows is refused
// unless ValidOnly, which imports the good rows and skips the bad. The rows
// are checked again when the key is new (a row registered since the dry
// run is not doubled); a replay answers the first import's result.
func (s *Service) ApplyImport(ctx context.Context, by civic.Actor, key idem.Key, r ApplyImportRequest) (res ImportResult, err error) {
	defer civic.Wrap(&err, "registry.ApplyImport(%s)", r.Community)
	if err := by.May(r.Community, civic.RoleWorker); err != nil {
		return res, err
	}
	if (r.Job == "") == (len(r.Rows) == 0) {
		return res, civic.Errorf(civic.Invalid, "registry.import_source", "an import applies one uploaded file, or the rows of one file")
	}
	k, err := s.Keys(ctx)
	if err != nil {
		return res, err
	}
	if r.Job != "" {
		return s.applyJob(ctx, by, key, k, r)
	}
	var plan *Plan
	o := op(r.Community, key, "registry.apply_import", r.hashed())
	// Checked once the key is known to be new, outside the transaction (the
	// command line prints its own dry run first; this one decides).
	o.Check = func(ctx context.Context) (err error) {
		if plan, err = s.PlanImport(ctx, by, r.Community, r.Rows); err != nil {
			return err
		}
		return mayApply(plan, r.ValidOnly)
	}
	return idem.Run(ctx, s.Idem, o, func(tx *db.Tx) (ImportResult, error) {
		return s.applyPlanTx(ctx, tx, k, by, plan, watchOf(ctx).Progress)
	})
}

// mayApply refuses a plan with bad rows unless only the valid ones are asked for.
func mayApply(p *Plan, validOnly bool) error {
	if len(p.Errors) > 0 && !validOnly {
		return civic.Errorf(civic.Invalid, "registry.import_has_errors", "the file has %d bad row(s): fix them, or choose to import only the valid rows", len(p.Errors))
	}
	return nil
}

func (s *Service) applyPlanTx(ctx context.Context, tx *db.Tx, k *Keys, by civic.Actor, p *Plan, progress func(done, total int)) (ImportResult, error) {
	res := ImportResult{Skipped: len(p.Errors), Existing: p.Existing}
	err := s.applyTx(ctx, tx, k, by, p, &res, progress)
	return res, err
}

// applyJob imports an uploaded job. Only one confirmation runs it: the one
// that claims it (checked → running, in a transaction of its own, so every
// server sees it running at once); the same confirmation again replays its
// answer once it is stored, and any other is told the import has started.
// The job becomes done in the import's own transaction, or failed after it.
func (s *Service) applyJob(ctx context.Context, by civic.Actor, key idem.Key, k *Keys, r ApplyImportRequest) (res ImportResult, err error) {
	j, err := s.ImportJob(ctx, by, r.Community, r.Job)
	if err != nil {
		return res, err
	}
	if err := mayApply(j.Plan, r.ValidOnly); err != nil {
		return res, err // before the claim: the worker may tick "valid rows only" and confirm again
	}
	claimed, err := s.claimJob(ctx, r, key)
	if err != nil {
		return res, err
	}
	w := watchOf(ctx)
	if w.Started != nil {
		w.Started()
	}
	if claimed {
		defer s.live.drop(r.Community, r.Job)
		defer func() {
			if p := recover(); p != nil {
				s.failJob(ctx, r, key, fmt.Errorf("the import panicked: %v", p))
				panic(p)
			}
			if err != nil {
				s.failJob(ctx, r, key, err)
			}
		}()
	}
	var plan *Plan
	o := op(r.Community, key, "registry.apply_import", r.hashed())
	o.Check = func(ctx context.Context) (err error) {
		if !claimed {
			return civic.Errorf(civic.Conflict, "registry.import_started", "this file's import was already confirmed: its page shows how it goes")
		}
		rows, err := s.jobRows(ctx, k, r.Community, r.Job)
		if err != nil {
			return err
		}
		if plan, err = s.PlanImport(ctx, by, r.Community, rows); err != nil {
			return err
		}
		return mayApply(plan, r.ValidOnly)
	}
	progress := s.jobProgress(ctx, r.Community, r.Job, w.Progress)
	return idem.Run(ctx, s.Idem, o, func(tx *db.Tx) (ImportResult, error) {
		res, err := s.applyPlanTx(ctx, tx, k, by, plan, progress)
		if err != nil {
			return res, err
		}
		return res, s.finishJob(ctx, tx, r, key, res)
	})
}
