package garden_test

import (
	"fmt"
	"testing"

	"civicpoints/internal/civic"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/garden"
	"civicpoints/internal/idem"
)

// Planning one pumpkin's season (some 60 tasks and their reminders).
func BenchmarkSchedule(b *testing.B) {
	c := garden.Crop{MaturityDays: 110, WindowDays: 14, WaterEvery: 3, WeedEvery: 14, FeedEvery: 30, PestEvery: 21}
	t := garden.DefaultModes()[0].Terms
	for b.Loop() {
		garden.Schedule(c, "2026-03-01", t, start)
	}
}

// A family's adoption confirmed by the operator: the plot reserved, then a
// season of tasks and reminders written in one transaction (SQLite).
func BenchmarkAdoptConfirm(b *testing.B) {
	f := newFixture(b, dbtest.SQLite(b))
	fam := f.family("13800000999")
	var plots []garden.Plot
	i := 0
	for b.Loop() {
		if len(plots) == 0 {
			g, err := f.s.AddGarden(f.ctx, f.boss, idem.Key(fmt.Sprintf("bg-%d", i)), garden.AddGardenRequest{Operator: f.op.ID, Name: "b", Kind: "plots", Rows: 20, Cols: 20})
			if err != nil {
				b.Fatal(err)
			}
			plots, _ = f.s.Plots(f.ctx, f.op.ID, g.ID, "")
		}
		p := plots[0]
		plots = plots[1:]
		a, err := f.s.Adopt(f.ctx, fam, idem.Key(fmt.Sprintf("ba-%d", i)), garden.AdoptRequest{Operator: f.op.ID, Adopter: fam.UserID, Season: f.season.ID,
			Plot: p.ID, Mode: garden.SelfManaged, Crop: f.crop.ID, FamilyName: "b"})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := f.s.Confirm(f.ctx, f.boss, idem.Key(fmt.Sprintf("bc-%d", i)), garden.ConfirmRequest{Operator: f.op.ID, Adoption: a.ID, PlantedOn: "2026-03-01"}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// The steward's queue page over the demo garden (110 plots, 27 adoptions).
func BenchmarkQueue(b *testing.B) {
	f := newFixture(b, dbtest.SQLite(b))
	fam := f.family("13800000998")
	op, err := garden.SeedDemoOperator(f.ctx, f.s)
	if err != nil {
		b.Fatal(err)
	}
	if err := garden.SeedDemo(f.ctx, f.s, op, fam.UserID); err != nil {
		b.Fatal(err)
	}
	stew := civic.Actor{UserID: "s", Role: civic.RoleGardenSteward, CommunityID: op.ID}
	for b.Loop() {
		if q, err := f.s.Queue(f.ctx, stew, "9999-12-31", "", "", 30); err != nil || len(q) == 0 {
			b.Fatal(len(q), err)
		}
	}
}
