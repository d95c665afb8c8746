package credit_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"civicpoints/internal/app"
	"civicpoints/internal/civic"
	"civicpoints/internal/config"
	"civicpoints/internal/db"
	"civicpoints/internal/district"
	"civicpoints/internal/idem"
	"civicpoints/internal/ledger"
	"civicpoints/internal/registry"
)

// start is noon in Shanghai on 2025-06-01.
var start = time.Date(2025, 6, 1, 4, 0, 0, 0, time.UTC)

func newApp(t testing.TB, d *db.DB) (*app.App, *civic.FixedClock) {
	clock := civic.NewFixedClock(start)
	a := app.New(&config.Config{}, d, clock, slog.New(slog.NewTextHandler(io.Discard, nil)))
	t.Cleanup(func() { a.Batch.Close() })
	return a, clock
}

// place is one district with one community and its worker.
type place struct {
	District, Community string
	Worker              civic.Actor
	household           string
}

func key() idem.Key { return idem.Key("t-" + civic.NewID()) }

// newPlace makes a district (its own rules) with a community and a household.
func newPlace(t dbtestT, a *app.App) place {
	t.Helper()
	ctx := context.Background()
	slug := "d" + strings.ToLower(civic.NewID()[14:])
	d, err := a.District.CreateDistrict(ctx, civic.System, key(), district.CreateDistrictRequest{Slug: slug, Name: slug + "区"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := a.District.CreateCommunity(ctx, civic.System, key(), district.CreateCommunityRequest{District: d.ID, Slug: "c" + slug,
		Name: "社区" + slug, PointsName: "春江分"})
	if err != nil {
		t.Fatal(err)
	}
	p := place{District: d.ID, Community: c.Community.ID,
		Worker: civic.Actor{UserID: "w-" + slug, Name: "社工", Role: civic.RoleWorker, CommunityID: c.Community.ID}}
	e, err := a.Registry.CreateEstate(ctx, p.Worker, key(), registry.CreateEstateRequest{Community: p.Community, Name: "春江花园"})
	if err != nil {
		t.Fatal(err)
	}
	h, err := a.Registry.CreateHousehold(ctx, p.Worker, key(), registry.CreateHouseholdRequest{Community: p.Community, Estate: e.ID, Building: "1", Room: "101", Tenure: registry.TenureOwner})
	if err != nil {
		t.Fatal(err)
	}
	p.household = h.ID
	return p
}

type dbtestT interface {
	Helper()
	Fatal(args ...any)
}

// resident registers a resident born on birth (YYYY-MM-DD).
func (p place) resident(t dbtestT, a *app.App, name, birth string) string {
	t.Helper()
	ch, err := a.Registry.CreateResident(context.Background(), p.Worker, key(), registry.CreateResidentRequest{Community: p.Community,
		NewResident: registry.NewResident{HouseholdID: p.household, Name: name, Gender: "女", BirthDate: birth, Relation: "户主"}})
	if err != nil {
		t.Fatal(err)
	}
	return ch.ID
}

// award posts an award through the ledger's service (so the hooks run), at
// the clock's time.
func award(t dbtestT, a *app.App, p place, resident string, points int64) string {
	t.Helper()
	ctx := context.Background()
	tr := &ledger.Transfer{CommunityID: p.Community, Kind: ledger.KindAward, Reason: "志愿服务", Earns: true,
		Source: ledger.Source{Kind: "indicator", ID: "volunteer_hours"}, Indicator: "volunteer_hours",
		ActorID: p.Worker.UserID, ActorName: p.Worker.Name,
		Postings: []ledger.Posting{{AccountID: resident, Amount: points}, {AccountID: ledger.Issuance, Amount: -points}}}
	if err := a.DB.WithTx(ctx, func(tx *db.Tx) error {
		tr.ID, tr.CreatedAt = "", time.Time{}
		_, err := a.Ledger.Post(ctx, tx, tr)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return tr.ID
}
