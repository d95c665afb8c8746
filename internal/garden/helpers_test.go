package garden_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/garden"
	"civicpoints/internal/idem"
	"civicpoints/internal/registry"
)

type residents struct{}

func (residents) ResidentActive(_ context.Context, _, id string) error {
	if id == "gone" {
		return civic.Errorf(civic.NotFound, "registry.not_found", "no resident %s", id)
	}
	return nil
}

// fixture is a garden operator with one 2×3 garden, a crop, a season and a
// family per mode, over one engine, at a fixed clock in Shanghai.
type fixture struct {
	t      testing.TB
	ctx    context.Context
	s      *garden.Service
	clock  *civic.FixedClock
	op     garden.Operator
	g      garden.Garden
	plots  []garden.Plot
	crop   garden.Crop
	season garden.Season
	boss   civic.Actor // the operator
	stew   civic.Actor // a steward
	n      atomic.Int64
}

// start is 2026-03-01 08:00 in Shanghai.
var start = time.Date(2026, 3, 1, 8, 0, 0, 0, civic.Shanghai)

func newFixture(t testing.TB, d *db.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	clock := civic.NewFixedClock(start)
	d.Clock = clock
	a := auth.New(d, clock)
	a.Params = auth.PasswordParams{Memory: 1024, Time: 1, Threads: 1}
	keys, err := registry.NewKeys("garden-test-secret")
	if err != nil {
		t.Fatal(err)
	}
	s := garden.New(d, idem.New(d, nil, clock), clock,
		func(context.Context) (garden.Sealer, error) { return keys, nil }, a, residents{})
	f := &fixture{t: t, ctx: ctx, s: s, clock: clock}
	if f.op, err = s.CreateOperator(ctx, civic.System, f.key(), garden.CreateOperatorRequest{Slug: "qjb", Name: "泉井边村"}); err != nil {
		t.Fatal(err)
	}
	f.boss = civic.Actor{UserID: "boss", Name: "运营", Role: civic.RoleGardenOperator, CommunityID: f.op.ID}
	f.stew = civic.Actor{UserID: "stew", Name: "管家", Role: civic.RoleGardenSteward, CommunityID: f.op.ID}
	if f.g, err = s.AddGarden(ctx, f.boss, f.key(), garden.AddGardenRequest{Operator: f.op.ID, Name: "菜园", Kind: "plots", Rows: 2, Cols: 3, SizeM2: 10}); err != nil {
		t.Fatal(err)
	}
	if f.plots, err = s.Plots(ctx, f.op.ID, f.g.ID, ""); err != nil || len(f.plots) != 6 {
		t.Fatalf("plots %d, %v", len(f.plots), err)
	}
	if f.crop, err = s.SetCrop(ctx, f.boss, f.key(), garden.SetCropRequest{Operator: f.op.ID, Crop: garden.Crop{Name: "南瓜",
		MaturityDays: 100, WindowDays: 10, WaterEvery: 3, WeedEvery: 14, FeedEvery: 30, PestEvery: 21}}); err != nil {
		t.Fatal(err)
	}
	if f.season, err = s.AddSeason(ctx, f.boss, f.key(), garden.AddSeasonRequest{Operator: f.op.ID, Name: "2026 春夏",
		StartsOn: "2026-03-01", EndsOn: "2026-08-31"}); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) key() idem.Key { return idem.Key(fmt.Sprintf("k-%d", f.n.Add(1))) }

// family registers a family and returns it as an actor.
func (f *fixture) family(phone string) civic.Actor {
	f.t.Helper()
	p, err := f.s.Register(f.ctx, f.key(), garden.RegisterRequest{Phone: phone, Name: "王女士", Password: "pumpkin-patch-2026"})
	if err != nil {
		f.t.Fatalf("register %s: %v", phone, err)
	}
	return civic.Actor{UserID: p.UserID, Name: p.Name, Role: civic.RoleGardenAdopter}
}

// adopt makes and confirms an adoption of plot i in mode m, planted today.
func (f *fixture) adopt(fam civic.Actor, i int, m garden.ModeCode) garden.Adoption {
	f.t.Helper()
	a, err := f.s.Adopt(f.ctx, fam, f.key(), garden.AdoptRequest{Operator: f.op.ID, Adopter: fam.UserID, Season: f.season.ID,
		Plot: f.plots[i].ID, Mode: m, Crop: f.crop.ID, FamilyName: "向日葵之家"})
	if err != nil {
		f.t.Fatalf("adopt: %v", err)
	}
	a, err = f.s.Confirm(f.ctx, f.boss, f.key(), garden.ConfirmRequest{Operator: f.op.ID, Adoption: a.ID, PlantedOn: garden.Today(f.clock.Now())})
	if err != nil {
		f.t.Fatalf("confirm: %v", err)
	}
	return a
}

// task returns the first task of a kind of an adoption.
func (f *fixture) task(a garden.Adoption, kind garden.TaskKind) garden.Task {
	f.t.Helper()
	log, err := f.s.Log(f.ctx, f.op.ID, a.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, t := range log {
		if t.Kind == kind {
			return t
		}
	}
	f.t.Fatalf("no %s task", kind)
	return garden.Task{}
}

func code(err error) civic.Code { return civic.ErrorCode(err) }

func key(err error) string {
	if e := civic.AsError(err); e != nil {
		return e.Key
	}
	return ""
}
