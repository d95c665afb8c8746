package earning_test

import (
	"testing"
	"time"

	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/earning"
)

func TestSeedDemo(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		f := setup(t, d, 40)
		for range 2 { // the second run changes nothing
			if err := earning.SeedDemo(ctx, f.s, f.c, f.ids); err != nil {
				t.Fatal(err)
			}
		}
		acts, _, err := f.s.Activities(ctx, f.c, time.Time{}, false, "", 200)
		if err != nil || len(acts) < 10 {
			t.Fatalf("activities = %d, %v; want several months' worth", len(acts), err)
		}
		if got := f.balance(t, f.ids[0]); got < 20 {
			t.Fatalf("demo resident balance = %d, want a good few points", got)
		}
		gs, _ := f.s.Suggestions(ctx, f.c, "adopted", 10)
		if len(gs) != 1 || gs[0].Points != 50 || gs[0].Title != "江滨健身步道增设无障碍通道" {
			t.Fatalf("adopted suggestions = %+v", gs)
		}
		if q, _ := f.s.Queue(ctx, f.c, 50); len(q) == 0 {
			t.Fatal("no recent forgotten check-outs in the queue")
		}
	})
}
