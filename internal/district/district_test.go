package district_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"civicpoints/internal/app"
	"civicpoints/internal/civic"
	"civicpoints/internal/config"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/district"
	"civicpoints/internal/idem"
)

// Two districts: each office sees and makes only its own communities; a
// new community comes with its first worker login, its password shown to
// the request that made it alone; a slug is one community, in one district.
func TestDistrictsSeeOnlyTheirOwn(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		a := app.New(&config.Config{}, d, civic.NewFixedClock(time.Date(2025, 6, 1, 4, 0, 0, 0, time.UTC)), slog.New(slog.NewTextHandler(io.Discard, nil)))
		t.Cleanup(a.Batch.Close)
		a.Auth.Params.Memory, a.Auth.Params.Time = 1024, 1
		mk := func(slug, name string) district.District {
			dt, err := a.District.CreateDistrict(ctx, civic.System, idem.Key("d-"+slug), district.CreateDistrictRequest{Slug: slug, Name: name})
			if err != nil {
				t.Fatal(err)
			}
			return dt
		}
		qj, kc := mk("qujiang", "衢江区"), mk("kecheng", "柯城区")
		if again, err := a.District.CreateDistrict(ctx, civic.System, idem.Key("d-again"), district.CreateDistrictRequest{Slug: "qujiang", Name: "衢江区"}); err != nil || again.ID != qj.ID {
			t.Errorf("creating qujiang again = %+v, %v; want the same district", again, err)
		}
		office := civic.Actor{UserID: "du", Name: "衢江区信用办", Role: civic.RoleDistrict, DistrictID: qj.ID}
		other := civic.Actor{UserID: "dk", Name: "柯城区信用办", Role: civic.RoleDistrict, DistrictID: kc.ID}
		req := district.CreateCommunityRequest{District: qj.ID, Slug: "chunjiang", Name: "春江社区", PointsName: "春江分",
			Worker: &district.WorkerLogin{Username: "cj-worker", Name: "春江社工"}}
		k := idem.Key("new-chunjiang")
		first, err := a.District.CreateCommunity(ctx, office, k, req)
		if err != nil || first.Password == "" || first.Username != "cj-worker" || first.Community.DistrictID != qj.ID {
			t.Fatalf("CreateCommunity = %+v, %v", first, err)
		}
		u, err := a.Auth.UserByUsername(ctx, "cj-worker")
		if err != nil || u.CommunityID != first.Community.ID || u.Role != civic.RoleWorker {
			t.Errorf("worker login = %+v, %v", u, err)
		}
		if _, err := a.Auth.Login(ctx, "cj-worker", first.Password, "127.0.0.1"); err != nil {
			t.Errorf("the shown password does not log in: %v", err)
		}
		replay, err := a.District.CreateCommunity(ctx, office, k, req)
		if err != nil || replay.Password != "" || replay.Fresh || replay.Community.ID != first.Community.ID {
			t.Errorf("replay = %+v, %v; want the community without the password", replay, err)
		}
		req.Worker = nil
		if again, err := a.District.CreateCommunity(ctx, office, idem.Key("again"), req); err != nil || !again.Existed || again.Community.ID != first.Community.ID {
			t.Errorf("the slug again = %+v, %v; want it to exist", again, err)
		}
		kreq := req
		kreq.District = kc.ID
		if _, err := a.District.CreateCommunity(ctx, other, idem.Key("steal"), kreq); civic.AsError(err) == nil || civic.AsError(err).Key != "district.community_elsewhere" {
			t.Errorf("kecheng takes chunjiang's slug: %v", err)
		}
		if _, err := a.District.CreateCommunity(ctx, other, idem.Key("into-qj"), district.CreateCommunityRequest{District: qj.ID, Slug: "x1",
			Name: "x", PointsName: "分"}); civic.ErrorCode(err) != civic.Forbidden {
			t.Errorf("kecheng makes a community in qujiang: %v", err)
		}
		for _, by := range []civic.Actor{{UserID: "w", Role: civic.RoleWorker, CommunityID: first.Community.ID}, {UserID: "r", Role: civic.RoleResident}} {
			if _, err := a.District.CreateCommunity(ctx, by, idem.Key("by-"+by.UserID), district.CreateCommunityRequest{District: qj.ID, Slug: "x2",
				Name: "x", PointsName: "分"}); civic.ErrorCode(err) != civic.Forbidden {
				t.Errorf("a %s makes a community: %v", by.Role, err)
			}
		}
		if cs, err := a.District.Communities(ctx, office, qj.ID); err != nil || len(cs) != 1 || cs[0].Slug != "chunjiang" {
			t.Errorf("qujiang's communities = %+v, %v", cs, err)
		}
		if _, err := a.District.Communities(ctx, other, qj.ID); civic.ErrorCode(err) != civic.Forbidden {
			t.Errorf("kecheng lists qujiang's communities: %v", err)
		}
		if cs, err := a.District.Communities(ctx, other, kc.ID); err != nil || len(cs) != 0 {
			t.Errorf("kecheng's communities = %+v, %v", cs, err)
		}
		if ok, _ := a.District.Sees(ctx, other, first.Community.ID); ok {
			t.Error("kecheng's office sees chunjiang")
		}
		if ok, _ := a.District.Sees(ctx, office, first.Community.ID); !ok {
			t.Error("qujiang's office does not see chunjiang")
		}
		// A community made the old way (a district name only) joins the
		// district of that name.
		var joined string
		if _, err := d.Exec(ctx, "INSERT INTO communities (id, slug, name, district, points_name, created_at) VALUES ('old1', 'old', '旧社区', '柯城区', '分', 0)"); err != nil {
			t.Fatal(err)
		}
		if err := d.QueryRow(ctx, "SELECT district_id FROM communities WHERE id = 'old1'").Scan(&joined); err != nil || joined != kc.ID {
			t.Errorf("an old-style community joined %q (%v), want kecheng", joined, err)
		}
	})
}
