package registry

import (
	"context"
	"fmt"
	"testing"

	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/idem"
)

// A list's masked names come from one query per few hundred ids: residents
// of the community are named, unknown ids (and other communities'
// residents) are left out, however long the list.
func TestMaskedNames(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		f := setup(t, d)
		var known []string
		for _, name := range []string{"毛小波", "王芳", "欧阳春华"} {
			ch, err := f.s.CreateResident(ctx, f.worker, idem.Key("names-"+name), CreateResidentRequest{Community: f.c,
				NewResident: NewResident{HouseholdID: f.home.ID, Name: name, Gender: "女", BirthDate: "1960-05-01", Relation: "户主"}})
			if err != nil {
				t.Fatal(err)
			}
			known = append(known, ch.ID)
		}
		other := setup(t, d)
		made, err := other.s.CreateResident(ctx, other.worker, "names-stranger", CreateResidentRequest{Community: other.c,
			NewResident: NewResident{HouseholdID: other.home.ID, Name: "李四", Gender: "男", BirthDate: "1958-01-01", Relation: "户主"}})
		if err != nil {
			t.Fatal(err)
		}
		stranger := made.ID
		ids := []string{known[0], stranger}
		for i := range 2*namesPerQuery + 200 {
			ids = append(ids, fmt.Sprintf("R%05d", i))
			if i == namesPerQuery {
				ids = append(ids, known[1])
			}
		}
		ids = append(ids, known[2])
		got, err := f.s.MaskedNames(ctx, f.c, ids)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{known[0]: MaskName("毛小波"), known[1]: MaskName("王芳"), known[2]: MaskName("欧阳春华")}
		if len(got) != len(want) {
			t.Errorf("%d names, want %d: %v", len(got), len(want), got)
		}
		for id, name := range want {
			if got[id] != name {
				t.Errorf("%s: %q, want %q", id, got[id], name)
			}
		}
	})
}
