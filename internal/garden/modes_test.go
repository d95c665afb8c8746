package garden_test

import (
	"testing"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/garden"
)

// The three modes' rules as terms: who is given each task, who may pick,
// who bears a failed crop.
func TestModeTerms(t *testing.T) {
	modes := map[garden.ModeCode]garden.Terms{}
	for _, m := range garden.DefaultModes() {
		modes[m.Code] = m.Terms
	}
	for _, c := range []struct {
		mode                 garden.ModeCode
		care, harvest        garden.Party
		stewardPicks         bool
		bears                garden.Party
		maturity, pickRemind bool
	}{
		{garden.SelfManaged, garden.Adopter, garden.Adopter, false, garden.Adopter, false, false},
		{garden.HalfHosted, garden.Steward, garden.Adopter, false, garden.Adopter, true, false},
		{garden.FullyHosted, garden.Steward, garden.Steward, true, garden.Farm, true, true},
	} {
		tm := modes[c.mode]
		for _, k := range []garden.TaskKind{garden.TaskWater, garden.TaskWeed, garden.TaskFeed, garden.TaskPest} {
			if got := tm.Assignee(k); got != c.care {
				t.Errorf("%s: %s goes to %s, want %s", c.mode, k, got, c.care)
			}
		}
		if got := tm.Assignee(garden.TaskHarvest); got != c.harvest {
			t.Errorf("%s: harvest goes to %s, want %s", c.mode, got, c.harvest)
		}
		if !tm.MayPick(garden.Adopter) {
			t.Errorf("%s: the family may not pick", c.mode)
		}
		if got := tm.MayPick(garden.Steward); got != c.stewardPicks {
			t.Errorf("%s: steward picks %v, want %v", c.mode, got, c.stewardPicks)
		}
		if got := tm.BearsLoss(); got != c.bears {
			t.Errorf("%s: loss borne by %s, want %s", c.mode, got, c.bears)
		}
		if tm.MaturityReminder != c.maturity || tm.PickReminder != c.pickRemind {
			t.Errorf("%s: reminders %v/%v, want %v/%v", c.mode, tm.MaturityReminder, tm.PickReminder, c.maturity, c.pickRemind)
		}
	}
}

// The rules hold through the commands: a steward cannot do a self-managed
// family's task nor a family the steward's; the steward picks only where the
// farm may; a failed crop is borne as the terms say.
func TestModeRulesThroughCommands(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		f := newFixture(t, d)
		fam := f.family("13800000001")
		self, half, full := f.adopt(fam, 0, garden.SelfManaged), f.adopt(fam, 1, garden.HalfHosted), f.adopt(fam, 2, garden.FullyHosted)

		weedSelf, weedHalf := f.task(self, garden.TaskWeed), f.task(half, garden.TaskWeed)
		if weedSelf.Assignee != garden.Adopter || weedHalf.Assignee != garden.Steward {
			t.Fatalf("weeding assigned %s (self) and %s (half)", weedSelf.Assignee, weedHalf.Assignee)
		}
		for _, c := range []struct {
			name string
			by   civic.Actor
			task garden.Task
			want string
		}{
			{"steward on a self-managed plot", f.stew, weedSelf, "garden.task_family"},
			{"operator on a self-managed plot", f.boss, weedSelf, "garden.task_family"},
			{"family on a half-hosted plot", fam, weedHalf, "garden.task_steward"},
			{"another family", f.family("13800000002"), weedSelf, "garden.no.task"},
		} {
			_, err := f.s.Complete(f.ctx, c.by, f.key(), garden.CompleteRequest{Operator: f.op.ID, Task: c.task.ID})
			if key(err) != c.want {
				t.Errorf("%s: %v, want %s", c.name, err, c.want)
			}
		}
		if _, err := f.s.Complete(f.ctx, fam, f.key(), garden.CompleteRequest{Operator: f.op.ID, Task: weedSelf.ID, Note: "拔了草"}); err != nil {
			t.Errorf("family on its own plot: %v", err)
		}
		if _, err := f.s.Complete(f.ctx, f.stew, f.key(), garden.CompleteRequest{Operator: f.op.ID, Task: weedHalf.ID}); err != nil {
			t.Errorf("steward on a half-hosted plot: %v", err)
		}

		for _, c := range []struct {
			a    garden.Adoption
			want civic.Code
		}{{self, civic.Forbidden}, {half, civic.Forbidden}, {full, ""}} {
			_, err := f.s.RecordHarvest(f.ctx, f.stew, f.key(), garden.HarvestRequest{Operator: f.op.ID, Adoption: c.a.ID, WeightG: 5000, PickedBy: garden.Steward})
			if code(err) != c.want {
				t.Errorf("steward picks %s: %v, want %q", c.a.Mode, err, c.want)
			}
			if _, err := f.s.RecordHarvest(f.ctx, f.stew, f.key(), garden.HarvestRequest{Operator: f.op.ID, Adoption: c.a.ID, WeightG: 3000, PickedBy: garden.Adopter}); err != nil {
				t.Errorf("family picks %s (weighed by the steward): %v", c.a.Mode, err)
			}
		}

		for _, c := range []struct {
			a      garden.Adoption
			bears  garden.Party
			refund int64
		}{{self, garden.Adopter, 0}, {half, garden.Adopter, 0}, {full, garden.Farm, full.FeeFen}} {
			got, err := f.s.Fail(f.ctx, f.boss, f.key(), garden.FailRequest{Operator: f.op.ID, Adoption: c.a.ID, Reason: "霜冻"})
			if err != nil {
				t.Fatal(err)
			}
			if got.LossBy != c.bears || got.RefundFen != c.refund || got.Status != garden.Failed {
				t.Errorf("%s failed: borne by %s, refund %d, status %s; want %s, %d", c.a.Mode, got.LossBy, got.RefundFen, got.Status, c.bears, c.refund)
			}
		}
		if full.FeeFen != 69800 {
			t.Errorf("full fee %d, want the default 69800", full.FeeFen)
		}
		if _, err := f.s.Complete(f.ctx, f.stew, f.key(), garden.CompleteRequest{Operator: f.op.ID, Task: f.task(half, garden.TaskWater).ID}); code(err) != civic.Conflict {
			t.Errorf("a task of a failed crop: %v, want conflict", err)
		}
	})
}

// Every command refuses actors outside its roles and other operators' staff.
func TestRoles(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		f := newFixture(t, d)
		fam := f.family("13800000003")
		a, err := f.s.Adopt(f.ctx, fam, f.key(), garden.AdoptRequest{Operator: f.op.ID, Adopter: fam.UserID, Season: f.season.ID,
			Plot: f.plots[0].ID, Mode: garden.HalfHosted, Crop: f.crop.ID, FamilyName: "小王家"})
		if err != nil {
			t.Fatal(err)
		}
		other := civic.Actor{UserID: "x", Role: civic.RoleGardenOperator, CommunityID: "another-operator"}
		resident := civic.Actor{UserID: "r", Role: civic.RoleResident, CommunityID: f.op.ID, ResidentID: "r"}
		worker := civic.Actor{UserID: "w", Role: civic.RoleWorker, CommunityID: f.op.ID}
		for _, by := range []civic.Actor{fam, f.stew, other, resident, worker} {
			_, err := f.s.Confirm(f.ctx, by, f.key(), garden.ConfirmRequest{Operator: f.op.ID, Adoption: a.ID, PlantedOn: "2026-03-01"})
			if code(err) != civic.Forbidden {
				t.Errorf("%s confirms: %v, want forbidden", by.Role, err)
			}
			_, err = f.s.AddGarden(f.ctx, by, f.key(), garden.AddGardenRequest{Operator: f.op.ID, Name: "x", Kind: "plots", Rows: 1, Cols: 1})
			if code(err) != civic.Forbidden {
				t.Errorf("%s adds a garden: %v, want forbidden", by.Role, err)
			}
		}
		for _, by := range []civic.Actor{f.boss, f.stew, resident} {
			_, err := f.s.Adopt(f.ctx, by, f.key(), garden.AdoptRequest{Operator: f.op.ID, Adopter: by.UserID, Season: f.season.ID,
				Plot: f.plots[1].ID, Mode: garden.SelfManaged, Crop: f.crop.ID, FamilyName: "x"})
			if code(err) != civic.Forbidden {
				t.Errorf("%s adopts: %v, want forbidden", by.Role, err)
			}
		}
		if _, err := f.s.Adopt(f.ctx, fam, f.key(), garden.AdoptRequest{Operator: f.op.ID, Adopter: "someone-else", Season: f.season.ID,
			Plot: f.plots[1].ID, Mode: garden.SelfManaged, Crop: f.crop.ID, FamilyName: "x"}); code(err) != civic.Forbidden {
			t.Errorf("adopting for another family: %v, want forbidden", err)
		}
		if _, err := f.s.Confirm(f.ctx, f.boss, f.key(), garden.ConfirmRequest{Operator: f.op.ID, Adoption: a.ID, PlantedOn: "2026-03-01"}); err != nil {
			t.Errorf("the operator confirms: %v", err)
		}
	})
}
