package earning

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
)

// SignUp is one resident's place at an activity and their attendance.
type SignUp struct {
	ActivityID string
	ResidentID string
	Status     string // registered, waitlisted, cancelled
	Attendance string // "", in, out, no_show
	Method     string // scan, code, tick, auto
	In, Out    time.Time
	Minutes    int64
	AutoClosed bool
	Award      string // "", awarded, pending, none
	Points     int64
	TransferID string
	SignedAt   time.Time
}

const signupCols = `activity_id, resident_id, status, attendance, method, checked_in_at, checked_out_at, minutes, auto_closed,
	award, points, transfer_id, signed_at`

func scanSignUp(row interface{ Scan(...any) error }) (u SignUp, err error) {
	var in, out sql.NullInt64
	var auto, signed int64
	err = row.Scan(&u.ActivityID, &u.ResidentID, &u.Status, &u.Attendance, &u.Method, &in, &out, &u.Minutes, &auto,
		&u.Award, &u.Points, &u.TransferID, &signed)
	if in.Valid {
		u.In = db.FromMillis(in.Int64)
	}
	if out.Valid {
		u.Out = db.FromMillis(out.Int64)
	}
	u.AutoClosed, u.SignedAt = auto != 0, db.FromMillis(signed)
	return u, err
}

func getSignUp(ctx context.Context, q db.Querier, communityID, activityID, residentID string) (u SignUp, err error) {
	u, err = scanSignUp(q.QueryRow(ctx, "SELECT "+signupCols+" FROM earning_signups WHERE community_id = $1 AND activity_id = $2 AND resident_id = $3",
		communityID, activityID, residentID))
	if errors.Is(err, sql.ErrNoRows) {
		return u, civic.Errorf(civic.NotFound, "earning.not_signed_up", "this resident has not signed up for the activity")
	}
	return u, err
}

// SignUpRequest asks for a resident's place at an activity; Wait joins the
// waiting list when every place is taken.
type SignUpRequest struct {
	Community string `json:"community"`
	Activity  string `json:"activity"`
	Resident  string `json:"resident"`
	Wait      bool   `json:"wait"`
}

// SignUp gives the resident a place. When the activity is full it refuses
// (earning.full) unless Wait is set, in which case the resident joins the
// waiting list and moves up when someone cancels. The resident signs
// themself up, or a worker of the community adds them; invite-only
// activities take sign-ups from workers only.
func (s *Service) SignUp(ctx context.Context, by civic.Actor, key idem.Key, r SignUpRequest) (u SignUp, err error) {
	defer civic.Wrap(&err, "earning.SignUp(%s, %s)", r.Activity, r.Resident)
	if err := requireSelf(by, r.Community, r.Resident); err != nil {
		return u, err
	}
	return idem.Run(ctx, s.Idem, idem.Op{Community: r.Community, Key: key, Command: "earning.sign_up",
		Shard: idem.Resident(r.Community, r.Resident), Request: r,
		Check: func(ctx context.Context) error { return s.Residents.ResidentActive(ctx, r.Community, r.Resident) }},
		func(tx *db.Tx) (SignUp, error) {
			return s.signUpTx(ctx, tx, by, r.Community, r.Activity, r.Resident, r.Wait)
		})
}

func (s *Service) signUpTx(ctx context.Context, tx *db.Tx, actor civic.Actor, communityID, activityID, residentID string, wait bool) (u SignUp, err error) {
	now := s.now()
	err = func() error {
		a, err := getActivity(ctx, tx, communityID, activityID)
		if err != nil {
			return err
		}
		switch {
		case a.InviteOnly && actor.Role != civic.RoleWorker:
			return civic.Errorf(civic.Forbidden, "earning.invite_only", "this activity is by invitation: ask a community worker")
		case a.Status != "published" || !now.Before(a.Deadline):
			return civic.Errorf(civic.Invalid, "earning.signup_closed", "sign-up closed at %s", a.Deadline.In(civic.Shanghai).Format("2006-01-02 15:04"))
		}
		cur, err := getSignUp(ctx, tx, communityID, activityID, residentID)
		switch {
		case err == nil && cur.Status != "cancelled":
			return civic.Errorf(civic.Conflict, "earning.already_signed_up", "already signed up for this activity")
		case err != nil && civic.ErrorCode(err) != civic.NotFound:
			return err
		}
		status := "registered"
		res, err := tx.Exec(ctx, "UPDATE earning_activities SET taken = taken + 1 WHERE community_id = $1 AND id = $2 AND taken < capacity",
			communityID, activityID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if !wait {
				return civic.Errorf(civic.Conflict, "earning.full", "all %d places are taken; join the waiting list instead", a.Capacity)
			}
			status = "waitlisted"
		}
		// Only a cancelled sign-up is taken again: a copy of this request
		// sent at once with another key waits here for the first and finds
		// the place taken, and its place bump above rolls back with it.
		res, err = tx.Exec(ctx, `INSERT INTO earning_signups (community_id, activity_id, resident_id, status, signed_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (community_id, activity_id, resident_id)
			DO UPDATE SET status = $4, signed_at = $5, updated_at = $5 WHERE earning_signups.status = 'cancelled'`,
			communityID, activityID, residentID, status, db.Millis(now))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err != nil {
				return err
			}
			return civic.Errorf(civic.Conflict, "earning.already_signed_up", "already signed up for this activity")
		}
		u, err = getSignUp(ctx, tx, communityID, activityID, residentID)
		return err
	}()
	return u, err
}

// WithdrawRequest gives up a resident's place at an activity.
type WithdrawRequest struct {
	Community string `json:"community"`
	Activity  string `json:"activity"`
	Resident  string `json:"resident"`
}

// Withdraw gives up a place (or a place on the waiting list) before the
// deadline; the first resident waiting moves up. The resident withdraws
// themself, or a worker of the community for them.
func (s *Service) Withdraw(ctx context.Context, by civic.Actor, key idem.Key, r WithdrawRequest) (u SignUp, err error) {
	defer civic.Wrap(&err, "earning.Withdraw(%s, %s)", r.Activity, r.Resident)
	if err := requireSelf(by, r.Community, r.Resident); err != nil {
		return u, err
	}
	return idem.Run(ctx, s.Idem, idem.Op{Community: r.Community, Key: key, Command: "earning.withdraw",
		Shard: idem.Resident(r.Community, r.Resident), Request: r},
		func(tx *db.Tx) (SignUp, error) {
			if err := s.withdrawTx(ctx, tx, r.Community, r.Activity, r.Resident); err != nil {
				return SignUp{}, err
			}
			return getSignUp(ctx, tx, r.Community, r.Activity, r.Resident)
		})
}

func (s *Service) withdrawTx(ctx context.Context, tx *db.Tx, communityID, activityID, residentID string) error {
	now := s.now()
	return func() error {
		a, err := getActivity(ctx, tx, communityID, activityID)
		if err != nil {
			return err
		}
		if !now.Before(a.Deadline) {
			return civic.Errorf(civic.Invalid, "earning.cancel_closed", "cancelling closed at %s; tell a community worker instead", a.Deadline.In(civic.Shanghai).Format("2006-01-02 15:04"))
		}
		cur, err := getSignUp(ctx, tx, communityID, activityID, residentID)
		if err != nil {
			return err
		}
		if cur.Status == "cancelled" {
			return civic.Errorf(civic.Invalid, "earning.already_cancelled", "this sign-up is already cancelled")
		}
		// Guarded, so a copy sent at once with another key frees no second place.
		res, err := tx.Exec(ctx, `UPDATE earning_signups SET status = 'cancelled', updated_at = $4
			WHERE community_id = $1 AND activity_id = $2 AND resident_id = $3 AND status = $5`,
			communityID, activityID, residentID, db.Millis(now), cur.Status)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err != nil {
				return err
			}
			return civic.Errorf(civic.Invalid, "earning.already_cancelled", "this sign-up is already cancelled")
		}
		if cur.Status != "registered" {
			return nil
		}
		return promote(ctx, tx, communityID, activityID, now)
	}()
}

// promote hands a freed place to the longest-waiting resident, or frees it.
func promote(ctx context.Context, tx *db.Tx, communityID, activityID string, now time.Time) error {
	var next string
	err := tx.QueryRow(ctx, `SELECT resident_id FROM earning_signups WHERE community_id = $1 AND activity_id = $2 AND status = 'waitlisted'
		ORDER BY signed_at, resident_id LIMIT 1`, communityID, activityID).Scan(&next)
	if errors.Is(err, sql.ErrNoRows) {
		_, err = tx.Exec(ctx, "UPDATE earning_activities SET taken = taken - 1 WHERE community_id = $1 AND id = $2", communityID, activityID)
		return err
	}
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, "UPDATE earning_signups SET status = 'registered', updated_at = $4 WHERE community_id = $1 AND activity_id = $2 AND resident_id = $3",
		communityID, activityID, next, db.Millis(now))
	return err
}

// Roster lists an activity's sign-ups: registered first, then waiting, then cancelled.
func (s *Service) Roster(ctx context.Context, communityID, activityID string) (out []SignUp, err error) {
	defer civic.Wrap(&err, "earning.Roster(%s)", activityID)
	rows, err := s.DB.Query(ctx, "SELECT "+signupCols+` FROM earning_signups WHERE community_id = $1 AND activity_id = $2
		ORDER BY CASE status WHEN 'registered' THEN 0 WHEN 'waitlisted' THEN 1 ELSE 2 END, signed_at, resident_id`, communityID, activityID)
	return db.Collect(rows, err, scanSignUp)
}

// Attendees are the residents who came to an activity (checked in), in
// roster order.
func (s *Service) Attendees(ctx context.Context, communityID, activityID string) (ids []string, err error) {
	defer civic.Wrap(&err, "earning.Attendees(%s)", activityID)
	return attendees(ctx, s.DB, communityID, activityID)
}

func attendees(ctx context.Context, q db.Querier, communityID, activityID string) ([]string, error) {
	rows, err := q.Query(ctx, `SELECT resident_id FROM earning_signups WHERE community_id = $1 AND activity_id = $2
		AND attendance IN ('in', 'out') ORDER BY signed_at, resident_id`, communityID, activityID)
	return db.Collect(rows, err, db.ScanString)
}

// MySignUp is a resident's sign-up with its activity.
type MySignUp struct {
	SignUp
	Activity Activity
}

// SignUpsOf lists a resident's sign-ups, newest first.
func (s *Service) SignUpsOf(ctx context.Context, communityID, residentID string, limit int) (out []MySignUp, err error) {
	defer civic.Wrap(&err, "earning.SignUpsOf(%s)", residentID)
	rows, err := s.DB.Query(ctx, "SELECT "+signupCols+` FROM earning_signups WHERE community_id = $1 AND resident_id = $2
		ORDER BY signed_at DESC LIMIT $3`, communityID, residentID, clampLimit(limit))
	ups, err := db.Collect(rows, err, scanSignUp)
	if err != nil {
		return nil, err
	}
	for _, u := range ups {
		a, err := getActivity(ctx, s.DB, communityID, u.ActivityID)
		if err != nil {
			return nil, err
		}
		out = append(out, MySignUp{SignUp: u, Activity: a})
	}
	return out, nil
}
