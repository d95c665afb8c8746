package credit

import (
	"context"
	"strings"
	"time"

	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
)

// Purpose is a use of a resident's level that needs their consent (信用授权).
type Purpose string

const (
	// PurposeMerchants: merchants of the district see the level and apply
	// its discounts when the resident shows their code.
	PurposeMerchants Purpose = "merchants"
	// PurposeReports: the level goes into credit reports for evaluations
	// (评优评先) and military or party applications (参军入党).
	PurposeReports Purpose = "reports"
)

// Purposes lists every purpose, in display order.
var Purposes = []Purpose{PurposeMerchants, PurposeReports}

func (p Purpose) valid() bool { return p == PurposeMerchants || p == PurposeReports }

// ConsentRequest grants or withdraws consent for one purpose: the resident
// themself on their page, or a worker recording a consent (or withdrawal)
// given on paper, with a reason.
type ConsentRequest struct {
	Community string  `json:"community"`
	Resident  string  `json:"resident"`
	Purpose   Purpose `json:"purpose"`
	Grant     bool    `json:"grant"`
	Paper     bool    `json:"paper"`
	Reason    string  `json:"reason"`
}

// Consent is one grant or withdrawal, as kept.
type Consent struct {
	ID        string    `json:"id"`
	Purpose   Purpose   `json:"purpose"`
	Granted   bool      `json:"granted"`
	At        time.Time `json:"at"`
	ActorName string    `json:"actor_name"`
	ActorRole string    `json:"actor_role"`
	Paper     bool      `json:"paper"`
	Reason    string    `json:"reason"`
}

func (r ConsentRequest) validate(by civic.Actor) error {
	if !r.Purpose.valid() {
		return civic.Errorf(civic.Invalid, "credit.bad_purpose", "unknown use %q: merchants or reports", string(r.Purpose))
	}
	if s, long := civic.TooLong(r.Reason, civic.MaxReason); long {
		return civic.Errorf(civic.Invalid, "credit.reason_long", "a reason may have at most %d characters, not %d", civic.MaxReason, civic.Runes(s))
	}
	switch by.Role {
	case civic.RoleResident:
		if by.ResidentID != r.Resident || r.Paper {
			return civic.Errorf(civic.Forbidden, "credit.own_consent", "a resident gives or withdraws only their own consent, on their own page")
		}
	case civic.RoleWorker:
		if !r.Paper {
			return civic.Errorf(civic.Forbidden, "credit.paper_only", "a worker records only a consent given on paper (tick \"on paper\")")
		}
		if r.Reason == "" {
			return civic.Errorf(civic.Invalid, "credit.paper_reason", "say why and how the paper consent was given; the reason is audited")
		}
	}
	return nil
}

// SetConsent grants or withdraws a resident's consent to one use of their
// level, keeping every change with its time. Only an adult (18 or older by
// the registry's birth date) may grant it; anyone may withdraw at any time.
// A worker's paper record is written to the audit log.
func (s *Service) SetConsent(ctx context.Context, by civic.Actor, key idem.Key, r ConsentRequest) (c Consent, err error) {
	defer civic.Wrap(&err, "credit.SetConsent(%s %s)", r.Resident, r.Purpose)
	if err := by.May(r.Community, civic.RoleResident, civic.RoleWorker); err != nil {
		return c, err
	}
	r.Resident, r.Reason = strings.TrimSpace(r.Resident), strings.TrimSpace(r.Reason)
	if err := r.validate(by); err != nil {
		return c, err
	}
	if err := s.Residents.ResidentActive(ctx, r.Community, r.Resident); err != nil {
		return c, err
	}
	check := func(ctx context.Context) error {
		if !r.Grant {
			return nil
		}
		return s.adult(ctx, r.Community, r.Resident)
	}
	return idem.Run(ctx, s.Idem, idem.Op{Community: r.Community, Key: key, Command: "credit.set_consent",
		Shard: idem.Resident(r.Community, r.Resident), Request: r, Check: check},
		func(tx *db.Tx) (Consent, error) { return setConsentTx(ctx, tx, by, r) })
}

func setConsentTx(ctx context.Context, tx *db.Tx, by civic.Actor, r ConsentRequest) (Consent, error) {
	c := Consent{ID: civic.NewID(), Purpose: r.Purpose, Granted: r.Grant, At: tx.Now(), ActorName: by.Name,
		ActorRole: string(by.Role), Paper: r.Paper, Reason: r.Reason}
	_, err := tx.Exec(ctx, `INSERT INTO credit_consents (community_id, id, resident_id, purpose, seq, granted, at, actor_id, actor_name,
		actor_role, paper, reason) SELECT $1, $2, $3, $4, COALESCE(MAX(seq), 0) + 1, CAST($5 AS INTEGER), CAST($6 AS BIGINT), $7, $8, $9,
		CAST($10 AS INTEGER), $11
		FROM credit_consents WHERE community_id = $1 AND resident_id = $3`,
		r.Community, c.ID, r.Resident, string(r.Purpose), boolInt(r.Grant), db.Millis(c.At), by.UserID, by.Name,
		string(by.Role), boolInt(r.Paper), r.Reason)
	if err != nil || by.Role != civic.RoleWorker {
		return c, err
	}
	action := "credit.consent_paper_withdraw"
	if r.Grant {
		action = "credit.consent_paper_grant"
	}
	e := auth.EntryFor(by, action, "resident", r.Resident, string(r.Purpose)+": "+r.Reason, tx.Now())
	return c, auth.Audit(ctx, tx, e)
}

// adult refuses a minor: consent to credit use is an adult's alone.
func (s *Service) adult(ctx context.Context, communityID, residentID string) error {
	age, err := s.Residents.AgeOf(ctx, communityID, residentID, s.Clock.Now())
	if err != nil {
		return err
	}
	if age < AdultAge {
		return civic.Errorf(civic.Forbidden, "credit.minor", "residents under %d cannot consent to credit use", AdultAge)
	}
	return nil
}

func scanConsent(row db.Scanner) (c Consent, err error) {
	var purpose string
	var granted, paper, at int64
	err = row.Scan(&c.ID, &purpose, &granted, &at, &c.ActorName, &c.ActorRole, &paper, &c.Reason)
	c.Purpose, c.Granted, c.Paper, c.At = Purpose(purpose), granted != 0, paper != 0, db.FromMillis(at)
	return c, err
}

const consentCols = "id, purpose, granted, at, actor_name, actor_role, paper, reason"

// Consents is the consent in force for each purpose (absent: never given).
func (s *Service) Consents(ctx context.Context, communityID, residentID string) (out map[Purpose]Consent, err error) {
	defer civic.Wrap(&err, "credit.Consents(%s)", residentID)
	out = map[Purpose]Consent{}
	for _, p := range Purposes {
		rows, err := s.DB.Query(ctx, "SELECT "+consentCols+` FROM credit_consents WHERE community_id = $1 AND resident_id = $2
			AND purpose = $3 ORDER BY seq DESC LIMIT 1`, communityID, residentID, string(p))
		cs, err := db.Collect(rows, err, scanConsent)
		if err != nil {
			return nil, err
		}
		if len(cs) == 1 {
			out[p] = cs[0]
		}
	}
	return out, nil
}

// ConsentHistory lists every grant and withdrawal, newest first, at most limit.
func (s *Service) ConsentHistory(ctx context.Context, communityID, residentID string, limit int) (_ []Consent, err error) {
	defer civic.Wrap(&err, "credit.ConsentHistory(%s)", residentID)
	rows, err := s.DB.Query(ctx, "SELECT "+consentCols+` FROM credit_consents WHERE community_id = $1 AND resident_id = $2
		ORDER BY seq DESC LIMIT $3`, communityID, residentID, limit)
	return db.Collect(rows, err, scanConsent)
}

// Allowed is the consent gate every use of a level passes (a merchant scan,
// a credit report): nil when the resident is an adult whose consent for the
// purpose is in force; credit.minor or credit.not_consented (forbidden)
// otherwise.
func (s *Service) Allowed(ctx context.Context, communityID, residentID string, p Purpose) (err error) {
	defer civic.Wrap(&err, "credit.Allowed(%s %s)", residentID, p)
	if err := s.adult(ctx, communityID, residentID); err != nil {
		return err
	}
	cs, err := s.Consents(ctx, communityID, residentID)
	if err != nil {
		return err
	}
	if c, ok := cs[p]; !ok || !c.Granted {
		return civic.Errorf(civic.Forbidden, "credit.not_consented", "the resident has not authorised this use of their credit")
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
