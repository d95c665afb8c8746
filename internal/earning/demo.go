package earning

import (
	"context"
	"fmt"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
)

// demoActivity is one kind of activity the demo repeats.
type demoActivity struct {
	title, place, indicator string
	hours                   int
	points                  int64
}

var demoActivities = []demoActivity{
	{"社区义诊", "春江社区服务中心", ServiceEvents, 3, 0},
	{"便民义剪", "春江社区服务中心一楼", ServiceEvents, 2, 0},
	{"江滨河边清洁", "衢江江滨公园", NeighbourhoodUpkeep, 2, 0},
	{"邻里节游园会", "春江广场", CommunityActivities, 2, 2},
}

// SeedDemo gives the demo community the default catalogue and several months
// of activities (free clinics, haircuts, riverside clean-ups) with sign-ups,
// attendance and awards, plus suggestions, one adopted for 50 points: an
// accessible lane on the riverside fitness trail. residents[0] (the demo
// resident login) takes part in everything. Running it again changes nothing.
func SeedDemo(ctx context.Context, s *Service, communityID string, residents []string) (err error) {
	defer civic.Wrap(&err, "earning.SeedDemo(%s)", communityID)
	if err := s.SeedDefaults(ctx, communityID); err != nil {
		return err
	}
	var n int
	if err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM earning_activities WHERE community_id = $1", communityID).Scan(&n); err != nil || n > 0 {
		return err
	}
	if len(residents) < 20 {
		return fmt.Errorf("the demo needs at least 20 residents, not %d", len(residents))
	}
	now := s.now()
	clock := civic.NewFixedClock(now.AddDate(0, -4, 0))
	d := *s
	d.Clock = clock
	w := civic.Actor{UserID: "demo-worker", Name: "社区工作者", Role: civic.RoleWorker, CommunityID: communityID}
	first := clock.Now().In(civic.Shanghai)
	for i := 0; ; i++ {
		day := time.Date(first.Year(), first.Month(), first.Day(), 9, 0, 0, 0, civic.Shanghai).AddDate(0, 0, 7+i*9)
		if day.Add(24 * time.Hour).After(now) {
			break
		}
		kind := demoActivities[i%len(demoActivities)]
		if err := d.demoRun(ctx, clock, now, w, communityID, day, kind, pick(residents, i), i); err != nil {
			return err
		}
	}
	setClock(clock, now.Add(-2*time.Hour))
	return d.demoSuggestions(ctx, w, communityID, residents)
}

// pick chooses a dozen or so attendees, always including residents[0].
func pick(residents []string, i int) []string {
	out := []string{residents[0]}
	for k := 0; k < 10+i%6; k++ {
		out = append(out, residents[1+(i*7+k)%(len(residents)-1)])
	}
	return out
}

func (s *Service) demoRun(ctx context.Context, clock *civic.FixedClock, now time.Time, w civic.Actor, communityID string, start time.Time, kind demoActivity, who []string, i int) error {
	setClock(clock, start.Add(-48*time.Hour))
	a, err := s.Publish(ctx, w, demoKey(), PublishRequest{Community: communityID, Activity: Activity{Title: kind.title, Place: kind.place,
		Indicator: kind.indicator, Description: "志愿者报名参加，按实际服务时长计分。", Start: start, End: start.Add(time.Duration(kind.hours) * time.Hour),
		Deadline: start.Add(-2 * time.Hour), Capacity: len(who) + 2, Points: kind.points}})
	if err != nil {
		return err
	}
	for _, r := range who {
		me := civic.Actor{UserID: "demo-" + r, Role: civic.RoleResident, CommunityID: communityID, ResidentID: r}
		if _, err := s.SignUp(ctx, me, demoKey(), SignUpRequest{Community: communityID, Activity: a.ID, Resident: r}); err != nil {
			return err
		}
	}
	setClock(clock, start.Add(-5*time.Minute))
	attending := who[:len(who)-1] // the last is a no-show
	for _, r := range attending {
		if _, err := s.CheckIn(ctx, w, demoKey(), AttendRequest{Community: communityID, Activity: a.ID, Method: Tick, Resident: r}); err != nil {
			return err
		}
	}
	// Leave at different times; the second attendee forgets to check out.
	for k, r := range attending {
		if k == 1 {
			continue
		}
		setClock(clock, start.Add(time.Duration(45+((i+k)*25)%(kind.hours*60))*time.Minute))
		if _, err := s.CheckOut(ctx, w, demoKey(), AttendRequest{Community: communityID, Activity: a.ID, Method: Tick, Resident: r}); err != nil {
			return err
		}
	}
	setClock(clock, a.End.Add(time.Hour))
	if _, err := s.CloseActivity(ctx, w, demoKey(), CloseRequest{Community: communityID, Activity: a.ID}); err != nil {
		return err
	}
	if clock.Now().Add(21 * 24 * time.Hour).After(now) {
		return nil // recent forgotten check-outs stay in the queue for a worker
	}
	q, err := s.claimsFor(ctx, communityID, a.ID)
	for _, c := range q {
		if _, err := s.Decide(ctx, w, demoKey(), DecideRequest{Community: communityID, Claim: c, Approve: true}); err != nil {
			return err
		}
	}
	return err
}

func setClock(c *civic.FixedClock, t time.Time) { c.Advance(t.Sub(c.Now())) }

// demoKey is a fresh key for each seeded command: SeedDemo runs once per
// community (it stops when activities exist), so nothing needs replaying.
func demoKey() idem.Key { return idem.Key("demo-" + civic.NewID()) }

func (s *Service) claimsFor(ctx context.Context, communityID, activityID string) (ids []string, err error) {
	rows, err := s.DB.Query(ctx, "SELECT id FROM earning_claims WHERE community_id = $1 AND activity_id = $2 AND status = 'pending'", communityID, activityID)
	return db.Collect(rows, err, db.ScanString)
}

type demoSuggestion struct {
	title, body, decision, reason string
	points, bonus                 int64
}

var demoSuggestionList = []demoSuggestion{
	{"江滨健身步道增设无障碍通道", "江滨健身步道入口有台阶，轮椅和童车上不去。建议在南入口增设一条无障碍坡道，并设置扶手。",
		"adopted", "方便轮椅、童车和老人通行，已列入今年江滨改造计划", 50, 0},
	{"楼道照明改为声控灯", "3 幢楼道晚上太黑，老人上下楼容易摔倒，建议换成声控感应灯。",
		"implemented", "已完成 3 幢、5 幢楼道改造", 20, 10},
	{"小区门口增设快递柜", "快递经常放在门卫室，建议增设智能快递柜。",
		"not_adopted", "物业已与快递公司签约，下月起由物业统一安装，社区不再重复建设", 0, 0},
	{"周末开设少儿书法班", "社区活动室周末空着，可以请退休老师教孩子写毛笔字。", "", "", 0, 0},
}

func (s *Service) demoSuggestions(ctx context.Context, w civic.Actor, communityID string, residents []string) error {
	for i, g := range demoSuggestionList {
		r := residents[i*3]
		me := civic.Actor{UserID: "demo-" + r, Role: civic.RoleResident, CommunityID: communityID, ResidentID: r}
		sg, err := s.Submit(ctx, me, demoKey(), SubmitRequest{Community: communityID, Resident: r, Title: g.title, Body: g.body})
		if err != nil {
			return err
		}
		switch g.decision {
		case "adopted", "not_adopted":
			_, err = s.Review(ctx, w, demoKey(), ReviewRequest{Community: communityID, Suggestion: sg.ID, Decision: g.decision, Points: g.points, Reason: g.reason})
		case "implemented":
			if _, err = s.Review(ctx, w, demoKey(), ReviewRequest{Community: communityID, Suggestion: sg.ID, Decision: "adopted", Points: g.points, Reason: "解决老人夜间出行安全问题"}); err == nil {
				_, err = s.Review(ctx, w, demoKey(), ReviewRequest{Community: communityID, Suggestion: sg.ID, Decision: "implemented", Points: g.bonus, Reason: g.reason})
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}
