package earning_test

import (
	"sync"
	"testing"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/earning"
)

// The hours form's two fields make one length only when each is in range.
func TestHoursMinutes(t *testing.T) {
	tests := []struct {
		hours, minutes, want int64
		key                  string
	}{
		{1, 30, 90, ""},
		{0, 1, 1, ""},
		{12, 0, 720, ""},
		{0, 59, 59, ""},
		{0, 75, 0, "earning.bad_minute_part"},
		{2, -30, 0, "earning.bad_minute_part"},
		{-1, 90, 0, "earning.bad_hours"},
		{13, 0, 0, "earning.bad_hours"},
		{0, 0, 0, "earning.bad_minutes"},
		{12, 1, 0, "earning.bad_minutes"},
	}
	for _, tt := range tests {
		got, err := earning.HoursMinutes(tt.hours, tt.minutes)
		if e := civic.AsError(err); got != tt.want || (tt.key == "" && err != nil) || (tt.key != "" && (e == nil || e.Key != tt.key)) {
			t.Errorf("HoursMinutes(%d, %d) = %d, %v; want %d, %q", tt.hours, tt.minutes, got, err, tt.want, tt.key)
		}
	}
}

// The same service reported again (whatever the key) is refused while the
// first report waits or after it was approved, so a worker never pays it
// twice; another description, day or length is a new report, and a rejected
// report may be sent again. Two copies sent at once make one claim.
func TestSameHoursReportRefused(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		f := setup(t, d, 2)
		r := f.ids[0]
		me := resident(f.c, r)
		report := func(minutes int64, day, text string) (earning.Claim, error) {
			return f.s.ReportHours(ctx, me, newKey(), earning.HoursRequest{Community: f.c, Resident: r, Indicator: earning.VolunteerHours, Minutes: minutes, Day: day, Evidence: text})
		}
		first, err := report(90, "2024-05-14", "帮独居老人买菜，送到 3 幢")
		if err != nil {
			t.Fatal(err)
		}
		_, err = report(90, "2024-05-14", "帮独居老人买菜，送到 3 幢")
		wantKey(t, err, "earning.claim_same_pending")
		_, err = report(90, "2024-05-14", "  帮独居老人买菜 送到３幢。 ")
		wantKey(t, err, "earning.claim_same_pending")
		for _, other := range []struct {
			minutes int64
			day     string
			text    string
		}{{90, "2024-05-14", "下午：帮独居老人买菜，送到 3 幢"}, {90, "2024-05-13", "帮独居老人买菜，送到 3 幢"}, {60, "2024-05-14", "帮独居老人买菜，送到 3 幢"}} {
			if _, err := report(other.minutes, other.day, other.text); err != nil {
				t.Errorf("a different report (%d min, %s, %q) was refused: %v", other.minutes, other.day, other.text, err)
			}
		}
		if _, err := f.s.Decide(ctx, worker(f.c), newKey(), earning.DecideRequest{Community: f.c, Claim: first.ID, Approve: true}); err != nil {
			t.Fatal(err)
		}
		_, err = report(90, "2024-05-14", "帮独居老人买菜，送到 3 幢")
		wantKey(t, err, "earning.claim_same_approved")

		second, err := report(45, "2024-05-12", "Library corner duty")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Decide(ctx, worker(f.c), newKey(), earning.DecideRequest{Community: f.c, Claim: second.ID, Reason: "当天没有排班记录"}); err != nil {
			t.Fatal(err)
		}
		if _, err := report(45, "2024-05-12", "library corner duty"); err != nil {
			t.Errorf("a rejected report sent again was refused: %v", err)
		}

		other := f.ids[1]
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = f.s.ReportHours(ctx, resident(f.c, other), newKey(), earning.HoursRequest{Community: f.c, Resident: other, Indicator: earning.VolunteerHours, Minutes: 30, Day: "2024-05-15", Evidence: "扫楼道"})
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else if e := civic.AsError(err); e == nil || e.Key != "earning.claim_same_pending" {
				t.Errorf("a copy sent at once: %v", err)
			}
		}
		claims, err := f.s.ClaimsOf(ctx, f.c, other)
		if err != nil {
			t.Fatal(err)
		}
		if ok != 1 || len(claims) != 1 {
			t.Errorf("four copies at once: %d accepted, %d claims; want 1 and 1", ok, len(claims))
		}
	})
}
