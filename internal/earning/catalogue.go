package earning

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
)

// RuleKind is how an indicator turns service into points.
type RuleKind string

const (
	Hourly RuleKind = "hourly" // Points per hour of service, minutes carried
	Fixed  RuleKind = "fixed"  // exactly Points each time
	Range  RuleKind = "range"  // a worker picks Min..Max
)

// Rule is one version of an indicator's rule. Caps of 0 mean no cap.
// ActiveFrom and ActiveTo are Shanghai dates (YYYY-MM-DD, inclusive); empty is open.
type Rule struct {
	Kind       RuleKind
	Points     int64
	Min, Max   int64
	CapDay     int64
	CapMonth   int64
	CapYear    int64
	ActiveFrom string
	ActiveTo   string
	Approval   bool // claims under this indicator wait for a worker
}

// MinutesPerPoint is how many minutes of service earn one point under an
// hourly rule (Points divides 60, so no minute is lost to rounding).
func (r Rule) MinutesPerPoint() int64 {
	if r.Kind != Hourly || r.Points <= 0 {
		return 0
	}
	return 60 / r.Points
}

// ActiveOn reports whether the rule is in force on the Shanghai day of t.
func (r Rule) ActiveOn(t time.Time) bool {
	d := Day(t)
	return (r.ActiveFrom == "" || d >= r.ActiveFrom) && (r.ActiveTo == "" || d <= r.ActiveTo)
}

// Category groups indicators.
type Category struct {
	Code     string
	NameZH   string
	NameEN   string
	Position int
}

// Indicator is a way to earn points, with the rule now in force.
type Indicator struct {
	Code     string
	Category string
	NameZH   string
	NameEN   string
	DescZH   string
	DescEN   string
	Position int
	Version  int
	Rule
}

// Name is the indicator's name in the language tag ("en" or zh-CN).
func (i Indicator) Name(lang string) string {
	if lang == "en" {
		return i.NameEN
	}
	return i.NameZH
}

// Name is the category's name in the language tag.
func (c Category) Name(lang string) string {
	if lang == "en" {
		return c.NameEN
	}
	return c.NameZH
}

var codeRE = regexp.MustCompile(`^[a-z][a-z0-9_]{1,39}$`)
var dateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// Validate checks a rule is coherent.
func (r Rule) Validate() (err error) {
	defer civic.Wrap(&err, "earning.Rule.Validate(%s)", string(r.Kind))
	switch r.Kind {
	case Hourly:
		if r.Points <= 0 || r.Points > 60 || 60%r.Points != 0 {
			return civic.Errorf(civic.Invalid, "earning.rule_hourly", "points per hour must divide 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60), not %d", r.Points)
		}
	case Fixed:
		if r.Points <= 0 || r.Points > 1000 {
			return civic.Errorf(civic.Invalid, "earning.rule_fixed", "a fixed award must be between 1 and 1000 points, not %d", r.Points)
		}
	case Range:
		if r.Min <= 0 || r.Max < r.Min || r.Max > 1000 {
			return civic.Errorf(civic.Invalid, "earning.rule_range", "a range needs 1 ≤ minimum ≤ maximum ≤ 1000, not %d–%d", r.Min, r.Max)
		}
	default:
		return civic.Errorf(civic.Invalid, "earning.rule_kind", "unknown rule %q: use hourly, fixed or range", string(r.Kind))
	}
	if r.CapDay < 0 || r.CapMonth < 0 || r.CapYear < 0 {
		return civic.Errorf(civic.Invalid, "earning.cap_negative", "caps must be zero (no cap) or more")
	}
	if c := max(r.CapDay, r.CapMonth, r.CapYear); c > civic.MaxPoints {
		return civic.Errorf(civic.Invalid, "earning.cap_too_large", "a cap may be at most %d points, not %d", int64(civic.MaxPoints), c)
	}
	for _, d := range []string{r.ActiveFrom, r.ActiveTo} {
		if d == "" {
			continue
		}
		if _, err := time.Parse("2006-01-02", d); err != nil || !dateRE.MatchString(d) {
			return civic.Errorf(civic.Invalid, "earning.bad_date", "%q is not a date (YYYY-MM-DD)", d)
		}
	}
	if r.ActiveFrom != "" && r.ActiveTo != "" && r.ActiveTo < r.ActiveFrom {
		return civic.Errorf(civic.Invalid, "earning.dates_order", "the indicator ends (%s) before it starts (%s)", r.ActiveTo, r.ActiveFrom)
	}
	return nil
}

const indicatorCols = `code, category, name_zh, name_en, desc_zh, desc_en, position, version, rule, points, min_points,
	max_points, cap_day, cap_month, cap_year, active_from, active_to, approval`

func scanIndicator(row interface{ Scan(...any) error }) (i Indicator, err error) {
	var kind string
	var approval int64
	err = row.Scan(&i.Code, &i.Category, &i.NameZH, &i.NameEN, &i.DescZH, &i.DescEN, &i.Position, &i.Version, &kind,
		&i.Points, &i.Min, &i.Max, &i.CapDay, &i.CapMonth, &i.CapYear, &i.ActiveFrom, &i.ActiveTo, &approval)
	i.Kind, i.Approval = RuleKind(kind), approval != 0
	return i, err
}

// Categories lists a community's categories in order.
func (s *Service) Categories(ctx context.Context, communityID string) (out []Category, err error) {
	defer civic.Wrap(&err, "earning.Categories(%s)", communityID)
	rows, err := s.DB.Query(ctx, "SELECT code, name_zh, name_en, position FROM earning_categories WHERE community_id = $1 ORDER BY position, code", communityID)
	return db.Collect(rows, err, scanCategory)
}

func scanCategory(row db.Scanner) (c Category, err error) {
	err = row.Scan(&c.Code, &c.NameZH, &c.NameEN, &c.Position)
	return c, err
}

// Indicators lists a community's indicators with their current rules.
func (s *Service) Indicators(ctx context.Context, communityID string) (out []Indicator, err error) {
	defer civic.Wrap(&err, "earning.Indicators(%s)", communityID)
	rows, err := s.DB.Query(ctx, "SELECT "+indicatorCols+" FROM earning_indicators WHERE community_id = $1 ORDER BY position, code", communityID)
	return db.Collect(rows, err, scanIndicator)
}

// Indicator reads one indicator with its current rule.
func (s *Service) Indicator(ctx context.Context, communityID, code string) (_ Indicator, err error) {
	defer civic.Wrap(&err, "earning.Indicator(%s)", code)
	return getIndicator(ctx, s.DB, communityID, code)
}

func getIndicator(ctx context.Context, q db.Querier, communityID, code string) (i Indicator, err error) {
	i, err = scanIndicator(q.QueryRow(ctx, "SELECT "+indicatorCols+" FROM earning_indicators WHERE community_id = $1 AND code = $2", communityID, code))
	if errors.Is(err, sql.ErrNoRows) {
		return i, civic.Errorf(civic.NotFound, "earning.no_indicator", "no indicator %q in this community", code)
	}
	return i, err
}

// IndicatorRequest adds an indicator to the catalogue (New) or changes one.
type IndicatorRequest struct {
	Community string    `json:"community"`
	New       bool      `json:"new"` // adding: refused when the code is taken; else the code must exist
	Indicator Indicator `json:"indicator"`
}

// SaveIndicator creates an indicator or changes it. A change to the rule adds
// a new rule version; awards already made keep the version they were made
// under. Only a worker of the community may.
func (s *Service) SaveIndicator(ctx context.Context, by civic.Actor, key idem.Key, r IndicatorRequest) (out Indicator, err error) {
	defer civic.Wrap(&err, "earning.SaveIndicator(%s)", r.Indicator.Code)
	if err := requireWorker(by, r.Community); err != nil {
		return out, err
	}
	if err := validateIndicator(r.Indicator); err != nil {
		return out, err
	}
	return idem.Run(ctx, s.Idem, idem.Op{Community: r.Community, Key: key, Command: "earning.save_indicator",
		Shard: idem.Community(r.Community), Request: r},
		func(tx *db.Tx) (Indicator, error) {
			_, err := getIndicator(ctx, tx, r.Community, r.Indicator.Code)
			switch {
			case r.New && err == nil:
				return out, civic.Errorf(civic.Conflict, "earning.indicator_exists", "there is already an indicator %q", r.Indicator.Code)
			case r.New && civic.ErrorCode(err) == civic.NotFound:
			case err != nil:
				return out, err
			}
			return saveIndicator(ctx, tx, by, r.Community, r.Indicator, s.now())
		})
}

func validateIndicator(in Indicator) error {
	if !codeRE.MatchString(in.Code) {
		return civic.Errorf(civic.Invalid, "earning.bad_code", "indicator code %q must be 2–40 lower-case letters, digits or _", in.Code)
	}
	if _, err := text(in.NameZH, 60, "earning.name_required", "a name is required in both languages"); err != nil {
		return err
	}
	if _, err := text(in.NameEN, 80, "earning.name_required", "a name is required in both languages"); err != nil {
		return err
	}
	for _, d := range []string{in.DescZH, in.DescEN} {
		if n := civic.Runes(d); n > civic.MaxText {
			return civic.Errorf(civic.Invalid, "earning.description_long", "a description may have at most %d characters, not %d", civic.MaxText, n)
		}
	}
	if in.Position < 0 || in.Position > 1000 {
		return civic.Errorf(civic.Invalid, "earning.bad_position", "the position must be between 0 and 1000, not %d", in.Position)
	}
	return in.Rule.Validate()
}

func saveIndicator(ctx context.Context, tx *db.Tx, actor civic.Actor, communityID string, in Indicator, now time.Time) (Indicator, error) {
	var n int
	if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM earning_categories WHERE community_id = $1 AND code = $2", communityID, in.Category).Scan(&n); err != nil {
		return in, err
	}
	if n == 0 {
		return in, civic.Errorf(civic.Invalid, "earning.no_category", "no category %q in this community", in.Category)
	}
	cur, err := getIndicator(ctx, tx, communityID, in.Code)
	created, changed := false, true
	switch {
	case civic.ErrorCode(err) == civic.NotFound:
		in.Version, created = 1, true
	case err != nil:
		return in, err
	case cur.Rule == in.Rule:
		in.Version, changed = cur.Version, false
	default:
		in.Version = cur.Version + 1
	}
	ms := db.Millis(now)
	if created {
		_, err = tx.Exec(ctx, "INSERT INTO earning_indicators (community_id, "+indicatorCols+`, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`,
			communityID, in.Code, in.Category, in.NameZH, in.NameEN, in.DescZH, in.DescEN, in.Position, in.Version,
			string(in.Kind), in.Points, in.Min, in.Max, in.CapDay, in.CapMonth, in.CapYear, in.ActiveFrom, in.ActiveTo,
			boolInt(in.Approval), ms)
	} else {
		_, err = tx.Exec(ctx, `UPDATE earning_indicators SET category = $3, name_zh = $4, name_en = $5, desc_zh = $6,
			desc_en = $7, position = $8, version = $9, rule = $10, points = $11, min_points = $12, max_points = $13,
			cap_day = $14, cap_month = $15, cap_year = $16, active_from = $17, active_to = $18, approval = $19, updated_at = $20
			WHERE community_id = $1 AND code = $2`,
			communityID, in.Code, in.Category, in.NameZH, in.NameEN, in.DescZH, in.DescEN, in.Position, in.Version,
			string(in.Kind), in.Points, in.Min, in.Max, in.CapDay, in.CapMonth, in.CapYear, in.ActiveFrom, in.ActiveTo,
			boolInt(in.Approval), ms)
	}
	if err != nil || !changed {
		return in, err
	}
	_, err = tx.Exec(ctx, `INSERT INTO earning_rule_versions (community_id, indicator, version, rule, points, min_points,
		max_points, cap_day, cap_month, cap_year, active_from, active_to, approval, actor_id, actor_name, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
		communityID, in.Code, in.Version, string(in.Kind), in.Points, in.Min, in.Max, in.CapDay, in.CapMonth, in.CapYear,
		in.ActiveFrom, in.ActiveTo, boolInt(in.Approval), actor.UserID, actor.Name, ms)
	return in, err
}

// RuleVersion reads the rule an indicator had at a given version, as recorded
// on past awards.
func (s *Service) RuleVersion(ctx context.Context, communityID, code string, version int) (r Rule, err error) {
	defer civic.Wrap(&err, "earning.RuleVersion(%s v%d)", code, version)
	var kind string
	var approval int64
	err = s.DB.QueryRow(ctx, `SELECT rule, points, min_points, max_points, cap_day, cap_month, cap_year, active_from, active_to, approval
		FROM earning_rule_versions WHERE community_id = $1 AND indicator = $2 AND version = $3`, communityID, code, version).
		Scan(&kind, &r.Points, &r.Min, &r.Max, &r.CapDay, &r.CapMonth, &r.CapYear, &r.ActiveFrom, &r.ActiveTo, &approval)
	if errors.Is(err, sql.ErrNoRows) {
		return r, civic.Errorf(civic.NotFound, "earning.no_rule_version", "indicator %q has no rule version %d", code, version)
	}
	r.Kind, r.Approval = RuleKind(kind), approval != 0
	return r, err
}
