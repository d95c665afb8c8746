package ledger_test

import (
	"context"
	"reflect"
	"testing"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/ledger"
)

// A composed reason is stored as its key and arguments beside its text and
// read back exactly (integers as int64); a typed reason has no message. The
// column is append-only like the rest of the row.
func TestReasonMessageRoundTrip(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		c := dbtest.Community(t, d, "reasons")
		r := residents(t, d, c, 1)[0]
		typed := award(t, d, c, r, 3)
		msg := civic.Msg("earning.reason.attendance", "社区义诊", int64(170))
		var composed ledger.Result
		err := d.WithTx(ctx, func(tx *db.Tx) (err error) {
			composed, err = ledger.AwardPoints(ctx, tx, ledger.Award{CommunityID: c, ResidentID: r, Points: 2, Indicator: "volunteer_hours",
				Reason: "社区义诊 · 170 分钟", ReasonMsg: msg, Actor: worker})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		h, _, err := ledger.History(ctx, d, c, r, "", 10)
		if err != nil || len(h) != 2 {
			t.Fatalf("History = %+v, %v", h, err)
		}
		got := map[string]ledger.HistoryEntry{h[0].TransferID: h[0], h[1].TransferID: h[1]}
		if e := got[composed.TransferID]; e.Reason != "社区义诊 · 170 分钟" || !reflect.DeepEqual(e.ReasonMsg, msg) {
			t.Errorf("composed reason read back as %q %#v, want %#v", e.Reason, e.ReasonMsg, msg)
		}
		if e := got[typed.TransferID]; e.Reason != "riverside clean-up" || !e.ReasonMsg.IsZero() {
			t.Errorf("typed reason read back as %q %#v", e.Reason, e.ReasonMsg)
		}
		_, err = d.Exec(ctx, "UPDATE ledger_transfers SET reason_msg = '' WHERE community_id = $1", c)
		if !db.ErrorIs(err, db.ErrAppendOnly) && civic.ErrorCode(err) != civic.Forbidden {
			t.Errorf("rewriting a reason message: %v, want append-only", err)
		}
		// An argument that would not read back the same is refused.
		err = d.WithTx(ctx, func(tx *db.Tx) error {
			_, err := ledger.AwardPoints(ctx, tx, ledger.Award{CommunityID: c, ResidentID: r, Points: 1, Indicator: "volunteer_hours",
				Reason: "x", ReasonMsg: civic.Msg("earning.reason.attendance", "x", 1.5), Actor: worker})
			return err
		})
		if err == nil {
			t.Errorf("a float argument was stored")
		}
	})
}
