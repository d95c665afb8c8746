package earning

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/width"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
	"civicpoints/internal/ledger"
)

// Claim waits in the approval queue: self-reported hours (kind "hours") or a
// forgotten check-out closed at the activity's end (kind "checkout").
type Claim struct {
	ID         string
	Kind       string
	ResidentID string
	Indicator  string
	ActivityID string
	Minutes    int64
	ServiceDay string
	Evidence   string
	Status     string // pending, approved, rejected
	Reason     string
	Points     int64
	TransferID string
	CreatedAt  time.Time
}

const claimCols = `id, kind, resident_id, indicator, activity_id, minutes, service_day, evidence, status, reason, points, transfer_id, created_at`

func scanClaim(row interface{ Scan(...any) error }) (c Claim, err error) {
	var created int64
	err = row.Scan(&c.ID, &c.Kind, &c.ResidentID, &c.Indicator, &c.ActivityID, &c.Minutes, &c.ServiceDay, &c.Evidence,
		&c.Status, &c.Reason, &c.Points, &c.TransferID, &created)
	c.CreatedAt = db.FromMillis(created)
	return c, err
}

// HoursRequest is service a resident did outside an activity, on Day
// (YYYY-MM-DD, Shanghai), for a worker to approve.
type HoursRequest struct {
	Community string `json:"community"`
	Resident  string `json:"resident"`
	Indicator string `json:"indicator"`
	Minutes   int64  `json:"minutes"`
	Day       string `json:"day"`
	Evidence  string `json:"evidence"`
}

// ReportHours queues service done outside an activity for a worker to
// approve: the indicator must count hours, the day be within the last 90
// days, and evidence (who, where, what) given. The resident reports for
// themself, or a worker of the community for them.
func (s *Service) ReportHours(ctx context.Context, by civic.Actor, key idem.Key, r HoursRequest) (c Claim, err error) {
	defer civic.Wrap(&err, "earning.ReportHours(%s)", r.Resident)
	if err := requireSelf(by, r.Community, r.Resident); err != nil {
		return c, err
	}
	return idem.Run(ctx, s.Idem, idem.Op{Community: r.Community, Key: key, Command: "earning.report_hours",
		Shard: idem.Resident(r.Community, r.Resident), Request: r},
		func(tx *db.Tx) (Claim, error) {
			return s.reportHoursTx(ctx, tx, r.Community, r.Resident, r.Indicator, r.Minutes, r.Day, r.Evidence)
		})
}

func (s *Service) reportHoursTx(ctx context.Context, tx *db.Tx, communityID, residentID, indicator string, minutes int64, day, evidence string) (c Claim, err error) {
	if minutes < 1 || minutes > 12*60 {
		return c, civic.Errorf(civic.Invalid, "earning.bad_minutes", "report between 1 minute and 12 hours for one day, not %d minutes", minutes)
	}
	if evidence, err = text(evidence, 1000, "earning.evidence_required", "describe the service so a worker can check it"); err != nil {
		return c, err
	}
	d, perr := time.ParseInLocation("2006-01-02", day, civic.Shanghai)
	today := Day(s.now())
	if perr != nil || day > today || d.Before(s.now().AddDate(0, 0, -91)) {
		return c, civic.Errorf(civic.Invalid, "earning.bad_service_day", "the day of service must be within the last 90 days, not %q", day)
	}
	in, err := getIndicator(ctx, tx, communityID, indicator)
	if err != nil {
		return c, err
	}
	if in.Kind != Hourly {
		return c, civic.Errorf(civic.Invalid, "earning.not_hourly", "indicator %q does not count hours", indicator)
	}
	if err := s.Residents.ResidentActive(ctx, communityID, residentID); err != nil {
		return c, err
	}
	// Reports of one resident under one indicator queue on the tally row, so
	// two copies sent at once (with different keys) cannot both miss each other.
	if err := lockTally(ctx, tx, communityID, residentID, indicator); err != nil {
		return c, err
	}
	if err := refuseSameReport(ctx, tx, communityID, residentID, indicator, day, minutes, evidence); err != nil {
		return c, err
	}
	c = Claim{ID: civic.NewID(), Kind: "hours", ResidentID: residentID, Indicator: indicator, Minutes: minutes, ServiceDay: day,
		Evidence: evidence, Status: "pending", CreatedAt: s.now()}
	return c, insertClaim(ctx, tx, communityID, c)
}

// HoursMinutes is the length of a report given as hours and minutes, as the
// hours form asks for it: hours 0–12, minutes 0–59, together more than
// nothing. "75 minutes" or "2 hours minus 30" is a typing slip, not 75 or 90
// minutes, so it is refused rather than read.
func HoursMinutes(hours, minutes int64) (_ int64, err error) {
	defer civic.Wrap(&err, "earning.HoursMinutes(%d, %d)", hours, minutes)
	if hours < 0 || hours > 12 {
		return 0, civic.Errorf(civic.Invalid, "earning.bad_hours", "hours must be a whole number from 0 to 12, not %d", hours)
	}
	if minutes < 0 || minutes > 59 {
		return 0, civic.Errorf(civic.Invalid, "earning.bad_minute_part", "minutes must be a whole number from 0 to 59, not %d", minutes)
	}
	total := hours*60 + minutes
	if total < 1 || total > 12*60 {
		return 0, civic.Errorf(civic.Invalid, "earning.bad_minutes", "report between 1 minute and 12 hours for one day, not %d minutes", total)
	}
	return total, nil
}

// refuseSameReport refuses a report that repeats one of the resident's own
// still pending or approved: the same indicator, day and length, and the same
// description once spacing, punctuation, letter case and full-width forms are
// set aside. Such a copy is nearly always the form sent again (a reload, a
// second tab), and a worker approving a queue would pay it twice; a second
// real service that day is told apart by its description (morning,
// afternoon). A rejected report may be sent again: that is the resident
// answering the refusal, which the worker sees beside the first.
func refuseSameReport(ctx context.Context, tx *db.Tx, communityID, residentID, indicator, day string, minutes int64, evidence string) error {
	rows, err := tx.Query(ctx, "SELECT "+claimCols+` FROM earning_claims WHERE community_id = $1 AND resident_id = $2
		AND kind = 'hours' AND indicator = $3 AND service_day = $4 AND minutes = $5 AND status IN ('pending', 'approved')`,
		communityID, residentID, indicator, day, minutes)
	earlier, err := db.Collect(rows, err, scanClaim)
	if err != nil {
		return err
	}
	want := reportText(evidence)
	for _, c := range earlier {
		if reportText(c.Evidence) != want {
			continue
		}
		if c.Status == "approved" {
			return civic.Errorf(civic.Conflict, "earning.claim_same_approved", "this service (%s, %d minutes, the same description) was already reported and approved: it is not sent again; if you served twice that day, say so in the description", day, minutes)
		}
		return civic.Errorf(civic.Conflict, "earning.claim_same_pending", "this service (%s, %d minutes, the same description) is already waiting for a worker: it is not sent again; if you served twice that day, say so in the description", day, minutes)
	}
	return nil
}

// reportText is a description reduced to its letters and digits, lower case
// and narrow, for telling a repeated report from a new one.
func reportText(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(width.Fold.String(s)) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func insertClaim(ctx context.Context, tx *db.Tx, communityID string, c Claim) error {
	_, err := tx.Exec(ctx, `INSERT INTO earning_claims (community_id, id, kind, resident_id, indicator, activity_id, minutes,
		service_day, evidence, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', $10)`,
		communityID, c.ID, c.Kind, c.ResidentID, c.Indicator, c.ActivityID, c.Minutes, c.ServiceDay, c.Evidence, db.Millis(c.CreatedAt))
	return err
}

// queueCheckout asks a worker to confirm an attendee's minutes.
func queueCheckout(ctx context.Context, tx *db.Tx, communityID string, a Activity, rid string, minutes int64, at time.Time) error {
	if minutes <= 0 {
		minutes = 1
	}
	if _, err := tx.Exec(ctx, "UPDATE earning_signups SET award = 'pending' WHERE community_id = $1 AND activity_id = $2 AND resident_id = $3",
		communityID, a.ID, rid); err != nil {
		return err
	}
	return insertClaim(ctx, tx, communityID, Claim{ID: civic.NewID(), Kind: "checkout", ResidentID: rid, Indicator: a.Indicator,
		ActivityID: a.ID, Minutes: minutes, ServiceDay: Day(a.Start), Evidence: a.Title, CreatedAt: at})
}

// CloseRequest ends an activity.
type CloseRequest struct {
	Community string `json:"community"`
	Activity  string `json:"activity"`
}

// CloseActivity ends an activity: attendees still checked in are checked out
// at its end and queued for a worker to confirm; registered residents who
// never came are marked no-shows. Closing twice changes nothing. Only a
// worker of the community may; it moves no points (the queue does, later).
func (s *Service) CloseActivity(ctx context.Context, by civic.Actor, key idem.Key, r CloseRequest) (a Activity, err error) {
	defer civic.Wrap(&err, "earning.CloseActivity(%s)", r.Activity)
	if err := requireWorker(by, r.Community); err != nil {
		return a, err
	}
	return idem.Run(ctx, s.Idem, idem.Op{Community: r.Community, Key: key, Command: "earning.close_activity",
		Shard: idem.Community(r.Community), Request: r},
		func(tx *db.Tx) (Activity, error) {
			if err := s.close(ctx, tx, r.Community, r.Activity); err != nil {
				return Activity{}, err
			}
			return getActivity(ctx, tx, r.Community, r.Activity)
		})
}

type openAttendance struct {
	rid string
	in  int64
}

func scanOpenAttendance(row db.Scanner) (o openAttendance, err error) {
	err = row.Scan(&o.rid, &o.in)
	return o, err
}

func (s *Service) close(ctx context.Context, tx *db.Tx, communityID, activityID string) error {
	a, err := getActivity(ctx, tx, communityID, activityID)
	if err != nil || a.Status == "closed" {
		return err
	}
	now := s.now()
	if now.Before(a.End) {
		return civic.Errorf(civic.Invalid, "earning.not_over", "the activity has not ended yet")
	}
	// Closed first, guarded: a second closer at the same moment (the job,
	// a page, another worker) waits here for the first and then finds
	// nothing left to do, so no forgotten check-out is queued twice.
	res, err := tx.Exec(ctx, "UPDATE earning_activities SET status = 'closed' WHERE community_id = $1 AND id = $2 AND status <> 'closed'", communityID, activityID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return err
	}
	rows, err := tx.Query(ctx, "SELECT resident_id, checked_in_at FROM earning_signups WHERE community_id = $1 AND activity_id = $2 AND attendance = 'in'",
		communityID, activityID)
	still, err := db.Collect(rows, err, scanOpenAttendance)
	if err != nil {
		return err
	}
	for _, o := range still {
		minutes := min(int64(a.End.Sub(db.FromMillis(o.in))/time.Minute), a.Minutes())
		if _, err := tx.Exec(ctx, `UPDATE earning_signups SET attendance = 'out', checked_out_at = $4, minutes = $5, auto_closed = 1,
			updated_at = $6 WHERE community_id = $1 AND activity_id = $2 AND resident_id = $3`,
			communityID, activityID, o.rid, db.Millis(a.End), minutes, db.Millis(now)); err != nil {
			return err
		}
		if err := queueCheckout(ctx, tx, communityID, a, o.rid, minutes, now); err != nil {
			return err
		}
	}
	_, err = tx.Exec(ctx, `UPDATE earning_signups SET attendance = 'no_show', updated_at = $3
		WHERE community_id = $1 AND activity_id = $2 AND status = 'registered' AND attendance = ''`, communityID, activityID, db.Millis(now))
	return err
}

// CloseDue closes every activity of the community that has ended. The
// activities and approval pages call it, so forgotten check-outs reach the
// queue without a scheduler.
func (s *Service) CloseDue(ctx context.Context, communityID string) (n int, err error) {
	defer civic.Wrap(&err, "earning.CloseDue(%s)", communityID)
	rows, err := s.DB.Query(ctx, "SELECT id FROM earning_activities WHERE community_id = $1 AND status = 'published' AND ends_at <= $2",
		communityID, db.Millis(s.now()))
	ids, err := db.Collect(rows, err, db.ScanString)
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		if err := s.DB.WithTx(ctx, func(tx *db.Tx) error { return s.close(ctx, tx, communityID, id) }); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// Queue lists pending claims, oldest first.
func (s *Service) Queue(ctx context.Context, communityID string, limit int) (out []Claim, err error) {
	defer civic.Wrap(&err, "earning.Queue(%s)", communityID)
	return s.claims(ctx, "WHERE community_id = $1 AND status = 'pending' ORDER BY created_at, id LIMIT $2", communityID, clampLimit(limit))
}

// ClaimsOf lists a resident's claims, newest first.
func (s *Service) ClaimsOf(ctx context.Context, communityID, residentID string) (_ []Claim, err error) {
	defer civic.Wrap(&err, "earning.ClaimsOf(%s)", residentID)
	return s.claims(ctx, "WHERE community_id = $1 AND resident_id = $2 ORDER BY created_at DESC LIMIT 50", communityID, residentID)
}

func (s *Service) claims(ctx context.Context, where string, args ...any) (out []Claim, err error) {
	defer civic.Wrap(&err, "earning.claims")
	rows, err := s.DB.Query(ctx, "SELECT "+claimCols+" FROM earning_claims "+where, args...)
	return db.Collect(rows, err, scanClaim)
}

// DecideRequest approves a pending claim (Minutes may correct the claimed
// minutes; 0 keeps them) or rejects it with a Reason the resident sees.
type DecideRequest struct {
	Community string `json:"community"`
	Claim     string `json:"claim"`
	Approve   bool   `json:"approve"`
	Minutes   int64  `json:"minutes"`
	Reason    string `json:"reason"`
}

// Decide approves a claim and awards it, or rejects it. Only a worker of the
// community may. Approving moves the claimant's points, so every decision
// runs through the group committer on the claimant's writer: decisions on
// one resident's claims never run side by side.
func (s *Service) Decide(ctx context.Context, by civic.Actor, key idem.Key, r DecideRequest) (c Claim, err error) {
	defer civic.Wrap(&err, "earning.Decide(%s)", r.Claim)
	if err := requireWorker(by, r.Community); err != nil {
		return c, err
	}
	if !r.Approve {
		if _, err := text(r.Reason, 200, "earning.reason_required", "a reason is required; the resident sees it"); err != nil {
			return c, err
		}
	}
	if r.Minutes < 0 || r.Minutes > 12*60 {
		return c, civic.Errorf(civic.Invalid, "earning.bad_minutes", "report between 1 minute and 12 hours for one day, not %d minutes", r.Minutes)
	}
	// The claimant never changes, so reading them before the key is
	// looked up is safe, and names the writer.
	var rid string
	err = s.DB.QueryRow(ctx, "SELECT resident_id FROM earning_claims WHERE community_id = $1 AND id = $2", r.Community, r.Claim).Scan(&rid)
	if errors.Is(err, sql.ErrNoRows) {
		return c, civic.Errorf(civic.NotFound, "earning.no_claim", "no claim %s in this community", r.Claim)
	}
	if err != nil {
		return c, err
	}
	return idem.Run(ctx, s.Idem, idem.Op{Community: r.Community, Key: key, Command: "earning.decide",
		Shard: idem.Resident(r.Community, rid), Request: r, Batch: true},
		func(tx *db.Tx) (Claim, error) { return s.decideTx(ctx, tx, by, r) })
}

func (s *Service) decideTx(ctx context.Context, tx *db.Tx, actor civic.Actor, r DecideRequest) (c Claim, err error) {
	communityID, claimID, approve, minutes := r.Community, r.Claim, r.Approve, r.Minutes
	reason := strings.TrimSpace(r.Reason)
	now := s.now()
	err = func() error {
		c, err = scanClaim(tx.QueryRow(ctx, "SELECT "+claimCols+" FROM earning_claims WHERE community_id = $1 AND id = $2", communityID, claimID))
		if errors.Is(err, sql.ErrNoRows) {
			return civic.Errorf(civic.NotFound, "earning.no_claim", "no claim %s in this community", claimID)
		}
		if err != nil {
			return err
		}
		if c.Status != "pending" {
			return civic.Errorf(civic.Conflict, "earning.claim_decided", "this claim has already been decided")
		}
		if minutes > 0 {
			c.Minutes = minutes
		}
		c.Status, c.Reason = "rejected", reason
		if approve {
			c.Status = "approved"
			src := ledger.Source{Kind: "claim", ID: c.ID}
			why := c.Evidence
			if c.Kind == "checkout" {
				src = ledger.Source{Kind: "activity", ID: c.ActivityID}
			}
			if c.Reason == "" {
				c.Reason = why
			}
			if c.Points, c.TransferID, err = s.awardClaim(ctx, tx, actor, communityID, c, src, now); err != nil {
				return err
			}
		}
		// Guarded, so a decision that lost a race on another writer rolls
		// its award back rather than deciding the claim twice.
		res, err := tx.Exec(ctx, `UPDATE earning_claims SET status = $3, reason = $4, points = $5, transfer_id = $6, minutes = $7,
			decided_by = $8, decided_at = $9 WHERE community_id = $1 AND id = $2 AND status = 'pending'`,
			communityID, c.ID, c.Status, c.Reason, c.Points, c.TransferID, c.Minutes, actor.Name, db.Millis(now))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err != nil {
				return err
			}
			return civic.Errorf(civic.Conflict, "earning.claim_decided", "this claim has already been decided")
		}
		if c.Kind != "checkout" {
			return nil
		}
		state := "none"
		if c.TransferID != "" {
			state = "awarded"
		}
		_, err = tx.Exec(ctx, `UPDATE earning_signups SET award = $4, points = $5, transfer_id = $6, minutes = $7
			WHERE community_id = $1 AND activity_id = $2 AND resident_id = $3`,
			communityID, c.ActivityID, c.ResidentID, state, c.Points, c.TransferID, c.Minutes)
		return err
	}()
	return c, err
}

// awardClaim awards an approved claim: minutes under an hourly indicator,
// or the activity's fixed points for a confirmed attendance.
func (s *Service) awardClaim(ctx context.Context, tx *db.Tx, actor civic.Actor, communityID string, c Claim, src ledger.Source, at time.Time) (int64, string, error) {
	if c.Kind == "checkout" {
		a, err := getActivity(ctx, tx, communityID, c.ActivityID)
		if err != nil {
			return 0, "", err
		}
		if a.Points > 0 {
			r, err := s.awardTx(ctx, tx, actor, communityID, grant{ResidentID: c.ResidentID, Indicator: a.Indicator,
				Points: a.Points, Reason: a.Title, Source: src, At: at})
			return a.Points, r.TransferID, err
		}
	}
	return s.awardMinutes(ctx, tx, actor, communityID, c.ResidentID, c.Indicator, c.Minutes, truncate(c.Reason, 200), civic.Message{}, src, at)
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}
