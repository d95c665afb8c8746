package station

import (
	"context"
	"database/sql"
	"errors"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
)

// Settings are a community's station rules.
type Settings struct {
	FenPerPoint       int64 // how many fen (0.01 yuan) of donated funds back one point
	CoverThresholdPct int64 // warn when cover falls below this percentage
	ReleaseDays       int64 // uncollected online orders are released after this many days
	FundsFen          int64 // donated funds not yet spent on purchases (kept by the station)
}

// DefaultSettings: 1 point is backed by 1 yuan, warn below full cover, release after 7 days.
var DefaultSettings = Settings{FenPerPoint: 100, CoverThresholdPct: 100, ReleaseDays: 7}

// FundsPoints is what the unspent funds back, in points (whole points; the
// remaining fen stay in the funds and count once they make up a point).
func (s Settings) FundsPoints() int64 { return s.FundsFen / s.FenPerPoint }

// GetSettings reads a community's settings, or the defaults.
func GetSettings(ctx context.Context, q db.Querier, communityID string) (s Settings, err error) {
	defer civic.Wrap(&err, "station.GetSettings(%s)", communityID)
	err = q.QueryRow(ctx, "SELECT fen_per_point, cover_threshold_pct, release_days, funds_fen FROM station_settings WHERE community_id = $1",
		communityID).Scan(&s.FenPerPoint, &s.CoverThresholdPct, &s.ReleaseDays, &s.FundsFen)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultSettings, nil
	}
	return s, err
}

// SettingsRequest is a community's backing rate, cover threshold and
// release days (never the funds, which only donations and purchases move).
type SettingsRequest struct {
	Community         string `json:"community"`
	FenPerPoint       int64  `json:"fen_per_point"`
	CoverThresholdPct int64  `json:"cover_threshold_pct"`
	ReleaseDays       int64  `json:"release_days"`
}

// SaveSettings changes the station's rules; the community's workers set them.
func (s *Service) SaveSettings(ctx context.Context, by civic.Actor, key idem.Key, r SettingsRequest) (st Settings, err error) {
	defer civic.Wrap(&err, "station.SaveSettings(%s)", r.Community)
	if err := by.May(r.Community, civic.RoleWorker); err != nil {
		return st, err
	}
	if err := r.validate(); err != nil {
		return st, err
	}
	return idem.Run(ctx, s.Idem, plainOp(r.Community, key, "station.save_settings", r), func(tx *db.Tx) (Settings, error) {
		if err := ensureSettings(ctx, tx, r.Community); err != nil {
			return Settings{}, err
		}
		if _, err := tx.Exec(ctx, `UPDATE station_settings SET fen_per_point = $2, cover_threshold_pct = $3, release_days = $4, updated_at = $5
			WHERE community_id = $1`, r.Community, r.FenPerPoint, r.CoverThresholdPct, r.ReleaseDays, db.Millis(tx.Now())); err != nil {
			return Settings{}, err
		}
		return GetSettings(ctx, tx, r.Community)
	})
}

func (r SettingsRequest) validate() error {
	if err := needCommunity(r.Community); err != nil {
		return err
	}
	switch {
	case r.FenPerPoint <= 0:
		return civic.Errorf(civic.Invalid, "station.bad_rate", "one point must be backed by more than 0 fen")
	case r.FenPerPoint > MaxFenPerPoint:
		return civic.Errorf(civic.Invalid, "station.rate_too_high", "one point may be backed by at most ¥%s, not ¥%s", Yuan(MaxFenPerPoint), Yuan(r.FenPerPoint))
	case r.CoverThresholdPct < 0 || r.CoverThresholdPct > 1000:
		return civic.Errorf(civic.Invalid, "station.bad_threshold", "the cover threshold must be between 0%% and 1000%%, not %d%%", r.CoverThresholdPct)
	case r.ReleaseDays < 1 || r.ReleaseDays > 90:
		return civic.Errorf(civic.Invalid, "station.bad_release_days", "orders are released after 1 to 90 days, not %d", r.ReleaseDays)
	}
	return nil
}

// ensureSettings writes the defaults the first time a community's funds or
// rules change, so the guarded updates have a row to guard.
func ensureSettings(ctx context.Context, tx *db.Tx, communityID string) error {
	d := DefaultSettings
	_, err := tx.Exec(ctx, `INSERT INTO station_settings (community_id, fen_per_point, cover_threshold_pct, release_days, funds_fen, updated_at)
		VALUES ($1, $2, $3, $4, 0, $5) ON CONFLICT (community_id) DO NOTHING`,
		communityID, d.FenPerPoint, d.CoverThresholdPct, d.ReleaseDays, db.Millis(tx.Now()))
	return err
}
