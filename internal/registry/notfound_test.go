package registry

import (
	"context"
	"testing"

	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/i18n"
)

// A missing resident, household or estate is named in the user's language
// with its id, and nothing else (the award page once printed
// "本社区没有居民 resident%!(EXTRA string=…)").
func TestNotFoundMessages(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		f := setup(t, d)
		_, err := f.s.Resident(ctx, f.worker, f.c, "R404")
		_, herr := f.s.household(ctx, f.c, "H404")
		_, eerr := f.s.EstateByName(ctx, f.c, "无名小区")
		tests := []struct {
			err  error
			lang i18n.Lang
			want string
		}{
			{err, i18n.ZH, "本社区没有居民 R404"},
			{err, i18n.EN, "No resident R404 in this community"},
			{herr, i18n.ZH, "本社区没有户 H404"},
			{eerr, i18n.EN, "No estate 无名小区 in this community"},
		}
		for _, tt := range tests {
			if got := i18n.Error(tt.lang, tt.err); got != tt.want {
				t.Errorf("%v in %s: %q, want %q", tt.err, tt.lang, got, tt.want)
			}
		}
	})
}
