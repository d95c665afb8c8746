package registry

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"sync"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// Service keeps estates, households, residents, their colours and visits.
type Service struct {
	DB    *db.DB
	Clock civic.Clock
	Log   *slog.Logger

	secret string
	mu     sync.Mutex
	k      *Keys
}

// New builds the registry service. secret is cfg.SecretKey; when it is empty
// (the demo) a generated secret is stored in the database on first use.
func New(d *db.DB, clock civic.Clock, log *slog.Logger, secret string) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{DB: d, Clock: clock, Log: log, secret: secret}
}

// Keys returns the keys that encrypt and hash sensitive fields.
func (s *Service) Keys(ctx context.Context) (*Keys, error) {
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

// SetSettings changes a community's settings; colours and due dates follow
// at the next refresh, which it forces.
func (s *Service) SetSettings(ctx context.Context, actor civic.Actor, communityID string, st Settings) (err error) {
	defer civic.Wrap(&err, "registry.SetSettings(%s)", communityID)
	if err := requireWorker(actor, communityID); err != nil {
		return err
	}
	if err := st.Validate(); err != nil {
		return err
	}
	err = s.DB.WithTx(ctx, func(tx *db.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO registry_settings (community_id, elderly_age, priority_days, regular_days, ages_refreshed, updated_at)
			VALUES ($1, $2, $3, $4, '', $5)
			ON CONFLICT (community_id) DO UPDATE SET elderly_age = $2, priority_days = $3, regular_days = $4, ages_refreshed = '', updated_at = $5`,
			communityID, st.ElderlyAge, st.PriorityDays, st.RegularDays, db.Millis(s.Clock.Now()))
		return err
	})
	if err != nil {
		return err
	}
	return s.Refresh(ctx, communityID)
}

// requireWorker lets through the community's workers and the platform itself.
func requireWorker(a civic.Actor, communityID string) error {
	if a.UserID == civic.System.UserID && a.Role == civic.RoleAdmin {
		return nil
	}
	if a.Role == civic.RoleWorker && a.CommunityID == communityID {
		return nil
	}
	return civic.Errorf(civic.Forbidden, "registry.workers_only", "only workers of this community may do this")
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
