package demo

import (
	"context"
	"database/sql"
	"errors"

	"civicpoints/internal/app"
	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/credit"
	"civicpoints/internal/db"
	"civicpoints/internal/district"
	"civicpoints/internal/earning"
	"civicpoints/internal/idem"
	"civicpoints/internal/registry"
)

// District is the demo district; every demo community belongs to it.
var District = district.CreateDistrictRequest{Slug: "qujiang", Name: "衢江区"}

// Neighbour is one of the smaller synthetic communities beside Chunjiang,
// so everything district-wide has more than one community to show.
type Neighbour struct {
	Slug, Name, PointsName string
	Estates                []string
	Households, Residents  int
	Seed                   uint64
}

// Neighbours are the two synthetic communities of the demo district.
var Neighbours = []Neighbour{
	{Slug: "jiangbin", Name: "江滨社区", PointsName: "江滨分", Estates: []string{"江滨一区", "江滨二区", "滨江雅苑"},
		Households: 620, Residents: 1500, Seed: 2023},
	{Slug: "fushan", Name: "府山社区", PointsName: "府山分", Estates: []string{"府山花园", "府前小区", "山水名居"},
		Households: 640, Residents: 1520, Seed: 2024},
}

// seedDistrict makes the district qujiang (衢江区); the community step
// puts Chunjiang in it.
func seedDistrict(ctx context.Context, a *app.App, s *State) error {
	d, err := a.District.CreateDistrict(ctx, civic.System, idem.Key("demo-district-"+District.Slug), District)
	s.DistrictID = d.ID
	return err
}

// seedNeighbours makes the two smaller communities: their registries,
// catalogues, months of activities and a worker login each.
func seedNeighbours(ctx context.Context, a *app.App, s *State) error {
	for _, n := range Neighbours {
		c, err := a.District.CreateCommunity(ctx, civic.System, idem.Key("demo-community-"+n.Slug),
			district.CreateCommunityRequest{District: s.DistrictID, Slug: n.Slug, Name: n.Name, PointsName: n.PointsName})
		if err != nil {
			return err
		}
		ids, err := seedNeighbourRegistry(ctx, a, c.Community.ID, n)
		if err != nil {
			return err
		}
		if err := earning.SeedDemo(ctx, a.Earning, c.Community.ID, ids); err != nil {
			return err
		}
		login, err := seedWorker(ctx, a, c.Community.ID, n.Slug+"-worker", n.Name+"社工")
		if err != nil {
			return err
		}
		s.Logins = append(s.Logins, login)
	}
	return nil
}

// seedNeighbourRegistry imports a neighbour's synthetic residents once and
// returns 60 of them for the activities.
func seedNeighbourRegistry(ctx context.Context, a *app.App, communityID string, n Neighbour) ([]string, error) {
	rows := registry.SyntheticRows(n.Seed, n.Estates, n.Households, n.Residents, registry.Today(a.Clock.Now()))
	// One command, its key derived from the rows: seeding again replays it.
	if _, err := a.Registry.ApplyImport(ctx, civic.System, registry.ImportKey("demo-"+n.Slug, rows, true),
		registry.ApplyImportRequest{Community: communityID, Rows: rows, ValidOnly: true}); err != nil {
		return nil, err
	}
	list, _, err := a.Registry.ListResidents(ctx, communityID, "", 60)
	ids := make([]string, 0, len(list))
	for _, r := range list {
		ids = append(ids, r.ID)
	}
	return ids, err
}

// seedWorker gives a community a worker login with the demo password,
// once.
func seedWorker(ctx context.Context, a *app.App, communityID, username, name string) (Login, error) {
	login := Login{Role: string(civic.RoleWorker), Username: username, Password: auth.DemoPassword(username)}
	return login, a.DB.WithTx(ctx, func(tx *db.Tx) error {
		var id string
		err := tx.QueryRow(ctx, "SELECT id FROM users WHERE username = $1", username).Scan(&id)
		if err == nil || !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		_, err = a.Auth.CreateUser(ctx, tx, auth.NewUser{CommunityID: communityID, Username: username, Name: name,
			Password: login.Password, Role: civic.RoleWorker})
		return err
	})
}

// seedCredit publishes the district's first rules (the defaults, in force
// from today) so the rules page has a history, and records the demo
// resident's consent to both uses, as the design says, and a bonus award.
func seedCredit(ctx context.Context, a *app.App, s *State) error {
	hist, err := a.Credit.RuleHistory(ctx, civic.System, s.DistrictID)
	if err != nil {
		return err
	}
	if len(hist) == 1 { // the default alone
		def := credit.DefaultRules(s.DistrictID)
		_, err := a.Credit.SetRules(ctx, civic.System, idem.Key("demo-rules-"+s.DistrictID), credit.SetRulesRequest{
			District: s.DistrictID, EffectiveFrom: a.Clock.Now().In(civic.Shanghai).Format("2006-01-02"),
			PointsPerCredit: def.PointsPerCredit, Levels: def.Levels, Note: "区信用办首次发布信用等级与权益"})
		if err != nil {
			return err
		}
	}
	// The suggestion the earning step adopted was built: its bonus lifts
	// the demo resident across the 良好 threshold, so "why is my level
	// this" has a level change to show.
	w := civic.Actor{UserID: "demo-worker", Name: "社区工作者", Role: civic.RoleWorker, CommunityID: s.CommunityID}
	if _, err := a.Earning.Award(ctx, w, idem.Key("demo-bonus-"+s.ResidentID), earning.AwardRequest{Community: s.CommunityID,
		Resident: s.ResidentID, Indicator: earning.SuggestionImplemented, Points: 40,
		Reason: "金点子落地：江滨健身步道无障碍通道建成"}); err != nil {
		return err
	}
	for _, p := range credit.Purposes {
		_, err := a.Credit.SetConsent(ctx, civic.System, idem.Key("demo-consent-"+s.ResidentID+"-"+string(p)),
			credit.ConsentRequest{Community: s.CommunityID, Resident: s.ResidentID, Purpose: p, Grant: true,
				Reason: "演示数据：居民已同意"})
		if err != nil {
			return err
		}
	}
	return nil
}
