package earning

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
)

// Activity is something residents sign up for and attend.
type Activity struct {
	ID          string
	Title       string
	Description string
	Indicator   string
	Place       string
	Start, End  time.Time
	Deadline    time.Time // sign-ups and cancellations close then
	Capacity    int
	InviteOnly  bool  // not listed to residents; workers add people
	Points      int64 // per attendee under a fixed or range indicator; 0 when hourly
	Taken       int   // places taken (registered)
	Status      string
	CreatedBy   string
}

// Minutes is the activity's length, the most any attendee is credited.
func (a Activity) Minutes() int64 { return int64(a.End.Sub(a.Start) / time.Minute) }

// Full reports whether every place is taken.
func (a Activity) Full() bool { return a.Taken >= a.Capacity }

const activityCols = `id, title, description, indicator, place, starts_at, ends_at, deadline, capacity, invite_only, points, taken, status, created_by`

func scanActivity(row interface{ Scan(...any) error }) (a Activity, err error) {
	var start, end, deadline, invite int64
	err = row.Scan(&a.ID, &a.Title, &a.Description, &a.Indicator, &a.Place, &start, &end, &deadline, &a.Capacity,
		&invite, &a.Points, &a.Taken, &a.Status, &a.CreatedBy)
	a.Start, a.End, a.Deadline, a.InviteOnly = db.FromMillis(start), db.FromMillis(end), db.FromMillis(deadline), invite != 0
	return a, err
}

// PublishRequest is an activity a worker publishes. Of Activity, the id,
// status, creator and places taken are earning's to set.
type PublishRequest struct {
	Community string   `json:"community"`
	Activity  Activity `json:"activity"`
}

// Publish creates an activity. Only a worker of the community may.
func (s *Service) Publish(ctx context.Context, by civic.Actor, key idem.Key, r PublishRequest) (a Activity, err error) {
	defer civic.Wrap(&err, "earning.Publish(%s)", r.Activity.Title)
	if err := requireWorker(by, r.Community); err != nil {
		return a, err
	}
	return idem.Run(ctx, s.Idem, idem.Op{Community: r.Community, Key: key, Command: "earning.publish",
		Shard: idem.Community(r.Community), Request: r},
		func(tx *db.Tx) (Activity, error) { return s.publishTx(ctx, tx, by, r.Community, r.Activity) })
}

func (s *Service) publishTx(ctx context.Context, tx *db.Tx, actor civic.Actor, communityID string, in Activity) (a Activity, err error) {
	if in.Title, err = text(in.Title, 80, "earning.title_required", "a title is required"); err != nil {
		return a, err
	}
	if in.Place, err = text(in.Place, 80, "earning.place_required", "a place is required"); err != nil {
		return a, err
	}
	if len([]rune(in.Description)) > 2000 {
		return a, civic.Errorf(civic.Invalid, "earning.too_long", "a text is longer than %d characters", 2000)
	}
	now := s.now()
	switch {
	case !in.End.After(in.Start):
		return a, civic.Errorf(civic.Invalid, "earning.end_before_start", "the activity must end after it starts")
	case in.End.Sub(in.Start) > 24*time.Hour:
		return a, civic.Errorf(civic.Invalid, "earning.too_long_activity", "an activity may last at most 24 hours")
	case !in.Start.After(now):
		return a, civic.Errorf(civic.Invalid, "earning.start_past", "the activity must start in the future")
	case in.Deadline.IsZero():
		in.Deadline = in.Start
	case in.Deadline.After(in.Start) || !in.Deadline.After(now):
		return a, civic.Errorf(civic.Invalid, "earning.bad_deadline", "the sign-up deadline must be between now and the start")
	}
	if in.Capacity < 1 || in.Capacity > 10000 {
		return a, civic.Errorf(civic.Invalid, "earning.bad_capacity", "capacity must be between 1 and 10000, not %d", in.Capacity)
	}
	ind, err := getIndicator(ctx, tx, communityID, in.Indicator)
	if err != nil {
		return a, err
	}
	switch ind.Kind {
	case Hourly:
		in.Points = 0
	case Fixed:
		in.Points = ind.Points
	case Range:
		if in.Points < ind.Min || in.Points > ind.Max {
			return a, civic.Errorf(civic.Invalid, "earning.points_range", "%d points is outside this indicator's range of %d to %d", in.Points, ind.Min, ind.Max)
		}
	}
	if !ind.ActiveOn(in.Start) {
		return a, civic.Errorf(civic.Invalid, "earning.indicator_inactive", "indicator %q is not in force on %s", ind.Code, Day(in.Start))
	}
	in.ID, in.Status, in.CreatedBy, in.Taken = civic.NewID(), "published", actor.Name, 0
	var secret [16]byte
	_, _ = rand.Read(secret[:])
	_, err = tx.Exec(ctx, "INSERT INTO earning_activities (community_id, "+activityCols+`, code_secret, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
		communityID, in.ID, in.Title, in.Description, in.Indicator, in.Place, db.Millis(in.Start), db.Millis(in.End),
		db.Millis(in.Deadline), in.Capacity, boolInt(in.InviteOnly), in.Points, 0, in.Status, in.CreatedBy,
		hex.EncodeToString(secret[:]), db.Millis(now))
	return in, err
}

// Activity reads one activity of the community.
func (s *Service) Activity(ctx context.Context, communityID, id string) (_ Activity, err error) {
	defer civic.Wrap(&err, "earning.Activity(%s)", id)
	return getActivity(ctx, s.DB, communityID, id)
}

func getActivity(ctx context.Context, q db.Querier, communityID, id string) (a Activity, err error) {
	a, err = scanActivity(q.QueryRow(ctx, "SELECT "+activityCols+" FROM earning_activities WHERE community_id = $1 AND id = $2", communityID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, civic.Errorf(civic.NotFound, "earning.no_activity", "no activity %s in this community", id)
	}
	return a, err
}

// Activities lists activities ending after since, soonest first, by keyset
// cursor (the last id of the previous page). Residents pass public=true and
// see no invite-only activities.
func (s *Service) Activities(ctx context.Context, communityID string, since time.Time, public bool, cursor string, limit int) (out []Activity, next string, err error) {
	defer civic.Wrap(&err, "earning.Activities(%s)", communityID)
	limit = clampLimit(limit)
	after, afterID := int64(-1), ""
	if cursor != "" {
		c, err := getActivity(ctx, s.DB, communityID, cursor)
		if err != nil {
			return nil, "", err
		}
		after, afterID = db.Millis(c.Start), c.ID
	}
	rows, err := s.DB.Query(ctx, "SELECT "+activityCols+` FROM earning_activities WHERE community_id = $1 AND ends_at > $2
		AND (starts_at > $3 OR (starts_at = $3 AND id > $4)) AND ($5 = 0 OR invite_only = 0)
		ORDER BY starts_at, id LIMIT $6`, communityID, db.Millis(since), after, afterID, boolInt(public), limit+1)
	if out, err = db.Collect(rows, err, scanActivity); err != nil {
		return nil, "", err
	}
	if len(out) > limit {
		out = out[:limit]
		next = out[limit-1].ID
	}
	return out, next, nil
}
