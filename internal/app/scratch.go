package app

import (
	"context"
	"fmt"

	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/earning"
	"civicpoints/internal/idem"
	"civicpoints/internal/registry"
)

// Scratch is a small community built for benchmarks, the crash test and API
// tests: registered residents, the default indicator catalogue plus an
// uncapped "bench" indicator, and a worker token.
type Scratch struct {
	CommunityID string
	Slug        string
	Residents   []string
	Token       string // worker API token
	Worker      civic.Actor
}

// BenchIndicator awards 1–100 points with no caps, so load tests never hit a
// cap; real communities use the default catalogue.
const BenchIndicator = "bench"

// ScratchCommunity creates (or reuses) the community slug with n residents.
func (a *App) ScratchCommunity(ctx context.Context, slug string, n int) (s Scratch, err error) {
	defer civic.Wrap(&err, "app.ScratchCommunity(%s)", slug)
	s.Slug = slug
	err = a.DB.WithTx(ctx, func(tx *db.Tx) error {
		c, err := registry.CreateCommunity(ctx, tx, registry.Community{Slug: slug, Name: slug, PointsName: "points"})
		s.CommunityID = c.ID
		return err
	})
	if err != nil {
		return s, err
	}
	s.Worker = civic.Actor{UserID: "scratch-worker", Name: "worker", Role: civic.RoleWorker, CommunityID: s.CommunityID}
	if err := a.Earning.SeedDefaults(ctx, s.CommunityID); err != nil {
		return s, err
	}
	_, missing := a.Earning.Indicator(ctx, s.CommunityID, BenchIndicator)
	_, err = a.Earning.SaveIndicator(ctx, s.Worker, idem.Key("scratch-"+civic.NewID()), earning.IndicatorRequest{
		Community: s.CommunityID, New: civic.ErrorCode(missing) == civic.NotFound, Indicator: earning.Indicator{
			Code: BenchIndicator, Category: "volunteer", NameZH: "压测", NameEN: "Load test", Position: 99,
			Rule: earning.Rule{Kind: earning.Range, Min: 1, Max: 100},
		}})
	if err != nil {
		return s, err
	}
	// The keys are derived from the slug and the position: making the same
	// scratch community again replays what was made, as the community
	// itself is reused.
	key := func(what string, i int) idem.Key { return idem.Key(fmt.Sprintf("scratch:%s:%s:%d", slug, what, i)) }
	estate, err := a.Registry.CreateEstate(ctx, s.Worker, key("estate", 0), registry.CreateEstateRequest{
		Community: s.CommunityID, Name: "测试小区", Address: "测试路 1 号"})
	if err != nil {
		return s, err
	}
	var h registry.Household
	for i := range n {
		if i%4 == 0 {
			h, err = a.Registry.CreateHousehold(ctx, s.Worker, key("household", i), registry.CreateHouseholdRequest{Community: s.CommunityID,
				Estate: estate.ID, Building: fmt.Sprint(1 + i/400), Unit: "1", Room: fmt.Sprint(101 + i%400), Tenure: registry.TenureOwner})
			if err != nil {
				return s, err
			}
		}
		ch, err := a.Registry.CreateResident(ctx, s.Worker, key("resident", i), registry.CreateResidentRequest{Community: s.CommunityID,
			NewResident: registry.NewResident{HouseholdID: h.ID, Name: fmt.Sprintf("居民%d", i), Gender: "女", BirthDate: "1960-05-01", Relation: "户主"}})
		if err != nil {
			return s, err
		}
		s.Residents = append(s.Residents, ch.ID)
	}
	tok, err := a.Auth.CreateToken(ctx, civic.System, idem.Key("scratch-token-"+s.CommunityID),
		// A scratch community drives load tests (bench, the crash test):
		// its token's rate limit is the highest a token may have.
		auth.CreateTokenRequest{Community: s.CommunityID, Role: civic.RoleWorker, Name: "scratch " + slug,
			Limits: auth.Limits{RatePerMinute: auth.MaxRatePerMinute}})
	s.Token = tok.Secret
	return s, err
}
