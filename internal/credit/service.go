package credit

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
	"civicpoints/internal/registry"
)

// Districts is what credit asks the district capability: the district a
// community belongs to (*district.Service).
type Districts interface {
	Of(ctx context.Context, communityID string) (string, error)
}

// Residents is what credit asks the registry (*registry.Service).
type Residents interface {
	AgeOf(ctx context.Context, communityID, residentID string, at time.Time) (int, error)
	ResidentActive(ctx context.Context, communityID, residentID string) error
}

// Service is the credit capability: the districts' versioned credit rules,
// residents' credit points and levels (now and on any past date), level
// changes with their causes, and consent to credit use. The credit report
// and merchants build on its read API: Standing, StandingAt, RulesAt,
// RulesOf and Allowed.
type Service struct {
	DB        *db.DB
	Idem      *idem.Store
	Clock     civic.Clock
	Districts Districts
	Residents Residents
}

// New builds the service.
func New(d *db.DB, st *idem.Store, clock civic.Clock, districts Districts, residents Residents) *Service {
	return &Service{DB: d, Idem: st, Clock: clock, Districts: districts, Residents: residents}
}

// AdultAge is the age from which a resident may consent to credit use.
const AdultAge = 18

// shanghaiDay is the Shanghai calendar day of t as YYYY-MM-DD.
func shanghaiDay(t time.Time) string { return t.In(civic.Shanghai).Format("2006-01-02") }

// dayStart is the first instant of a Shanghai calendar day.
func dayStart(day string) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01-02", day, civic.Shanghai)
	return t.UTC(), err
}

// community reads a community (its points name, its district).
func community(ctx context.Context, d *db.DB, communityID string) (registry.Community, error) {
	return registry.CommunityByID(ctx, d, communityID)
}

func itoa(n int) string { return strconv.Itoa(n) }

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
