package auth

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"strings"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// dummyHash is checked when the username is unknown, so a wrong username
// takes as long as a wrong password and names cannot be probed by timing.
func (s *Service) dummyHash() string {
	s.dummyOnce.Do(func() { s.dummy, _ = HashPassword(s.Params, "not-a-real-password") })
	return s.dummy
}

// Login checks a username and password from address ip. Repeated failures
// lock the account and the address for a while (auth.throttled,
// too_many_requests); a wrong username or password is auth.bad_credentials
// (unauthenticated), the same for both so names cannot be probed.
func (s *Service) Login(ctx context.Context, username, password, ip string) (u User, err error) {
	defer civic.Wrap(&err, "auth.Login(%s)", username)
	username = strings.TrimSpace(username)
	keys := []string{"account:" + strings.ToLower(username), "ip:" + ip}
	if err := s.checkLocked(ctx, keys); err != nil {
		return u, err
	}
	u, err = s.UserByUsername(ctx, username)
	ok := false
	switch {
	case err == nil:
		var hash string
		if err := s.DB.QueryRow(ctx, "SELECT password_hash FROM users WHERE id = $1", u.ID).Scan(&hash); err != nil {
			return u, err
		}
		if ok, err = CheckPassword(hash, password); err != nil {
			return u, err
		}
		ok = ok && !u.Disabled
	case civic.ErrorCode(err) == civic.NotFound:
		_, _ = CheckPassword(s.dummyHash(), password)
	default:
		return u, err
	}
	if ok {
		_, err := s.DB.Exec(ctx, "DELETE FROM login_throttle WHERE key = $1", keys[0])
		return u, err
	}
	if err := s.recordFailure(ctx, keys[0], or(s.AccountLimit, 5)); err != nil {
		return User{}, err
	}
	if err := s.recordFailure(ctx, keys[1], or(s.IPLimit, 20)); err != nil {
		return User{}, err
	}
	return User{}, civic.Errorf(civic.Unauthenticated, "auth.bad_credentials", "wrong username or password")
}

func (s *Service) checkLocked(ctx context.Context, keys []string) error {
	now := s.now()
	for _, k := range keys {
		var until int64
		err := s.DB.QueryRow(ctx, "SELECT locked_until FROM login_throttle WHERE key = $1", k).Scan(&until)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return err
		}
		if left := db.FromMillis(until).Sub(now); left > 0 {
			return throttled(left)
		}
	}
	return nil
}

func throttled(left time.Duration) error {
	minutes := int(math.Ceil(left.Minutes()))
	return civic.Errorf(civic.TooManyRequests, "auth.throttled", "too many failed logins; try again in %d minute(s)", minutes)
}

// recordFailure counts one failure for key in the current window; reaching
// limit locks the key for the lockout and starts a new window.
func (s *Service) recordFailure(ctx context.Context, key string, limit int) error {
	now := s.now()
	return s.DB.WithTx(ctx, func(tx *db.Tx) error {
		var failures int
		var start, until int64
		err := tx.QueryRow(ctx, "SELECT failures, window_start, locked_until FROM login_throttle WHERE key = $1", key).Scan(&failures, &start, &until)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			failures, start = 0, db.Millis(now)
			if _, err := tx.Exec(ctx, "INSERT INTO login_throttle (key, failures, window_start, locked_until) VALUES ($1, 0, $2, 0) ON CONFLICT (key) DO NOTHING", key, start); err != nil {
				return err
			}
		case err != nil:
			return err
		}
		if now.Sub(db.FromMillis(start)) > s.window() {
			failures, start = 0, db.Millis(now)
		}
		failures++
		if failures >= limit {
			failures, start, until = 0, db.Millis(now), db.Millis(now.Add(s.lockout()))
		}
		_, err = tx.Exec(ctx, "UPDATE login_throttle SET failures = $1, window_start = $2, locked_until = $3 WHERE key = $4", failures, start, until, key)
		return err
	})
}
