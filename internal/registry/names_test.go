package registry

import (
	"context"
	"testing"

	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
)

// Masked names come by id in one call; an id from nowhere is left out.
func TestMaskedNames(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		f := setup(t, d)
		var ids []string
		for _, name := range []string{"毛小波", "李四"} {
			id, err := f.s.CreateResident(ctx, f.worker, f.c, NewResident{HouseholdID: f.home.ID, Name: name, Gender: "女", BirthDate: "1990-01-01"})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		got, err := f.s.MaskedNames(ctx, f.c, append(ids, "nobody"))
		if err != nil || len(got) != 2 || got[ids[0]] != "毛*波" || got[ids[1]] != "李*" {
			t.Fatalf("masked names = %v, %v", got, err)
		}
		if other, err := f.s.MaskedNames(ctx, "another community", ids); err != nil || len(other) != 0 {
			t.Errorf("another community's names = %v, %v; want none", other, err)
		}
	})
}
