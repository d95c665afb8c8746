package credit

import (
	"regexp"
	"strings"
	"time"

	"civicpoints/internal/civic"
)

// Level is a credit level (信用等级) of a district's ladder: reaching
// MinCreditPoints unlocks it and the credit policies (benefits) it lists,
// on top of those of the levels below.
type Level struct {
	Code            string   `json:"code"`
	NameZH          string   `json:"name_zh"`
	NameEN          string   `json:"name_en"`
	MinCreditPoints int64    `json:"min_credit_points"`
	BenefitsZH      []string `json:"benefits_zh,omitempty"`
	BenefitsEN      []string `json:"benefits_en,omitempty"`
}

// Name is the level's name in lang ("zh-CN" or "en").
func (l Level) Name(lang string) string {
	if lang == "en" && l.NameEN != "" {
		return l.NameEN
	}
	return l.NameZH
}

// Benefits are the policy texts the level itself unlocks, in lang.
func (l Level) Benefits(lang string) []string {
	if lang == "en" && len(l.BenefitsEN) > 0 {
		return l.BenefitsEN
	}
	return l.BenefitsZH
}

// Rules are one version of a district's credit rules: how many earned
// points make a credit point, and the ladder of levels, lowest first.
type Rules struct {
	DistrictID      string    `json:"district_id"`
	Version         int       `json:"version"`        // 0: the built-in default
	EffectiveFrom   string    `json:"effective_from"` // YYYY-MM-DD, Asia/Shanghai; "" for the default
	EffectiveAt     time.Time `json:"effective_at"`   // its first instant
	PointsPerCredit int64     `json:"points_per_credit"`
	Levels          []Level   `json:"levels"`
	Note            string    `json:"note,omitempty"`
	CreatedAt       time.Time `json:"created_at"`
	CreatedBy       string    `json:"created_by,omitempty"`
}

// Bounds of a ladder.
const (
	MinLevels          = 3
	MaxLevels          = 10
	MaxPointsPerCredit = 10000
	MaxBenefits        = 10
	MaxLevelName       = 20
	MaxBenefit         = 100
)

// DefaultRules are every district's rules until it sets its own: 20 points a
// credit point, and four levels after the public schemes (海贝分, 白鹭分) —
// everyone starts at the lowest, nothing is ever taken away.
func DefaultRules(districtID string) Rules {
	return Rules{DistrictID: districtID, PointsPerCredit: 20, Levels: []Level{
		{Code: "basic", NameZH: "基础", NameEN: "Basic", MinCreditPoints: 0,
			BenefitsZH: []string{"参加社区活动，在诚信驿站兑换物品"},
			BenefitsEN: []string{"Join community activities and redeem goods at the integrity station"}},
		{Code: "good", NameZH: "良好", NameEN: "Good", MinCreditPoints: 5,
			BenefitsZH: []string{"区内合作商户消费九五折"},
			BenefitsEN: []string{"5% off at partner merchants in the district"}},
		{Code: "excellent", NameZH: "优秀", NameEN: "Excellent", MinCreditPoints: 15,
			BenefitsZH: []string{"区内景区门票半价", "图书馆免押金借阅"},
			BenefitsEN: []string{"Half-price entry to scenic spots in the district", "Deposit-free library card"}},
		{Code: "model", NameZH: "模范", NameEN: "Model", MinCreditPoints: 30,
			BenefitsZH: []string{"评优评先优先推荐", "参军入党出具信用记录"},
			BenefitsEN: []string{"Priority in evaluations (评优评先)", "A credit record for military and party applications"}},
	}}
}

// CreditPoints are the credit points of an earned total: the whole number
// of PointsPerCredit in it; the remainder carries toward the next.
func (r Rules) CreditPoints(earned int64) int64 {
	if earned <= 0 || r.PointsPerCredit <= 0 {
		return 0
	}
	return earned / r.PointsPerCredit
}

// LevelIndex is the index of the highest level credit points reach (the
// lowest level, always reached, when none is).
func (r Rules) LevelIndex(creditPoints int64) int {
	best := 0
	for i, l := range r.Levels {
		if creditPoints >= l.MinCreditPoints {
			best = i
		}
	}
	return best
}

// LevelFor is the level of an earned total under these rules.
func (r Rules) LevelFor(earned int64) Level { return r.Levels[r.LevelIndex(r.CreditPoints(earned))] }

var codeRE = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,31}$`)

// validate checks a ladder a district office typed: 3 to 10 levels with
// distinct codes and names, the lowest at 0 (everyone's) and thresholds
// rising, benefits bounded.
func (r Rules) validate() error {
	if r.PointsPerCredit < 1 || r.PointsPerCredit > MaxPointsPerCredit {
		return civic.Errorf(civic.Invalid, "credit.rate_range", "points per credit point must be 1 to %d", MaxPointsPerCredit)
	}
	if n := len(r.Levels); n < MinLevels || n > MaxLevels {
		return civic.Errorf(civic.Invalid, "credit.levels_count", "a ladder has %d to %d levels, not %d", MinLevels, MaxLevels, n)
	}
	if r.Levels[0].MinCreditPoints != 0 {
		return civic.Errorf(civic.Invalid, "credit.lowest_zero", "the lowest level starts at 0 credit points: it is everyone's")
	}
	codes := map[string]bool{}
	for i, l := range r.Levels {
		if err := l.validate(i + 1); err != nil {
			return err
		}
		if codes[l.Code] {
			return civic.Errorf(civic.Invalid, "credit.code_twice", "the level code %s appears twice", l.Code)
		}
		codes[l.Code] = true
		if i > 0 && l.MinCreditPoints <= r.Levels[i-1].MinCreditPoints {
			return civic.Errorf(civic.Invalid, "credit.thresholds_rise", "level %d (%s) must need more credit points than the level below it", i+1, l.NameZH)
		}
	}
	if n := civic.Runes(r.Note); n > civic.MaxReason {
		return civic.Errorf(civic.Invalid, "credit.note_long", "the note may have at most %d characters, not %d", civic.MaxReason, n)
	}
	return nil
}

func (l Level) validate(n int) error {
	if !codeRE.MatchString(l.Code) {
		return civic.Errorf(civic.Invalid, "credit.level_code", "level %d: the code must be 1 to 32 lower-case letters, digits, _ or -, starting with a letter", n)
	}
	for _, name := range []string{l.NameZH, l.NameEN} {
		if strings.TrimSpace(name) == "" || civic.Runes(name) > MaxLevelName {
			return civic.Errorf(civic.Invalid, "credit.level_name", "level %d needs a Chinese and an English name of at most %d characters", n, MaxLevelName)
		}
	}
	if l.MinCreditPoints < 0 || l.MinCreditPoints > civic.MaxPoints {
		return civic.Errorf(civic.Invalid, "credit.threshold_range", "level %d: the threshold must be 0 to %d credit points", n, civic.MaxPoints)
	}
	for _, bs := range [][]string{l.BenefitsZH, l.BenefitsEN} {
		if len(bs) > MaxBenefits {
			return civic.Errorf(civic.Invalid, "credit.benefits_many", "level %d: at most %d benefits in each language", n, MaxBenefits)
		}
		for _, b := range bs {
			if civic.Runes(b) > MaxBenefit {
				return civic.Errorf(civic.Invalid, "credit.benefit_long", "level %d: a benefit may have at most %d characters", n, MaxBenefit)
			}
		}
	}
	return nil
}
