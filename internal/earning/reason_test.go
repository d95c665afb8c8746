package earning_test

import (
	"reflect"
	"testing"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/earning"
	"civicpoints/internal/i18n"
	"civicpoints/internal/ledger"
)

// The reason earning composes for attended minutes is stored as what it is
// made of, so the history reads "河边清洁 · 110 minutes" in English, while
// its text stays the Chinese one for exports.
func TestAttendanceReasonKeepsItsParts(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		f := setup(t, d, 1)
		r := f.ids[0]
		a := f.publish(t, earning.VolunteerHours, 5, 0)
		if _, err := f.s.SignUp(ctx, resident(f.c, r), newKey(), earning.SignUpRequest{Community: f.c, Activity: a.ID, Resident: r}); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(23 * time.Hour) // 09:00, the start
		if _, err := f.s.CheckIn(ctx, worker(f.c), newKey(), attend(worker(f.c), f.c, a.ID, earning.Tick, r)); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(110 * time.Minute)
		if u, err := f.s.CheckOut(ctx, worker(f.c), newKey(), attend(worker(f.c), f.c, a.ID, earning.Tick, r)); err != nil || u.Points != 1 {
			t.Fatalf("check-out: %+v %v", u, err)
		}
		h, _, err := ledger.History(ctx, d, f.c, r, "", 10)
		if err != nil || len(h) != 1 {
			t.Fatalf("History = %+v, %v", h, err)
		}
		want := civic.Msg("earning.reason.attendance", "河边清洁", int64(110))
		if h[0].Reason != "河边清洁 · 110 分钟" || !reflect.DeepEqual(h[0].ReasonMsg, want) {
			t.Errorf("reason %q %#v, want the text and %#v", h[0].Reason, h[0].ReasonMsg, want)
		}
		if got := i18n.Say(i18n.EN, h[0].ReasonMsg, h[0].Reason); got != "河边清洁 · 110 minutes" {
			t.Errorf("in English: %q", got)
		}
	})
}
