package garden_test

import (
	"testing"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/garden"
)

// The demo garden: 60 plots, 50 pumpkin varieties with 10 giants, the demo
// family in all three modes with reminders, a steward with work; seeding
// twice changes nothing.
func TestSeedDemo(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		f := newFixture(t, d)
		fam := f.family("13800000099")
		op, err := garden.SeedDemoOperator(f.ctx, f.s)
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if err := garden.SeedDemo(f.ctx, f.s, op, fam.UserID); err != nil {
				t.Fatal(err)
			}
		}
		gs, _ := f.s.Gardens(f.ctx, op.ID)
		if len(gs) != 2 {
			t.Fatalf("%d gardens", len(gs))
		}
		plots, _ := f.s.Plots(f.ctx, op.ID, gs[0].ID, "")
		expo, _ := f.s.Plots(f.ctx, op.ID, gs[1].ID, "")
		giants, varieties := 0, map[string]bool{}
		for _, p := range expo {
			varieties[p.Variety] = true
			if p.Giant {
				giants++
			}
		}
		if len(plots) != 60 || len(expo) != 50 || len(varieties) != 50 || giants != 10 {
			t.Errorf("%d plots, %d seedlings of %d varieties, %d giants", len(plots), len(expo), len(varieties), giants)
		}
		mine, err := f.s.AdoptionsOf(f.ctx, fam)
		if err != nil || len(mine) != 3 {
			t.Fatalf("family has %d adoptions, %v", len(mine), err)
		}
		modes := map[garden.ModeCode]bool{}
		for _, a := range mine {
			modes[a.Adoption.Mode] = true
		}
		if len(modes) != 3 {
			t.Errorf("family's modes %v", modes)
		}
		if rem, _ := f.s.RemindersOf(f.ctx, fam.UserID, f.clock.Now()); len(rem) == 0 {
			t.Error("the demo family has no reminder due")
		}
		stew := civic.Actor{UserID: "s", Role: civic.RoleGardenSteward, CommunityID: op.ID}
		if q, _ := f.s.Queue(f.ctx, stew, "9999-12-31", "", "", 10); len(q) == 0 {
			t.Error("the steward's queue is empty")
		}
		boss := civic.Actor{UserID: "b", Role: civic.RoleGardenOperator, CommunityID: op.ID}
		if p, _ := f.s.Adoptions(f.ctx, boss, garden.Pending, f.clock.Now().AddDate(1, 0, 0), "", 10); len(p) != 2 {
			t.Errorf("%d adoptions waiting for their fee, want 2", len(p))
		}
	})
}
