package earning

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
	"civicpoints/internal/ledger"
)

// Method is how attendance is taken.
type Method string

const (
	Scan Method = "scan" // a worker scans the resident's code; value is the code
	Code Method = "code" // the resident types the activity's 6-digit code
	Tick Method = "tick" // a worker ticks the resident on the list; value is the resident id
)

// CodePeriod is how long one activity code is shown; the code before it is
// still accepted, so a resident typing at the turn is not refused.
const CodePeriod = 2 * time.Minute

// CheckInEarly is how long before the start check-in opens.
const CheckInEarly = 30 * time.Minute

func activityCode(secret string, window int64) string {
	m := hmac.New(sha256.New, []byte(secret))
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(window))
	m.Write(b[:])
	sum := m.Sum(nil)
	return fmt.Sprintf("%06d", binary.BigEndian.Uint32(sum[:4])%1000000)
}

// ActivityCode is the code residents type now, and when it changes.
func (s *Service) ActivityCode(ctx context.Context, actor civic.Actor, communityID, activityID string) (code string, until time.Time, err error) {
	defer civic.Wrap(&err, "earning.ActivityCode(%s)", activityID)
	if err := requireWorker(actor, communityID); err != nil {
		return "", until, err
	}
	var secret string
	if err := s.DB.QueryRow(ctx, "SELECT code_secret FROM earning_activities WHERE community_id = $1 AND id = $2", communityID, activityID).Scan(&secret); err != nil {
		_, err = getActivity(ctx, s.DB, communityID, activityID)
		return "", until, err
	}
	w := s.now().UnixNano() / int64(CodePeriod)
	return activityCode(secret, w), time.Unix(0, (w+1)*int64(CodePeriod)).UTC(), nil
}

func (s *Service) checkCode(ctx context.Context, tx *db.Tx, communityID, activityID, code string) error {
	var secret string
	if err := tx.QueryRow(ctx, "SELECT code_secret FROM earning_activities WHERE community_id = $1 AND id = $2", communityID, activityID).Scan(&secret); err != nil {
		return err
	}
	w := s.now().UnixNano() / int64(CodePeriod)
	for back := int64(0); back < 30; back++ {
		if hmac.Equal([]byte(activityCode(secret, w-back)), []byte(code)) {
			if back > 1 {
				return civic.Errorf(civic.Invalid, "earning.code_expired", "that code has expired; type the code shown now")
			}
			return nil
		}
	}
	return civic.Errorf(civic.Invalid, "earning.code_wrong", "that is not this activity's code")
}

// AttendRequest is one resident's arrival at or departure from an activity:
// a worker ticks Resident on the roster (Tick) or scans the resident's code
// (Scan, Code holds it); a resident types the activity's code for themself
// (Code, Resident is them and Code holds what they typed).
type AttendRequest struct {
	Community string `json:"community"`
	Activity  string `json:"activity"`
	Method    Method `json:"method"`
	Resident  string `json:"resident,omitempty"`
	Code      string `json:"code,omitempty"`
}

// may checks the actor may take attendance this way: workers of the
// community tick and scan, residents type the activity code for themself.
func (r AttendRequest) may(by civic.Actor) error {
	if by.May(r.Community, civic.Roles...) != nil && by.CommunityID != r.Community {
		return civic.Errorf(civic.Forbidden, "earning.other_community", "this belongs to another community")
	}
	switch r.Method {
	case Scan, Tick:
		return requireWorker(by, r.Community)
	case Code:
		if by.Role != civic.RoleResident {
			return civic.Errorf(civic.Forbidden, "earning.code_residents", "the activity code is for residents to type")
		}
		return requireSelf(by, r.Community, r.Resident)
	}
	return civic.Errorf(civic.Invalid, "earning.bad_method", "unknown attendance method %q", string(r.Method))
}

// shard is the resident whose points a check-out moves.
func (r AttendRequest) shard() idem.Shard { return idem.Resident(r.Community, r.Resident) }

// scanned reads a scanned code before the command's transaction: the code
// check reads (and on first use creates) the community's key, which must not
// wait for the writer the transaction holds. The resident it names joins the
// request, so the same code sent again is the same request.
func (s *Service) scanned(ctx context.Context, r AttendRequest) (AttendRequest, error) {
	if r.Method != Scan {
		return r, nil
	}
	if s.Codes == nil {
		return r, civic.Errorf(civic.Unavailable, "earning.no_scanning", "scanning resident codes is not available; tick the list instead")
	}
	rid, err := s.Codes.ResidentFromCode(ctx, r.Community, r.Code)
	r.Resident = rid
	return r, err
}

// who resolves the resident the request is for, checking the code it carries.
func (s *Service) who(ctx context.Context, tx *db.Tx, r AttendRequest) (string, error) {
	switch r.Method {
	case Code:
		return r.Resident, s.checkCode(ctx, tx, r.Community, r.Activity, r.Code)
	}
	return r.Resident, nil
}

// CheckIn records that a resident arrived. Workers may check in residents who
// did not sign up (walk-ins); residents typing the code must have a place.
func (s *Service) CheckIn(ctx context.Context, by civic.Actor, key idem.Key, r AttendRequest) (u SignUp, err error) {
	defer civic.Wrap(&err, "earning.CheckIn(%s, %s)", r.Activity, r.Method)
	if err := r.may(by); err != nil {
		return u, err
	}
	r, err = s.scanned(ctx, r)
	if err != nil {
		return u, err
	}
	return idem.Run(ctx, s.Idem, idem.Op{Community: r.Community, Key: key, Command: "earning.check_in",
		Shard: r.shard(), Request: r},
		func(tx *db.Tx) (SignUp, error) { return s.checkInTx(ctx, tx, r) })
}

func (s *Service) checkInTx(ctx context.Context, tx *db.Tx, r AttendRequest) (u SignUp, err error) {
	communityID, activityID, m := r.Community, r.Activity, r.Method
	now := s.now()
	err = func() error {
		a, err := getActivity(ctx, tx, communityID, activityID)
		if err != nil {
			return err
		}
		switch {
		case now.Before(a.Start.Add(-CheckInEarly)):
			return civic.Errorf(civic.Invalid, "earning.not_open", "check-in opens %d minutes before the start", int(CheckInEarly/time.Minute))
		case !now.Before(a.End) || a.Status != "published":
			return civic.Errorf(civic.Invalid, "earning.activity_over", "the activity is over")
		}
		rid, err := s.who(ctx, tx, r)
		if err != nil {
			return err
		}
		if err := s.Residents.ResidentActive(ctx, communityID, rid); err != nil {
			return err
		}
		cur, err := getSignUp(ctx, tx, communityID, activityID, rid)
		switch {
		case err != nil && civic.ErrorCode(err) != civic.NotFound:
			return err
		case err == nil && cur.Attendance != "":
			return civic.Errorf(civic.Conflict, "earning.already_in", "already checked in")
		case m == Code && (err != nil || cur.Status != "registered"):
			return civic.Errorf(civic.Invalid, "earning.not_registered", "you have no place at this activity; ask a community worker")
		}
		if err != nil || cur.Status != "registered" { // a walk-in takes a place
			if _, err := tx.Exec(ctx, "UPDATE earning_activities SET taken = taken + 1 WHERE community_id = $1 AND id = $2", communityID, activityID); err != nil {
				return err
			}
		}
		// Guarded: a check-in of the same resident sent at once (another
		// key, another worker) waits here for the first and is refused, its
		// place above rolling back with it.
		res, err := tx.Exec(ctx, `INSERT INTO earning_signups (community_id, activity_id, resident_id, status, attendance, method,
			checked_in_at, signed_at, updated_at) VALUES ($1, $2, $3, 'registered', 'in', $4, $5, $5, $5)
			ON CONFLICT (community_id, activity_id, resident_id) DO UPDATE SET status = 'registered', attendance = 'in',
			method = $4, checked_in_at = $5, updated_at = $5 WHERE earning_signups.attendance = ''`, communityID, activityID, rid, string(m), db.Millis(now))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err != nil {
				return err
			}
			return civic.Errorf(civic.Conflict, "earning.already_in", "already checked in")
		}
		u, err = getSignUp(ctx, tx, communityID, activityID, rid)
		return err
	}()
	return u, err
}

// CheckOut records that a resident left and awards the points: minutes from
// check-in to check-out, capped by the activity's length. It moves points,
// so it runs through the group committer on the resident's writer.
func (s *Service) CheckOut(ctx context.Context, by civic.Actor, key idem.Key, r AttendRequest) (u SignUp, err error) {
	defer civic.Wrap(&err, "earning.CheckOut(%s, %s)", r.Activity, r.Method)
	if err := r.may(by); err != nil {
		return u, err
	}
	r, err = s.scanned(ctx, r)
	if err != nil {
		return u, err
	}
	return idem.Run(ctx, s.Idem, idem.Op{Community: r.Community, Key: key, Command: "earning.check_out",
		Shard: r.shard(), Request: r, Batch: true},
		func(tx *db.Tx) (SignUp, error) { return s.checkOutTx(ctx, tx, by, r) })
}

func (s *Service) checkOutTx(ctx context.Context, tx *db.Tx, actor civic.Actor, r AttendRequest) (u SignUp, err error) {
	communityID, activityID := r.Community, r.Activity
	now := s.now()
	err = func() error {
		a, err := getActivity(ctx, tx, communityID, activityID)
		if err != nil {
			return err
		}
		rid, err := s.who(ctx, tx, r)
		if err != nil {
			return err
		}
		cur, err := getSignUp(ctx, tx, communityID, activityID, rid)
		if err != nil {
			return err
		}
		if cur.Attendance != "in" {
			return civic.Errorf(civic.Invalid, "earning.not_in", "not checked in, or already checked out")
		}
		minutes := min(int64(now.Sub(cur.In)/time.Minute), a.Minutes())
		// Guarded, so a second check-out sent at once awards nothing twice.
		res, err := tx.Exec(ctx, `UPDATE earning_signups SET attendance = 'out', checked_out_at = $4, minutes = $5, updated_at = $4
			WHERE community_id = $1 AND activity_id = $2 AND resident_id = $3 AND attendance = 'in'`, communityID, activityID, rid, db.Millis(now), minutes)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err != nil {
				return err
			}
			return civic.Errorf(civic.Invalid, "earning.not_in", "not checked in, or already checked out")
		}
		ind, err := getIndicator(ctx, tx, communityID, a.Indicator)
		if err != nil {
			return err
		}
		if ind.Approval {
			if err := queueCheckout(ctx, tx, communityID, a, rid, minutes, now); err != nil {
				return err
			}
		} else if err := s.awardAttendance(ctx, tx, actor, communityID, a, rid, minutes, now); err != nil {
			return err
		}
		u, err = getSignUp(ctx, tx, communityID, activityID, rid)
		return err
	}()
	return u, err
}

// awardAttendance awards an attendee and records the outcome on the sign-up.
// A cap or an expired indicator leaves the attendance standing with no award.
func (s *Service) awardAttendance(ctx context.Context, tx *db.Tx, actor civic.Actor, communityID string, a Activity, rid string, minutes int64, at time.Time) error {
	// The text for exports and old readers; the message for the history,
	// shown in the reader's language.
	reason, msg := fmt.Sprintf("%s · %d 分钟", a.Title, minutes), civic.Msg("earning.reason.attendance", a.Title, minutes)
	src := ledger.Source{Kind: "activity", ID: a.ID}
	var pts int64
	var tid string
	var err error
	if minutes > 0 {
		err = tx.Savepoint(ctx, func() error {
			if a.Points == 0 {
				pts, tid, err = s.awardMinutes(ctx, tx, actor, communityID, rid, a.Indicator, minutes, reason, msg, src, at)
				return err
			}
			r, err := s.awardTx(ctx, tx, actor, communityID, grant{ResidentID: rid, Indicator: a.Indicator, Points: a.Points,
				Reason: a.Title, Source: src, At: at})
			pts, tid = a.Points, r.TransferID
			return err
		})
		if civic.AsError(err) != nil { // refused by a rule: attendance stands, no award
			pts, tid, err = 0, "", nil
		}
	}
	if err != nil {
		return err
	}
	state := "awarded"
	if tid == "" {
		state = "none"
	}
	_, err = tx.Exec(ctx, `UPDATE earning_signups SET award = $4, points = $5, transfer_id = $6 WHERE community_id = $1 AND activity_id = $2 AND resident_id = $3`,
		communityID, a.ID, rid, state, pts, tid)
	return err
}

// awardMinutes turns minutes of service under an hourly indicator into
// points. Minutes left over from earlier service are added first and what
// does not make a whole point is carried again, so 90 + 30 minutes give 2
// points. Points above the caps stay carried as minutes, to be awarded in a
// later period, so no minute is ever lost.
func (s *Service) awardMinutes(ctx context.Context, tx *db.Tx, actor civic.Actor, communityID, rid, code string, minutes int64,
	reason string, msg civic.Message, src ledger.Source, at time.Time) (pts int64, transferID string, err error) {
	in, err := getIndicator(ctx, tx, communityID, code)
	if err != nil {
		return 0, "", err
	}
	if in.Kind != Hourly {
		return 0, "", civic.Errorf(civic.Invalid, "earning.not_hourly", "indicator %q does not count hours", code)
	}
	if err := lockTally(ctx, tx, communityID, rid, code); err != nil {
		return 0, "", err
	}
	var carry int64
	if err := tx.QueryRow(ctx, "SELECT carry_minutes FROM earning_tallies WHERE community_id = $1 AND resident_id = $2 AND indicator = $3",
		communityID, rid, code).Scan(&carry); err != nil {
		return 0, "", err
	}
	total := carry + minutes
	pts = total / in.MinutesPerPoint()
	room, _, err := capRoom(ctx, tx, communityID, rid, in, at)
	if err != nil {
		return 0, "", err
	}
	if room >= 0 && pts > room {
		pts = room
	}
	if pts > 0 {
		r, err := s.awardTx(ctx, tx, actor, communityID, grant{ResidentID: rid, Indicator: code, Points: pts, Reason: reason, ReasonMsg: msg, Source: src, At: at})
		if err != nil {
			return 0, "", err
		}
		transferID = r.TransferID
	}
	_, err = tx.Exec(ctx, "UPDATE earning_tallies SET carry_minutes = $4 WHERE community_id = $1 AND resident_id = $2 AND indicator = $3",
		communityID, rid, code, total-pts*in.MinutesPerPoint())
	return pts, transferID, err
}

// Carry is the minutes a resident has carried toward the next point.
func (s *Service) Carry(ctx context.Context, communityID, residentID, indicator string) (minutes int64, err error) {
	defer civic.Wrap(&err, "earning.Carry(%s)", residentID)
	err = s.DB.QueryRow(ctx, "SELECT COALESCE(SUM(carry_minutes), 0) FROM earning_tallies WHERE community_id = $1 AND resident_id = $2 AND ($3 = '' OR indicator = $3)",
		communityID, residentID, indicator).Scan(&minutes)
	return minutes, err
}
