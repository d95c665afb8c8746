package credit

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
)

const ruleCols = "district_id, version, effective_from, effective_at, points_per_credit, levels, note, created_at, created_by_name"

func scanRules(row db.Scanner) (r Rules, err error) {
	var levels string
	var at, created int64
	if err = row.Scan(&r.DistrictID, &r.Version, &r.EffectiveFrom, &at, &r.PointsPerCredit, &levels, &r.Note, &created, &r.CreatedBy); err != nil {
		return r, err
	}
	r.EffectiveAt, r.CreatedAt = db.FromMillis(at), db.FromMillis(created)
	return r, json.Unmarshal([]byte(levels), &r.Levels)
}

// rulesAt is the version in force at t: the latest by effective time, then
// by version, that has begun; the default when none has.
func rulesAt(ctx context.Context, q db.Querier, districtID string, t time.Time) (Rules, error) {
	r, err := scanRules(q.QueryRow(ctx, "SELECT "+ruleCols+` FROM credit_rule_versions
		WHERE district_id = $1 AND effective_at <= $2 ORDER BY effective_at DESC, version DESC LIMIT 1`, districtID, db.Millis(t)))
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultRules(districtID), nil
	}
	return r, err
}

// RulesAt is the district's rules in force at t.
func (s *Service) RulesAt(ctx context.Context, districtID string, t time.Time) (_ Rules, err error) {
	defer civic.Wrap(&err, "credit.RulesAt(%s)", districtID)
	return rulesAt(ctx, s.DB, districtID, t)
}

// RulesOf is the rules in force at t for a community's district.
func (s *Service) RulesOf(ctx context.Context, communityID string, t time.Time) (_ Rules, err error) {
	defer civic.Wrap(&err, "credit.RulesOf(%s)", communityID)
	d, err := s.Districts.Of(ctx, communityID)
	if err != nil {
		return Rules{}, err
	}
	return rulesAt(ctx, s.DB, d, t)
}

// RuleHistory lists a district's versions, newest first, with the default
// (version 0) last: few enough to list (one per change of policy).
func (s *Service) RuleHistory(ctx context.Context, by civic.Actor, districtID string) (out []Rules, err error) {
	defer civic.Wrap(&err, "credit.RuleHistory(%s)", districtID)
	if err := mayRead(by, districtID); err != nil {
		return nil, err
	}
	rows, err := s.DB.Query(ctx, "SELECT "+ruleCols+" FROM credit_rule_versions WHERE district_id = $1 ORDER BY version DESC LIMIT 200", districtID)
	if out, err = db.Collect(rows, err, scanRules); err != nil {
		return nil, err
	}
	return append(out, DefaultRules(districtID)), nil
}

func mayRead(by civic.Actor, districtID string) error {
	if by.Role == civic.RoleAdmin {
		return nil
	}
	return by.MayDistrict(districtID, civic.RoleDistrict)
}

// SetRulesRequest is a new version of a district's credit rules.
type SetRulesRequest struct {
	District        string  `json:"district"`
	EffectiveFrom   string  `json:"effective_from"` // YYYY-MM-DD, today or later (Asia/Shanghai)
	PointsPerCredit int64   `json:"points_per_credit"`
	Levels          []Level `json:"levels"`
	Note            string  `json:"note"`
}

func (r SetRulesRequest) normal() SetRulesRequest {
	r.EffectiveFrom, r.Note = strings.TrimSpace(r.EffectiveFrom), strings.TrimSpace(r.Note)
	ls := make([]Level, len(r.Levels))
	for i, l := range r.Levels {
		l.Code, l.NameZH, l.NameEN = strings.TrimSpace(l.Code), strings.TrimSpace(l.NameZH), strings.TrimSpace(l.NameEN)
		l.BenefitsZH, l.BenefitsEN = trimAll(l.BenefitsZH), trimAll(l.BenefitsEN)
		ls[i] = l
	}
	r.Levels = ls
	return r
}

func trimAll(in []string) (out []string) {
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// SetRules adds a version of the district's credit rules, in force from
// 00:00 (Asia/Shanghai) of its effective date, or from now when that is
// today. It never changes a version: the past stays as it was
// (a date before today is refused), and a resident's level on any day is the
// version in force that day applied to their earned total then. On the
// effective date the jobs record the level changes it causes (ApplyDue).
func (s *Service) SetRules(ctx context.Context, by civic.Actor, key idem.Key, r SetRulesRequest) (out Rules, err error) {
	defer civic.Wrap(&err, "credit.SetRules(%s)", r.District)
	if err := by.MayDistrict(r.District, civic.RoleDistrict); err != nil {
		return out, err
	}
	r = r.normal()
	at, derr := dayStart(r.EffectiveFrom)
	if derr != nil {
		return out, civic.Errorf(civic.Invalid, "credit.effective_date", "the effective date must be a date such as 2025-07-01, not %q", r.EffectiveFrom)
	}
	rules := Rules{DistrictID: r.District, EffectiveFrom: r.EffectiveFrom, EffectiveAt: at, PointsPerCredit: r.PointsPerCredit,
		Levels: r.Levels, Note: r.Note, CreatedBy: by.Name}
	if err := rules.validate(); err != nil {
		return out, err
	}
	return idem.Run(ctx, s.Idem, idem.Op{Community: "district:" + r.District, Key: key, Command: "credit.set_rules",
		Shard: idem.Community("district:" + r.District), Request: r},
		func(tx *db.Tx) (Rules, error) { return s.setRulesTx(ctx, tx, by, rules) })
}

func (s *Service) setRulesTx(ctx context.Context, tx *db.Tx, by civic.Actor, r Rules) (Rules, error) {
	if today := shanghaiDay(tx.Now()); r.EffectiveFrom < today {
		return r, civic.Errorf(civic.Invalid, "credit.effective_past", "the effective date %s has passed: a change takes effect today (%s) or later, never in the past", r.EffectiveFrom, today)
	}
	// A version dated today begins now, not at the day's midnight: hours
	// already past keep the rules they had.
	if now := tx.Now(); r.EffectiveAt.Before(now) {
		r.EffectiveAt = now
	}
	if err := tx.QueryRow(ctx, "SELECT COALESCE(MAX(version), 0) + 1 FROM credit_rule_versions WHERE district_id = $1", r.DistrictID).Scan(&r.Version); err != nil {
		return r, err
	}
	levels, err := json.Marshal(r.Levels)
	if err != nil {
		return r, err
	}
	r.CreatedAt = tx.Now()
	_, err = tx.Exec(ctx, `INSERT INTO credit_rule_versions (district_id, version, effective_from, effective_at, points_per_credit,
		levels, note, created_at, created_by, created_by_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		r.DistrictID, r.Version, r.EffectiveFrom, db.Millis(r.EffectiveAt), r.PointsPerCredit, string(levels), r.Note,
		db.Millis(r.CreatedAt), by.UserID, by.Name)
	if db.ErrorIs(err, db.ErrUnique) {
		return r, civic.Errorf(civic.Conflict, "credit.rules_changed", "another change of these rules was saved meanwhile; look at the history and try again")
	}
	return r, err
}
