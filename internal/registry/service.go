package registry

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"sync"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
)

// Service keeps estates, households, residents, their colours and visits.
//
// Every change a person or system can ask for is one command method taking
// the actor, an idempotency key and a typed request (CreateEstate,
// CreateHousehold, UpdateHousehold, CreateResident, MoveResident,
// LeaveResident, SetRed, RecordVisit, AssignEstates, SetSettings,
// StageImport, ApplyImport): it checks the actor, validates and runs through
// Idem, so a resent form or a retried call changes nothing twice.
type Service struct {
	DB    *db.DB
	Clock civic.Clock
	Log   *slog.Logger
	// Idem runs the commands once per key. New gives the registry a store
	// over its database and clock: none of its commands batches, so it is
	// the installation's store in all but name (app.New may hand it a.Idem).
	Idem *idem.Store

	secret string
	mu     sync.Mutex
	k      *Keys
	live   liveProgress // imports running in this process, for SQLite (see importjobs.go)
}

// New builds the registry service. secret is cfg.SecretKey; when it is empty
// (the demo) a generated secret is stored in the database on first use.
func New(d *db.DB, clock civic.Clock, log *slog.Logger, secret string) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{DB: d, Clock: clock, Log: log, Idem: idem.New(d, nil, clock), secret: secret}
}

// op is how every registry command runs through idem. None moves points or
// stock, so none is batched (Batch false): each runs in a transaction of its
// own, as the registry's writes always have, and long ones (an import) never
// hold up the group committer's writers. The shard is the community's, the
// rule for community-wide writes; an unbatched command is not routed by it.
func op(communityID string, key idem.Key, command string, req any) idem.Op {
	return idem.Op{Community: communityID, Key: key, Command: command, Shard: idem.Community(communityID), Request: req}
}

// Change is the answer of a command that changes a record: which record
// (resident, household, visit, worker or community) and when, by the clock.
// A replay answers the first run's Change.
type Change struct {
	ID string    `json:"id"`
	At time.Time `json:"at"`
}

// Keys returns the keys that encrypt and hash sensitive fields.
func (s *Service) Keys(ctx context.Context) (_ *Keys, err error) {
	defer civic.Wrap(&err, "registry.Keys")
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.k != nil {
		return s.k, nil
	}
	secret, err := LoadSecret(ctx, s.DB, s.secret, s.Log, db.Millis(s.Clock.Now()))
	if err != nil {
		return nil, err
	}
	k, err := NewKeys(secret)
	if err != nil {
		return nil, err
	}
	s.k = k
	return k, nil
}

// Settings reads a community's colour and visit settings (defaults until set).
func (s *Service) Settings(ctx context.Context, communityID string) (st Settings, err error) {
	defer civic.Wrap(&err, "registry.Settings(%s)", communityID)
	st = DefaultSettings
	err = s.DB.QueryRow(ctx, "SELECT elderly_age, priority_days, regular_days FROM registry_settings WHERE community_id = $1", communityID).
		Scan(&st.ElderlyAge, &st.PriorityDays, &st.RegularDays)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultSettings, nil
	}
	return st, err
}

func settingsTx(ctx context.Context, tx *db.Tx, communityID string) (Settings, error) {
	st := DefaultSettings
	err := tx.QueryRow(ctx, "SELECT elderly_age, priority_days, regular_days FROM registry_settings WHERE community_id = $1", communityID).
		Scan(&st.ElderlyAge, &st.PriorityDays, &st.RegularDays)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultSettings, nil
	}
	return st, err
}

// SettingsRequest sets a community's elderly age and visit cadences.
type SettingsRequest struct {
	Community string `json:"community"`
	Settings
}

// SetSettings changes a community's settings; colours and due dates follow
// at the next refresh, which it forces.
func (s *Service) SetSettings(ctx context.Context, by civic.Actor, key idem.Key, r SettingsRequest) (ch Change, err error) {
	defer civic.Wrap(&err, "registry.SetSettings(%s)", r.Community)
	if err := by.May(r.Community, civic.RoleWorker); err != nil {
		return ch, err
	}
	if err := r.Validate(); err != nil {
		return ch, err
	}
	ch, err = idem.Run(ctx, s.Idem, op(r.Community, key, "registry.set_settings", r), func(tx *db.Tx) (Change, error) {
		now := s.Clock.Now()
		_, err := tx.Exec(ctx, `INSERT INTO registry_settings (community_id, elderly_age, priority_days, regular_days, ages_refreshed, updated_at)
			VALUES ($1, $2, $3, $4, '', $5)
			ON CONFLICT (community_id) DO UPDATE SET elderly_age = $2, priority_days = $3, regular_days = $4, ages_refreshed = '', updated_at = $5`,
			r.Community, r.ElderlyAge, r.PriorityDays, r.RegularDays, db.Millis(now))
		return Change{ID: r.Community, At: now}, err
	})
	if err != nil {
		return ch, err
	}
	// Outside the command's transaction: the refresh is its own work, done
	// once a day anyway, and running it again on a replay changes nothing.
	return ch, s.Refresh(ctx, r.Community)
}

// SeesSensitive reports whether a may see colours, ID numbers and phones of
// residents of communityID: only the community's own workers.
func SeesSensitive(a civic.Actor, communityID string) bool {
	return a.Role == civic.RoleWorker && a.CommunityID == communityID
}

// SeesRed reports whether a may see the red group.
func SeesRed(a civic.Actor, communityID string) bool {
	return SeesSensitive(a, communityID) && a.Has(GrantRed)
}

// notFound names what is missing; one literal key per kind, so the catalogue
// check can see that each message takes the id and nothing else.
func notFound(kind, id string) error {
	switch kind {
	case "estate":
		return civic.Errorf(civic.NotFound, "registry.estate_not_found", "no estate %s in this community", id)
	case "household":
		return civic.Errorf(civic.NotFound, "registry.household_not_found", "no household %s in this community", id)
	}
	return civic.Errorf(civic.NotFound, "registry.resident_not_found", "no resident %s in this community", id)
}
