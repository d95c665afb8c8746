package earning

import (
	"context"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
	"civicpoints/internal/ledger"
)

// PrepareAward checks an award as AwardTx does and returns the Award to
// post, without posting or recording it (AwardTx does both).
func (s *Service) PrepareAward(ctx context.Context, tx *db.Tx, communityID, residentID, indicatorCode string, points int64, at time.Time) (a ledger.Award, err error) {
	defer civic.Wrap(&err, "earning.PrepareAward(%s, %s)", residentID, indicatorCode)
	a, _, err = s.prepare(ctx, tx, communityID, residentID, indicatorCode, points, at, nil)
	return a, err
}

// prepare checks that code names an indicator in force at at, that points
// fit its rule (the fixed amount, the range, or any positive number of hourly
// points) and stay within the resident's day, month and year caps
// (Asia/Shanghai periods), and that the resident is registered and has not
// left. It returns the Award to post, with the rule version in force.
func (s *Service) prepare(ctx context.Context, tx *db.Tx, communityID, residentID, code string, points int64, at time.Time, checked *Indicator) (ledger.Award, Indicator, error) {
	var in Indicator
	if checked != nil && checked.Code == code {
		in = *checked
	} else {
		var err error
		if in, err = s.check(ctx, tx, communityID, residentID, code, points, at); err != nil {
			return ledger.Award{}, in, err
		}
	}
	// Only a capped indicator needs concurrent awards to one resident to
	// queue on the tally row, so the cap sums see every committed award.
	if in.CapDay > 0 || in.CapMonth > 0 || in.CapYear > 0 {
		if err := lockTally(ctx, tx, communityID, residentID, code); err != nil {
			return ledger.Award{}, in, err
		}
		if err := checkCaps(ctx, tx, communityID, residentID, in, points, at); err != nil {
			return ledger.Award{}, in, err
		}
	}
	return ledger.Award{
		CommunityID: communityID, ResidentID: residentID, Points: points,
		Indicator: code, RuleVersion: in.Version, Source: ledger.Source{Kind: "indicator", ID: code},
	}, in, nil
}

// check reads the indicator and checks the points against its rule and that
// the resident may receive them.
func (s *Service) check(ctx context.Context, q db.Querier, communityID, residentID, code string, points int64, at time.Time) (Indicator, error) {
	in, err := getIndicator(ctx, q, communityID, code)
	if err != nil {
		return in, err
	}
	if err := checkPoints(in, points, at); err != nil {
		return in, err
	}
	return in, s.Residents.ResidentActive(ctx, communityID, residentID)
}

func checkPoints(in Indicator, points int64, at time.Time) error {
	if !in.ActiveOn(at) {
		return civic.Errorf(civic.Invalid, "earning.indicator_inactive", "indicator %q is not in force on %s", in.Code, Day(at))
	}
	if err := checkAmount(points); err != nil {
		return err
	}
	switch {
	case in.Kind == Fixed && points != in.Points:
		return civic.Errorf(civic.Invalid, "earning.points_fixed", "this indicator awards exactly %d points, not %d", in.Points, points)
	case in.Kind == Range && (points < in.Min || points > in.Max):
		return civic.Errorf(civic.Invalid, "earning.points_range", "%d points is outside this indicator's range of %d to %d", points, in.Min, in.Max)
	}
	return nil
}

// checkAmount refuses points below 1 or above what one award may give,
// before any rule is read (a bulk award checks once for every resident).
func checkAmount(points int64) error {
	switch {
	case points <= 0:
		return civic.Errorf(civic.Invalid, "earning.points_positive", "points must be a whole number above zero, not %d", points)
	case points > civic.MaxPoints:
		return civic.Errorf(civic.Invalid, "earning.points_over", "%d points is more than one award may give (%d)", points, int64(civic.MaxPoints))
	}
	return nil
}

// lockTally makes sure the resident's tally row for the indicator exists and
// bumps it, so concurrent awards to one resident wait for each other and the
// cap sums below see every committed award.
func lockTally(ctx context.Context, tx *db.Tx, communityID, residentID, code string) error {
	_, err := tx.Exec(ctx, `INSERT INTO earning_tallies (community_id, resident_id, indicator, carry_minutes, seq)
		VALUES ($1, $2, $3, 0, 1) ON CONFLICT (community_id, resident_id, indicator) DO UPDATE SET seq = earning_tallies.seq + 1`,
		communityID, residentID, code)
	return err
}

// capRoom is how many more points the resident may still earn under the
// indicator in the periods around at; -1 when there is no cap at all.
func capRoom(ctx context.Context, tx *db.Tx, communityID, residentID string, in Indicator, at time.Time) (room int64, which string, err error) {
	day, mFrom, mTo, yFrom, yTo := periods(at)
	room = -1
	caps := []struct {
		cap      int64
		from, to string
		name     string
	}{
		{in.CapDay, day, day + "~", "day"},
		{in.CapMonth, mFrom, mTo, "month"},
		{in.CapYear, yFrom, yTo, "year"},
	}
	for _, c := range caps {
		if c.cap == 0 {
			continue
		}
		var sum int64
		err := tx.QueryRow(ctx, `SELECT COALESCE(SUM(points), 0) FROM earning_awards WHERE community_id = $1 AND resident_id = $2
			AND indicator = $3 AND day >= $4 AND day < $5 AND reversed = 0`, communityID, residentID, in.Code, c.from, c.to).Scan(&sum)
		if err != nil {
			return 0, "", err
		}
		left := max(c.cap-sum, 0)
		if room < 0 || left < room {
			room, which = left, c.name
		}
	}
	return room, which, nil
}

func checkCaps(ctx context.Context, tx *db.Tx, communityID, residentID string, in Indicator, points int64, at time.Time) error {
	room, which, err := capRoom(ctx, tx, communityID, residentID, in, at)
	if err != nil || room < 0 || points <= room {
		return err
	}
	switch which {
	case "day":
		return civic.Errorf(civic.Invalid, "earning.cap_day", "%d points is above the cap: the resident can earn only %d more under this indicator today", points, room)
	case "month":
		return civic.Errorf(civic.Invalid, "earning.cap_month", "%d points is above the cap: the resident can earn only %d more under this indicator this month", points, room)
	}
	return civic.Errorf(civic.Invalid, "earning.cap_year", "%d points is above the cap: the resident can earn only %d more under this indicator this year", points, room)
}

// AwardRequest is one award a worker gives one resident, on the award page
// or through the API's POST /awards: the same request under the same key is
// one award, whichever way it came.
type AwardRequest struct {
	Community string `json:"community"`
	Resident  string `json:"resident"`
	Indicator string `json:"indicator"`
	Points    int64  `json:"points"`
	Reason    string `json:"reason"`
}

// Award gives one resident points under an indicator. Only a worker of the
// community may; the indicator's rule, the caps and the resident are
// checked, the lock-free checks on the reader before the writer is taken.
func (s *Service) Award(ctx context.Context, by civic.Actor, key idem.Key, r AwardRequest) (res ledger.Result, err error) {
	defer civic.Wrap(&err, "earning.Award(%s, %s)", r.Resident, r.Indicator)
	if err := requireWorker(by, r.Community); err != nil {
		return res, err
	}
	if _, err := text(r.Reason, 200, "earning.reason_required", "a reason is required; the resident sees it"); err != nil {
		return res, err
	}
	if err := checkAmount(r.Points); err != nil {
		return res, err
	}
	g := grant{ResidentID: r.Resident, Indicator: r.Indicator, Points: r.Points, Reason: r.Reason, IdemKey: string(key)}
	return idem.Run(ctx, s.Idem, idem.Op{Community: r.Community, Key: key, Command: "earning.award",
		Shard: idem.Resident(r.Community, r.Resident), Request: r, Batch: true,
		// The indicator in force, the rule and the resident are read in
		// parallel on the reader, leaving the single writer only the caps
		// and the writes; a resident who leaves meanwhile is still refused
		// there, by their closed points account.
		Check: func(ctx context.Context) error {
			g.At = s.now()
			in, err := s.check(ctx, s.DB, r.Community, r.Resident, r.Indicator, r.Points, g.At)
			g.Checked = &in
			return err
		}},
		func(tx *db.Tx) (ledger.Result, error) { return s.awardTx(ctx, tx, by, r.Community, g) })
}

// grant is one award as earning posts it: a worker's Award, or the points of
// an attendance, a claim or a suggestion, whose commands checked the actor.
type grant struct {
	ResidentID string
	Indicator  string
	Points     int64
	Reason     string
	ReasonMsg  civic.Message // what Reason is made of, when earning composed it; readers see it translated
	Source     ledger.Source // empty: the indicator
	At         time.Time     // zero: now
	IdemKey    string
	Checked    *Indicator // checked on the reader already; nil: checked inside the transaction
}

// awardTx checks and posts one award inside tx and records it for caps.
func (s *Service) awardTx(ctx context.Context, tx *db.Tx, actor civic.Actor, communityID string, r grant) (res ledger.Result, err error) {
	if r.At.IsZero() {
		r.At = s.now()
	}
	reason, err := text(r.Reason, 200, "earning.reason_required", "a reason is required; the resident sees it")
	if err != nil {
		return res, err
	}
	a, in, err := s.prepare(ctx, tx, communityID, r.ResidentID, r.Indicator, r.Points, r.At, r.Checked)
	if err != nil {
		return res, err
	}
	if r.Source.Kind != "" {
		a.Source = r.Source
	}
	a.Reason, a.ReasonMsg, a.Actor, a.IdemKey = reason, r.ReasonMsg, actor, r.IdemKey
	res, err = postAward(ctx, tx, s.Ledger, a, r.At)
	if err != nil {
		return res, err
	}
	// Recorded for the caps, linked to its transfer so a reversal
	// (UndoAward) frees the room again.
	_, err = tx.Exec(ctx, `INSERT INTO earning_awards (community_id, id, resident_id, indicator, category, rule_version, points, day, created_at, transfer_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		communityID, civic.NewID(), r.ResidentID, a.Indicator, in.Category, in.Version, r.Points, Day(r.At), db.Millis(r.At), res.TransferID)
	return res, err
}

// postAward is ledger.AwardPoints dated at the service's clock, so awards for
// past activities (and the demo's months) carry their real time. It posts
// through the ledger's service, so the hooks on earned totals run (credit's
// level changes).
func postAward(ctx context.Context, tx *db.Tx, lg *ledger.Service, a ledger.Award, at time.Time) (ledger.Result, error) {
	t := &ledger.Transfer{
		CommunityID: a.CommunityID, Kind: ledger.KindAward, Reason: a.Reason, ReasonMsg: a.ReasonMsg, Source: a.Source,
		Indicator: a.Indicator, RuleVersion: a.RuleVersion, Earns: true,
		ActorID: a.Actor.UserID, ActorName: a.Actor.Name, IdemKey: a.IdemKey, CreatedAt: at,
		Postings: []ledger.Posting{{AccountID: a.ResidentID, Amount: a.Points}, {AccountID: ledger.Issuance, Amount: -a.Points}},
	}
	bal, err := lg.Post(ctx, tx, t)
	return ledger.Result{TransferID: t.ID, Balance: bal}, err
}

// SourceKinds are the sources of the transfers earning makes; reversing any
// of them must run UndoAward (app.New wires it with ledger.Service.OnReverse).
var SourceKinds = []string{"indicator", "activity", "claim", "suggestion"}

// UndoAward frees the caps used by an award that is being reversed; it
// does nothing for transfers earning did not make.
func UndoAward(ctx context.Context, tx *db.Tx, orig, _ ledger.Transfer, _ civic.Actor) (err error) {
	defer civic.Wrap(&err, "earning.UndoAward(%s)", orig.ID)
	_, err = tx.Exec(ctx, "UPDATE earning_awards SET reversed = 1 WHERE community_id = $1 AND transfer_id = $2", orig.CommunityID, orig.ID)
	return err
}
