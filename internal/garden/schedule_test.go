package garden_test

import (
	"context"
	"testing"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/garden"
	"civicpoints/internal/idem"
)

func sh(y int, m time.Month, d, h int) time.Time {
	return time.Date(y, m, d, h, 0, 0, 0, civic.Shanghai).UTC()
}

// Reminder times follow from the planting day and the crop's days to
// ripeness, in Shanghai mornings, and none is set in the past.
func TestScheduleReminders(t *testing.T) {
	pumpkin := garden.Crop{Name: "南瓜", MaturityDays: 100, WindowDays: 10, WaterEvery: 3, WeedEvery: 14, FeedEvery: 30, PestEvery: 21}
	terms := map[garden.ModeCode]garden.Terms{}
	for _, m := range garden.DefaultModes() {
		terms[m.Code] = m.Terms
	}
	type rem struct {
		kind garden.ReminderKind
		at   time.Time
		date string
		days int
	}
	first := func(p garden.Plan, k garden.ReminderKind) (rem, bool) {
		for _, r := range p.Remind {
			if r.Kind == k {
				return rem{r.Kind, r.DueAt, r.ArgDate, r.ArgDays}, true
			}
		}
		return rem{}, false
	}
	// Planted 2026-03-01: ripe 100 days on, 2026-06-09; the window's last day 2026-06-18.
	now := sh(2026, 3, 1, 8)
	full := garden.Schedule(pumpkin, "2026-03-01", terms[garden.FullyHosted], now)
	if full.RipeOn != "2026-06-09" || full.LastDay != "2026-06-18" {
		t.Fatalf("ripe %s, last day %s", full.RipeOn, full.LastDay)
	}
	for _, c := range []struct {
		got  garden.Plan
		kind garden.ReminderKind
		want rem
	}{
		{full, garden.RemindMaturity, rem{garden.RemindMaturity, sh(2026, 6, 4, 9), "2026-06-09", 5}},
		{full, garden.RemindWindow, rem{garden.RemindWindow, sh(2026, 6, 16, 9), "2026-06-18", 0}},
	} {
		got, ok := first(c.got, c.kind)
		if !ok || !got.at.Equal(c.want.at) || got != (rem{c.want.kind, got.at, c.want.date, c.want.days}) {
			t.Errorf("%s: got %+v (%v), want %+v", c.kind, got, ok, c.want)
		}
	}
	if got := sh(2026, 6, 4, 9); !got.Equal(time.Date(2026, 6, 4, 1, 0, 0, 0, time.UTC)) {
		t.Errorf("09:00 in Shanghai is %s UTC", got)
	}
	if _, ok := first(full, garden.RemindTask); ok {
		t.Error("a fully hosted family is reminded of the steward's tasks")
	}

	// Self-managed: no ripeness reminder, but each of its own tasks (not
	// watering) at 08:00 on the day; the first weeding is day 14.
	self := garden.Schedule(pumpkin, "2026-03-01", terms[garden.SelfManaged], now)
	if _, ok := first(self, garden.RemindMaturity); ok {
		t.Error("a self-managed family gets a ripeness reminder")
	}
	if got, ok := first(self, garden.RemindTask); !ok || !got.at.Equal(sh(2026, 3, 15, 8)) || got.date != "2026-03-15" {
		t.Errorf("first task reminder %+v, want 2026-03-15 08:00", got)
	}
	for _, r := range self.Remind {
		if r.Kind == garden.RemindTask && self.Tasks[r.Task].Kind == garden.TaskWater {
			t.Fatal("watering is reminded")
		}
	}
	waterings := 0
	for _, tk := range self.Tasks {
		if tk.Kind == garden.TaskWater {
			waterings++
		}
	}
	if waterings != 33 { // days 3, 6, … 99
		t.Errorf("%d waterings, want 33", waterings)
	}

	// Half-hosted: the family's only task is the harvest, on the ripe day.
	half := garden.Schedule(pumpkin, "2026-03-01", terms[garden.HalfHosted], now)
	if got, ok := first(half, garden.RemindTask); !ok || got.date != "2026-06-09" {
		t.Errorf("half-hosted task reminder %+v, want the harvest on 2026-06-09", got)
	}

	// Confirmed late in the lead (three days before ripeness): told at once
	// that it is three days away.
	late := sh(2026, 6, 6, 15)
	p := garden.Schedule(pumpkin, "2026-03-01", terms[garden.HalfHosted], late)
	if got, ok := first(p, garden.RemindMaturity); !ok || !got.at.Equal(late) || got.days != 3 {
		t.Errorf("late maturity reminder %+v, want now and 3 days", got)
	}
	if garden.DaysToRipe("2026-06-09", late) != 3 || garden.DaysToRipe("2026-06-09", sh(2026, 7, 1, 0)) != 0 {
		t.Error("DaysToRipe")
	}
}

// Confirming writes the plan's tasks and reminders in one transaction; the
// family sees each reminder once due, and an outbox finds the unsent ones.
func TestConfirmWritesReminders(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		f := newFixture(t, d)
		fam := f.family("13800000011")
		a := f.adopt(fam, 0, garden.FullyHosted)
		if a.RipeOn != "2026-06-09" {
			t.Fatalf("ripe on %s", a.RipeOn)
		}
		all, err := f.s.AdoptionReminders(f.ctx, f.op.ID, a.ID)
		if err != nil || len(all) != 2 {
			t.Fatalf("%d reminders, %v", len(all), err)
		}
		if !all[0].DueAt.Equal(sh(2026, 6, 4, 9)) || all[0].Kind != garden.RemindMaturity {
			t.Errorf("first reminder %+v", all[0])
		}
		if got, _ := f.s.RemindersOf(f.ctx, fam.UserID, f.clock.Now()); len(got) != 0 {
			t.Errorf("%d reminders shown before they are due", len(got))
		}
		f.clock.Advance(sh(2026, 6, 4, 9).Sub(f.clock.Now()))
		shown, _ := f.s.RemindersOf(f.ctx, fam.UserID, f.clock.Now())
		due, _ := f.s.DueReminders(f.ctx, f.clock.Now(), 10)
		if len(shown) != 1 || len(due) != 1 || due[0].ID != shown[0].ID {
			t.Fatalf("shown %d, due for the outbox %d", len(shown), len(due))
		}
		if _, err := f.s.MarkSent(f.ctx, fam, f.key(), garden.MarkSentRequest{Operator: f.op.ID, Reminder: due[0].ID}); code(err) != civic.Forbidden {
			t.Errorf("a family marks a reminder sent: %v", err)
		}
		if _, err := f.s.MarkSent(f.ctx, civic.System, idem.Key("sent-"+due[0].ID), garden.MarkSentRequest{Operator: f.op.ID, Reminder: due[0].ID}); err != nil {
			t.Fatal(err)
		}
		if due, _ = f.s.DueReminders(f.ctx, f.clock.Now(), 10); len(due) != 0 {
			t.Errorf("a sent reminder is still due: %+v", due)
		}
		n, err := f.s.MarkRead(f.ctx, fam, f.key(), garden.ReadRequest{Operator: f.op.ID, Adoption: a.ID, Until: 1 << 60})
		if err != nil || n != 1 {
			t.Errorf("marked %d read, %v", n, err)
		}
	})
}

// Families racing for the last free plot: exactly one gets it.
func TestLastPlotConcurrently(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		f := newFixture(t, d)
		first := f.family("13800000020")
		for i := 0; i < 5; i++ {
			f.adopt(first, i, garden.SelfManaged)
		}
		const n = 8
		fams := make([]civic.Actor, n)
		for i := range fams {
			fams[i] = f.family("1390000000" + string(rune('0'+i)))
		}
		errs := make(chan error, n)
		for i := range fams {
			go func(fam civic.Actor) {
				_, err := f.s.Adopt(context.Background(), fam, f.key(), garden.AdoptRequest{Operator: f.op.ID, Adopter: fam.UserID,
					Season: f.season.ID, Plot: f.plots[5].ID, Mode: garden.HalfHosted, Crop: f.crop.ID, FamilyName: "抢到了"})
				errs <- err
			}(fams[i])
		}
		won := 0
		for range n {
			err := <-errs
			switch {
			case err == nil:
				won++
			case key(err) != "garden.plot_taken":
				t.Errorf("a loser got %v, want garden.plot_taken", err)
			}
		}
		if won != 1 {
			t.Fatalf("%d families got the last plot, want exactly 1", won)
		}
		plots, _ := f.s.Plots(f.ctx, f.op.ID, f.g.ID, f.season.ID)
		for _, p := range plots {
			if p.Taken == "" {
				t.Errorf("plot %s still free", p.Label)
			}
		}
		rep, err := f.s.Report(f.ctx, f.boss, f.op.ID, f.season.ID)
		if err != nil || rep.Gardens[0].Taken != 6 {
			t.Errorf("report: %+v, %v", rep.Gardens, err)
		}
	})
}
