package auth

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"strings"
	"time"
	"unicode/utf8"

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
// lock the account from that address, the address, and (after many more,
// from many addresses) the account (auth.throttled, too_many_requests); a
// wrong username or password is auth.bad_credentials (unauthenticated), the
// same for both so names cannot be probed.
func (s *Service) Login(ctx context.Context, username, password, ip string) (u User, err error) {
	defer civic.Wrap(&err, "auth.Login(%s)", username)
	username = strings.TrimSpace(username)
	name := strings.ToLower(username)
	type limit struct {
		key string
		n   int
	}
	limits := []limit{{pairKey(name, ip), or(s.PairLimit, 5)}, {"ip:" + ip, or(s.IPLimit, 20)}, {accountKey(name), or(s.AccountLimit, 50)}}
	for _, l := range limits {
		if err := s.checkLocked(ctx, l.key); err != nil {
			return u, err
		}
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
		// Only this address's count is forgiven: a login by the owner must not
		// reset the count of guesses made from elsewhere.
		_, err := s.DB.Exec(ctx, "DELETE FROM login_throttle WHERE key = $1", limits[0].key)
		return u, err
	}
	for _, l := range limits {
		if err := s.recordFailure(ctx, l.key, l.n); err != nil {
			return User{}, err
		}
	}
	return User{}, civic.Errorf(civic.Unauthenticated, "auth.bad_credentials", "wrong username or password")
}

// Throttle keys: an account ("account:NAME"), an account from one address
// ("pair:NAME|ADDR") and an address ("ip:ADDR"), names in lower case.
func accountKey(name string) string  { return "account:" + name }
func pairKey(name, ip string) string { return "pair:" + name + "|" + ip }

// LockedUntil is when the last lock on a user's account ends, from every
// address or from one (the owner's own typing, say); zero when none holds.
func (s *Service) LockedUntil(ctx context.Context, userID string) (_ time.Time, err error) {
	defer civic.Wrap(&err, "auth.LockedUntil(%s)", userID)
	u, err := s.UserByID(ctx, userID)
	if err != nil {
		return time.Time{}, err
	}
	name := strings.ToLower(u.Username)
	prefix := pairKey(name, "")
	var until int64
	err = s.DB.QueryRow(ctx, "SELECT COALESCE(MAX(locked_until), 0) FROM login_throttle WHERE key = $1 OR substr(key, 1, $2) = $3",
		accountKey(name), utf8.RuneCountInString(prefix), prefix).Scan(&until)
	if err != nil || !db.FromMillis(until).After(s.now()) {
		return time.Time{}, err
	}
	return db.FromMillis(until), nil
}

// UnlockTx clears, in tx, the failed logins counted against a user's
// account, from everywhere and from each address, so the owner can log in
// at once. The caller audits it (an admin's action).
func (s *Service) UnlockTx(ctx context.Context, tx *db.Tx, userID string) (err error) {
	defer civic.Wrap(&err, "auth.UnlockTx(%s)", userID)
	u, err := userInTx(ctx, tx, userID)
	if err != nil {
		return err
	}
	name := strings.ToLower(u.Username)
	prefix := pairKey(name, "")
	_, err = tx.Exec(ctx, "DELETE FROM login_throttle WHERE key = $1 OR substr(key, 1, $2) = $3",
		accountKey(name), utf8.RuneCountInString(prefix), prefix)
	return err
}

func (s *Service) checkLocked(ctx context.Context, key string) error {
	var until int64
	err := s.DB.QueryRow(ctx, "SELECT locked_until FROM login_throttle WHERE key = $1", key).Scan(&until)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	if left := db.FromMillis(until).Sub(s.now()); left > 0 {
		return throttled(left)
	}
	return nil
}

func throttled(left time.Duration) error {
	minutes := int(math.Ceil(left.Minutes()))
	return civic.Errorf(civic.TooManyRequests, "auth.throttled", "too many failed logins; try again in %d minutes", minutes)
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

// CountAttempt throttles a public action other than a login (a garden
// family's registration, say) with the logins' table, window and lockout:
// key names the action and the address ("garden_register:ADDR"); the
// limit-th attempt within the window locks the key for the lockout, and a
// locked key is refused with auth.throttled before anything else is done.
func (s *Service) CountAttempt(ctx context.Context, key string, limit int) (err error) {
	defer civic.Wrap(&err, "auth.CountAttempt(%s)", key)
	if err := s.checkLocked(ctx, key); err != nil {
		return err
	}
	return s.recordFailure(ctx, key, limit)
}
