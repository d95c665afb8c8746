package auth

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// Session is a logged-in browser. The token goes in a cookie; only its
// SHA-256 is stored, so a copy of the database opens no sessions.
type Session struct {
	Token     string // only set by CreateSession
	User      User
	ExpiresAt time.Time
}

// CreateSession starts a session for the user and returns its token.
func (s *Service) CreateSession(ctx context.Context, u User) (sess Session, err error) {
	defer civic.Wrap(&err, "auth.CreateSession(%s)", u.ID)
	// Each login sweeps away expired sessions and stale throttle records, so
	// neither table grows without a scheduled job.
	if _, err := s.PurgeExpired(ctx); err != nil {
		return sess, err
	}
	now := s.now()
	sess = Session{Token: newSecret("s_"), User: u, ExpiresAt: now.Add(s.ttl())}
	_, err = s.DB.Exec(ctx, "INSERT INTO sessions (community_id, token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
		u.CommunityID, hashSecret(sess.Token), u.ID, db.Millis(now), db.Millis(sess.ExpiresAt))
	return sess, err
}

// SessionUser returns the user of a live session and slides its expiry. An
// expired session is deleted and reported as auth.session_expired; an unknown
// one as auth.no_session (both unauthenticated).
func (s *Service) SessionUser(ctx context.Context, token string) (sess Session, err error) {
	defer civic.Wrap(&err, "auth.SessionUser")
	if token == "" {
		return sess, civic.Errorf(civic.Unauthenticated, "auth.no_session", "not logged in")
	}
	h := hashSecret(token)
	var expires int64
	u, err := scanUser(s.DB.QueryRow(ctx, "SELECT u.community_id, u.district_id, u.id, u.username, u.name, u.role, u.resident_id, u.grants, u.lang, u.disabled, u.created_at, s.expires_at "+
		"FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1", h), &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return sess, civic.Errorf(civic.Unauthenticated, "auth.no_session", "not logged in")
	}
	if err != nil {
		return sess, err
	}
	now := s.now()
	if exp := db.FromMillis(expires); !now.Before(exp) || u.Disabled {
		if _, err := s.DB.Exec(ctx, "DELETE FROM sessions WHERE token_hash = $1", h); err != nil {
			return sess, err
		}
		return sess, civic.Errorf(civic.Unauthenticated, "auth.session_expired", "the session has expired; please log in again")
	}
	sess = Session{User: u, ExpiresAt: db.FromMillis(expires)}
	// Slide the expiry, but write at most once a minute per session so a busy
	// page does not turn every read into a write.
	if next := now.Add(s.ttl()); next.Sub(sess.ExpiresAt) >= time.Minute {
		if _, err := s.DB.Exec(ctx, "UPDATE sessions SET expires_at = $1 WHERE token_hash = $2", db.Millis(next), h); err != nil {
			return sess, err
		}
		sess.ExpiresAt = next
	}
	return sess, nil
}

// Logout ends the session with this token. Ending an unknown session is not
// an error: the user is logged out either way.
func (s *Service) Logout(ctx context.Context, token string) (err error) {
	defer civic.Wrap(&err, "auth.Logout")
	_, err = s.DB.Exec(ctx, "DELETE FROM sessions WHERE token_hash = $1", hashSecret(token))
	return err
}

// PurgeExpired deletes sessions past their expiry and stale throttle records,
// and returns how many sessions it removed.
func (s *Service) PurgeExpired(ctx context.Context) (n int64, err error) {
	defer civic.Wrap(&err, "auth.PurgeExpired")
	now := db.Millis(s.now())
	res, err := s.DB.Exec(ctx, "DELETE FROM sessions WHERE expires_at <= $1", now)
	if err != nil {
		return 0, err
	}
	n, _ = res.RowsAffected()
	_, err = s.DB.Exec(ctx, "DELETE FROM login_throttle WHERE locked_until <= $1 AND window_start <= $2", now, now-s.window().Milliseconds())
	return n, err
}
