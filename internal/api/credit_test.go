package api_test

import (
	"context"
	"fmt"
	"testing"

	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/district"
	"civicpoints/internal/idem"
)

// The account adds the level's name (in the request's language) and the
// next level, null at the top; a district token reads its own district's
// communities and is refused another district's.
func TestAccountLevelAndDistrictScope(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		f := setup(t, d)
		a := f.app
		base := "/api/v1/communities/chunjiang"
		r0 := f.residents[0]
		got := f.do(call{"GET", base + "/residents/" + r0 + "/account", f.district, "", "", ""})
		next, _ := got.body["next_level"].(map[string]any)
		if got.status != 200 || got.body["level"] != "basic" || got.body["level_name"] != "基础" || next["code"] != "good" ||
			next["name"] != "良好" || next["credit_points_needed"] != float64(5) {
			t.Fatalf("account = %d %s", got.status, got.raw)
		}
		for i := range 7 { // 700 points: 35 credit points, the top (模范 from 30)
			award := fmt.Sprintf(`{"resident_id":%q,"points":100,"indicator":"bench","reason":"志愿服务"}`, r0)
			if res := f.do(call{"POST", base + "/awards", f.worker, fmt.Sprintf("top-%d", i), award, ""}); res.status != 201 {
				t.Fatalf("award: %d %s", res.status, res.raw)
			}
		}
		got = f.do(call{"GET", base + "/residents/" + r0 + "/account", f.district, "", "", "en"})
		if got.status != 200 || got.body["level"] != "model" || got.body["level_name"] != "Model" || got.body["credit_points"] != float64(35) {
			t.Errorf("at the top = %d %s", got.status, got.raw)
		}
		if v, ok := got.body["next_level"]; !ok || v != nil {
			t.Errorf("next_level at the top = %v (present %v), want null", v, ok)
		}

		east, err := a.District.CreateDistrict(ctx, civic.System, idem.Key("east"), district.CreateDistrictRequest{Slug: "kecheng", Name: "柯城区"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.District.CreateCommunity(ctx, civic.System, idem.Key("east-c"), district.CreateCommunityRequest{District: east.ID,
			Slug: "fuqian", Name: "府前社区", PointsName: "府前分"}); err != nil {
			t.Fatal(err)
		}
		tk, err := a.Auth.CreateToken(ctx, civic.System, idem.Key("east-token"), auth.CreateTokenRequest{District: east.ID, Role: civic.RoleDistrict, Name: "柯城区数据交换"})
		if err != nil {
			t.Fatal(err)
		}
		refused := f.do(call{"GET", base + "/residents/" + r0 + "/account", tk.Secret, "", "", ""})
		if refused.status != 403 || errCode(refused) != "forbidden" {
			t.Errorf("another district's token = %d %s", refused.status, refused.raw)
		}
		if got := f.do(call{"GET", "/api/v1/communities/fuqian/ledger/check", tk.Secret, "", "", ""}); got.status != 200 {
			t.Errorf("its own district's community = %d %s", got.status, got.raw)
		}
		if got := f.do(call{"GET", "/api/v1/communities/fuqian/ledger/check", f.district, "", "", ""}); got.status != 403 {
			t.Errorf("chunjiang's district token on fuqian = %d %s", got.status, got.raw)
		}
	})
}
