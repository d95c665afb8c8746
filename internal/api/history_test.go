package api_test

import (
	"context"
	"fmt"
	"testing"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/ledger"
)

// The history answers with reasons in the caller's language when the system
// composed them, and as typed when a person did.
func TestHistoryReasonsFollowAcceptLanguage(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ctx := context.Background()
		rid := f.residents[0]
		typed := fmt.Sprintf(`{"resident_id":%q,"points":3,"indicator":"bench","reason":"调解邻里纠纷"}`, rid)
		if r := f.do(call{"POST", base + "/awards", f.worker, "k1", typed, ""}); r.status != 201 {
			t.Fatalf("award: %d %s", r.status, r.raw)
		}
		err := d.WithTx(ctx, func(tx *db.Tx) error {
			_, err := ledger.AwardPoints(ctx, tx, ledger.Award{CommunityID: f.scratch.CommunityID, ResidentID: rid, Points: 2,
				Indicator: "bench", Reason: "社区义诊 · 1 分钟", ReasonMsg: civic.Msg("earning.reason.attendance", "社区义诊", int64(1)), Actor: f.scratch.Worker})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		reasons := func(lang string) []string {
			t.Helper()
			r := f.do(call{"GET", base + "/residents/" + rid + "/history?limit=10", f.worker, "", "", lang})
			if r.status != 200 {
				t.Fatalf("history: %d %s", r.status, r.raw)
			}
			var out []string
			for _, it := range r.body["items"].([]any) {
				out = append(out, it.(map[string]any)["reason"].(string))
			}
			return out
		}
		if got, want := fmt.Sprint(reasons("en")), "[社区义诊 · 1 minute 调解邻里纠纷]"; got != want {
			t.Errorf("in English: %s, want %s", got, want)
		}
		if got, want := fmt.Sprint(reasons("zh-CN")), "[社区义诊 · 1 分钟 调解邻里纠纷]"; got != want {
			t.Errorf("in Chinese: %s, want %s", got, want)
		}
		if r := f.do(call{"GET", base + "/residents/" + rid + "/history", f.clerk, "", "", ""}); r.status != 403 {
			t.Errorf("a clerk read a resident's history: %d", r.status)
		}
		if r := f.do(call{"GET", base + "/residents/nobody/history", f.worker, "", "", ""}); r.status != 404 {
			t.Errorf("an unknown resident: %d", r.status)
		}
		if r := f.do(call{"GET", base + "/residents/" + rid + "/history?limit=500", f.worker, "", "", "en"}); r.status != 400 {
			t.Errorf("limit=500: %d", r.status)
		}
	})
}
