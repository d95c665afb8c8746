// Package earning is every way a resident earns points: the indicator
// catalogue with versioned rules and caps, activities with sign-ups and
// attendance, the approval queue for self-reported hours and forgotten
// check-outs, suggestions (金点子) and single or bulk awards. Every award is a
// ledger transfer carrying its indicator, its source and the rule version in
// force; earning keeps its own tallies for caps and carried minutes.
//
// Every change a person asks for is one command method on Service, taking
// the actor, the idempotency key and a typed request (Award, BulkAward,
// SaveIndicator, Publish, SignUp, CheckOut, Decide, Review…). The command
// checks the actor's right, validates, and runs through internal/idem: the
// commands that move points through the group committer, sharded by the
// resident whose points move, the others in a transaction of their own. The
// award page and the API's POST /awards call the same Award.
package earning

import (
	"context"
	"strings"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
	"civicpoints/internal/ledger"
)

// Residents tells earning whether a resident may earn: nil when registered in
// the community and not left. *registry.Service satisfies it.
type Residents interface {
	ResidentActive(ctx context.Context, communityID, residentID string) error
}

// CodeVerifier turns a scanned resident code into the resident it names,
// refusing forged, revoked or other communities' codes.
type CodeVerifier interface {
	ResidentFromCode(ctx context.Context, communityID, code string) (residentID string, err error)
}

// Service runs earning over one database.
type Service struct {
	DB        *db.DB
	Clock     civic.Clock
	Residents Residents
	Codes     CodeVerifier // nil: scanning resident codes is unavailable
	Batcher   *db.Batcher  // group commit of the commands that move points
	Ledger    *ledger.Service
	Idem      *idem.Store // every command runs once per key through it
}

// New builds the service. codes may be nil until the resident code exists;
// batcher may be nil, in which case one is started for this service; lg may
// be nil for a service of its own, whose reversals undo only earning's rows;
// store may be nil for a store of its own over d and the batcher (app.New
// passes the one store every capability shares).
func New(d *db.DB, clock civic.Clock, residents Residents, codes CodeVerifier, batcher *db.Batcher, lg *ledger.Service, store *idem.Store) *Service {
	if batcher == nil {
		batcher = db.NewBatcher(d, 1, 64)
	}
	if lg == nil {
		lg = ledger.New(d, idem.New(d, batcher, clock))
		for _, k := range SourceKinds {
			lg.OnReverse(k, UndoAward)
		}
	}
	if store == nil {
		store = idem.New(d, batcher, clock)
	}
	return &Service{DB: d, Clock: clock, Residents: residents, Codes: codes, Batcher: batcher, Ledger: lg, Idem: store}
}

func (s *Service) now() time.Time { return s.Clock.Now().UTC() }

// requireWorker is the house rule (civic.Actor.May) for the commands only a
// worker of the community may give, with earning's own message: the page
// tells a resident or a clerk what they may not do in earning's words.
func requireWorker(a civic.Actor, communityID string) error {
	if a.May(communityID, civic.RoleWorker) == nil {
		return nil
	}
	return civic.Errorf(civic.Forbidden, "earning.worker_only", "only a worker of this community may do this")
}

// requireSelf lets through the resident themself, or a worker of the
// community acting for them (civic.Actor.May), and refuses anyone else.
func requireSelf(a civic.Actor, communityID, residentID string) error {
	if err := a.May(communityID, civic.RoleWorker, civic.RoleResident); err != nil {
		if a.CommunityID != communityID {
			return civic.Errorf(civic.Forbidden, "earning.other_community", "this belongs to another community")
		}
		return civic.Errorf(civic.Forbidden, "earning.not_yours", "you may only do this for yourself")
	}
	if a.Role == civic.RoleResident && a.ResidentID != residentID {
		return civic.Errorf(civic.Forbidden, "earning.not_yours", "you may only do this for yourself")
	}
	return nil
}

// Day is the Asia/Shanghai calendar day of t, as YYYY-MM-DD.
func Day(t time.Time) string { return t.In(civic.Shanghai).Format("2006-01-02") }

// periods returns the first day of t's Shanghai month and year and the first
// day after each, for cap sums over earning_awards.day.
func periods(t time.Time) (day, monthFrom, monthTo, yearFrom, yearTo string) {
	l := t.In(civic.Shanghai)
	m := time.Date(l.Year(), l.Month(), 1, 0, 0, 0, 0, civic.Shanghai)
	y := time.Date(l.Year(), 1, 1, 0, 0, 0, 0, civic.Shanghai)
	f := "2006-01-02"
	return l.Format(f), m.Format(f), m.AddDate(0, 1, 0).Format(f), y.Format(f), y.AddDate(1, 0, 0).Format(f)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func clampLimit(n int) int {
	if n <= 0 || n > 200 {
		return 50
	}
	return n
}

// text trims s and refuses it when empty (key, english) or longer than max runes.
func text(s string, max int, key, english string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", &civic.Error{Code: civic.Invalid, Key: key, Message: english}
	}
	if len([]rune(s)) > max {
		return "", civic.Errorf(civic.Invalid, "earning.too_long", "a text is longer than %d characters", max)
	}
	return s, nil
}

// CodeFunc adapts a function (such as the credit service's Verify, reduced to
// the resident id) to CodeVerifier.
type CodeFunc func(ctx context.Context, communityID, code string) (residentID string, err error)

// ResidentFromCode calls f.
func (f CodeFunc) ResidentFromCode(ctx context.Context, communityID, code string) (_ string, err error) {
	defer civic.Wrap(&err, "earning.ResidentFromCode")
	return f(ctx, communityID, code)
}
