package credit

import (
	"context"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
	"civicpoints/internal/ledger"
	"civicpoints/internal/registry"
)

// Causes of a level change.
const (
	CauseTransfer = "transfer" // an award or a reversal crossed a threshold
	CauseRule     = "rule"     // a new rule version moved the thresholds
)

// LevelEvent is one change of a resident's level, with its cause.
type LevelEvent struct {
	ID           string
	ResidentID   string
	At           time.Time
	From, To     string // level codes
	Earned       int64
	CreditPoints int64
	RuleVersion  int
	Cause        string
	TransferID   string
	TransferKind string // award or reversal, for CauseTransfer
}

// Up reports whether the change raised the level (by the ladder in force).
func (e LevelEvent) Up(r Rules) bool { return indexOf(r, e.To) > indexOf(r, e.From) }

func indexOf(r Rules, code string) int {
	for i, l := range r.Levels {
		if l.Code == code {
			return i
		}
	}
	return -1
}

// OnEarned is the ledger's hook (wired with ledger.Service.OnEarned in
// app.New): when an award or a reversal moves a resident across a threshold
// of the ladder in force at the transfer's time, the change is recorded in
// the transfer's own transaction, naming it as the cause.
func (s *Service) OnEarned(ctx context.Context, tx *db.Tx, ch ledger.EarnedChange) (err error) {
	defer civic.Wrap(&err, "credit.OnEarned(%s)", ch.ResidentID)
	t := ch.Transfer
	d, err := s.Districts.Of(ctx, t.CommunityID)
	if err != nil {
		return err
	}
	r, err := rulesAt(ctx, tx, d, t.CreatedAt)
	if err != nil {
		return err
	}
	from, to := r.LevelFor(ch.Before), r.LevelFor(ch.After)
	if from.Code == to.Code {
		return nil
	}
	return insertEvent(ctx, tx, t.CommunityID, LevelEvent{ResidentID: ch.ResidentID, At: t.CreatedAt, From: from.Code, To: to.Code,
		Earned: ch.After, CreditPoints: r.CreditPoints(ch.After), RuleVersion: r.Version, Cause: CauseTransfer,
		TransferID: t.ID, TransferKind: string(t.Kind)})
}

func insertEvent(ctx context.Context, tx *db.Tx, communityID string, e LevelEvent) error {
	_, err := tx.Exec(ctx, `INSERT INTO credit_level_events (community_id, id, resident_id, at, from_level, to_level, earned,
		credit_points, rule_version, cause, transfer_id, transfer_kind) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT DO NOTHING`,
		communityID, civic.NewID(), e.ResidentID, db.Millis(e.At), e.From, e.To, e.Earned, e.CreditPoints, e.RuleVersion,
		e.Cause, e.TransferID, e.TransferKind)
	return err
}

const eventCols = "id, resident_id, at, from_level, to_level, earned, credit_points, rule_version, cause, transfer_id, transfer_kind"

func scanEvent(row db.Scanner) (e LevelEvent, err error) {
	var at int64
	err = row.Scan(&e.ID, &e.ResidentID, &at, &e.From, &e.To, &e.Earned, &e.CreditPoints, &e.RuleVersion, &e.Cause, &e.TransferID, &e.TransferKind)
	e.At = db.FromMillis(at)
	return e, err
}

// LevelEvents lists a resident's level changes, newest first, at most limit.
func (s *Service) LevelEvents(ctx context.Context, communityID, residentID string, limit int) (out []LevelEvent, err error) {
	defer civic.Wrap(&err, "credit.LevelEvents(%s)", residentID)
	rows, err := s.DB.Query(ctx, "SELECT "+eventCols+` FROM credit_level_events WHERE community_id = $1 AND resident_id = $2
		ORDER BY at DESC, id DESC LIMIT $3`, communityID, residentID, limit)
	return db.Collect(rows, err, scanEvent)
}

// ApplyRequest records, in one community, the level changes a rule version
// causes on its effective date.
type ApplyRequest struct {
	Community string `json:"community"`
	District  string `json:"district"`
	Version   int    `json:"version"`
}

// Applied is the answer of ApplyRuleVersion.
type Applied struct {
	Changes int `json:"changes"`
}

// ApplyRuleVersion compares, for every account of the community, the level
// under the version before this one with the level under this one (at the
// earned total now) and records each difference as a change caused by the
// version. It runs once per (community, version): the jobs call it as
// civic.System on the effective date (ApplyDue).
func (s *Service) ApplyRuleVersion(ctx context.Context, by civic.Actor, key idem.Key, r ApplyRequest) (out Applied, err error) {
	defer civic.Wrap(&err, "credit.ApplyRuleVersion(%s v%d)", r.Community, r.Version)
	if err := by.May(r.Community); err != nil { // the platform's own work
		return out, err
	}
	return idem.Run(ctx, s.Idem, idem.Op{Community: r.Community, Key: key, Command: "credit.apply_rules",
		Shard: idem.Community(r.Community), Request: r},
		func(tx *db.Tx) (Applied, error) { return s.applyTx(ctx, tx, r) })
}

func (s *Service) applyTx(ctx context.Context, tx *db.Tx, r ApplyRequest) (out Applied, err error) {
	v, err := scanRules(tx.QueryRow(ctx, "SELECT "+ruleCols+" FROM credit_rule_versions WHERE district_id = $1 AND version = $2", r.District, r.Version))
	if err != nil {
		return out, err
	}
	if v.EffectiveAt.After(tx.Now()) {
		return out, civic.Errorf(civic.Invalid, "credit.not_yet", "rule version %d takes effect on %s, not before", r.Version, v.EffectiveFrom)
	}
	prev, err := rulesBefore(ctx, tx, v)
	if err != nil {
		return out, err
	}
	for after := ""; ; {
		page, err := ledger.AccountsAfter(ctx, tx, r.Community, after, 1000)
		if err != nil || len(page) == 0 {
			return out, s.markApplied(ctx, tx, r, out.Changes, err)
		}
		for _, a := range page {
			from, to := prev.LevelFor(a.Earned), v.LevelFor(a.Earned)
			if from.Code == to.Code {
				continue
			}
			out.Changes++
			if err := insertEvent(ctx, tx, r.Community, LevelEvent{ResidentID: a.ResidentID, At: v.EffectiveAt, From: from.Code,
				To: to.Code, Earned: a.Earned, CreditPoints: v.CreditPoints(a.Earned), RuleVersion: v.Version, Cause: CauseRule}); err != nil {
				return out, err
			}
		}
		after = page[len(page)-1].ResidentID
	}
}

func (s *Service) markApplied(ctx context.Context, tx *db.Tx, r ApplyRequest, changes int, err error) error {
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO credit_rule_applied (community_id, district_id, version, changes, applied_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, r.Community, r.District, r.Version, changes, db.Millis(tx.Now()))
	return err
}

// rulesBefore is the version that was in force just before v.
func rulesBefore(ctx context.Context, q db.Querier, v Rules) (Rules, error) {
	r, err := scanRules(q.QueryRow(ctx, "SELECT "+ruleCols+` FROM credit_rule_versions WHERE district_id = $1
		AND (effective_at < $2 OR (effective_at = $2 AND version < $3)) ORDER BY effective_at DESC, version DESC LIMIT 1`,
		v.DistrictID, db.Millis(v.EffectiveAt), v.Version))
	if isNoRows(err) {
		return DefaultRules(v.DistrictID), nil
	}
	return r, err
}

// ApplyDue records the level changes of every rule version that has taken
// effect and has not yet been applied in a community of its district, in
// the order they took effect. It returns how many changes it recorded.
func (s *Service) ApplyDue(ctx context.Context, districtID string) (changes int, err error) {
	defer civic.Wrap(&err, "credit.ApplyDue(%s)", districtID)
	rows, err := s.DB.Query(ctx, "SELECT "+ruleCols+` FROM credit_rule_versions WHERE district_id = $1 AND effective_at <= $2
		ORDER BY effective_at, version`, districtID, db.Millis(s.Clock.Now()))
	due, err := db.Collect(rows, err, scanRules)
	if err != nil || len(due) == 0 {
		return 0, err
	}
	rows, err = s.DB.Query(ctx, "SELECT community_id, version FROM credit_rule_applied WHERE district_id = $1", districtID)
	done, err := db.Collect(rows, err, func(row db.Scanner) (k [2]string, err error) {
		var v int
		err = row.Scan(&k[0], &v)
		k[1] = itoa(v)
		return k, err
	})
	if err != nil {
		return 0, err
	}
	applied := map[[2]string]bool{}
	for _, k := range done {
		applied[k] = true
	}
	cs, err := registry.CommunitiesIn(ctx, s.DB, districtID)
	if err != nil {
		return 0, err
	}
	for _, v := range due {
		for _, c := range cs {
			if applied[[2]string{c.ID, itoa(v.Version)}] {
				continue
			}
			key := idem.Key("credit.apply:" + districtID + ":" + itoa(v.Version) + ":" + c.ID)
			a, err := s.ApplyRuleVersion(ctx, civic.System, key, ApplyRequest{Community: c.ID, District: districtID, Version: v.Version})
			if err != nil {
				return changes, err
			}
			changes += a.Changes
		}
	}
	return changes, nil
}
