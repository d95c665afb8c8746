package ledger_test

import (
	"context"
	"testing"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/idem"
	"civicpoints/internal/ledger"
)

// commands is the ledger as app.New builds it: wired undos and an
// idempotency store over the group committer.
func commands(t *testing.T, d *db.DB, clock civic.Clock) *ledger.Service {
	t.Helper()
	b := db.NewBatcher(d, 4, 16)
	t.Cleanup(b.Close)
	lg := wired(d)
	lg.Idem = idem.New(d, b, clock)
	return lg
}

// Only a worker of the community (and the platform itself) reverses; every
// other role, and a worker of another community, is refused and moves
// nothing.
func TestReverseTransferRoles(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := dbtest.Community(t, d, "c")
		other := dbtest.Community(t, d, "other")
		r := residents(t, d, c, 1)[0]
		lg := commands(t, d, civic.SystemClock{})
		as := func(role civic.Role, community string) civic.Actor {
			return civic.Actor{UserID: "u-" + string(role), Name: string(role), Role: role, CommunityID: community}
		}
		self := as(civic.RoleResident, c)
		self.ResidentID = r // even the resident the points belong to
		tests := []struct {
			name string
			by   civic.Actor
			want civic.Code // "" = allowed
		}{
			{"resident", self, civic.Forbidden},
			{"clerk", as(civic.RoleClerk, c), civic.Forbidden},
			{"merchant", as(civic.RoleMerchant, c), civic.Forbidden},
			{"district", as(civic.RoleDistrict, ""), civic.Forbidden},
			{"admin", as(civic.RoleAdmin, ""), civic.Forbidden},
			{"worker of another community", as(civic.RoleWorker, other), civic.Forbidden},
			{"worker", as(civic.RoleWorker, c), ""},
			{"the platform", civic.System, ""},
		}
		for _, tt := range tests {
			a := award(t, d, c, r, 10)
			before := balance(t, d, c, r)
			_, err := lg.ReverseTransfer(ctx, tt.by, idem.Key("rev-"+tt.name), ledger.ReverseRequest{Community: c, Transfer: a.TransferID, Reason: "mistake"})
			moved := before - balance(t, d, c, r)
			if got := civic.ErrorCode(err); got != tt.want {
				t.Errorf("%s: %v, want code %q", tt.name, err, tt.want)
			}
			if want := map[bool]int64{true: 10, false: 0}[tt.want == ""]; moved != want {
				t.Errorf("%s: %d points reversed, want %d", tt.name, moved, want)
			}
		}
		mustCheck(t, d, c)
	})
}

// A reversal runs once per key: the same request again answers the first
// reversal, another request under the key is refused, a refusal can be
// corrected under its key, and the reversal carries the injected clock's time.
func TestReverseTransferOnce(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		at := time.Date(2026, 3, 2, 1, 30, 0, 0, time.UTC)
		d.Clock = civic.NewFixedClock(at)
		c := dbtest.Community(t, d, "c")
		r := residents(t, d, c, 1)[0]
		lg := commands(t, d, d.Clock)
		w := civic.Actor{UserID: "w1", Name: "worker", Role: civic.RoleWorker, CommunityID: c}
		a := award(t, d, c, r, 30)
		req := ledger.ReverseRequest{Community: c, Transfer: a.TransferID}
		if _, err := lg.ReverseTransfer(ctx, w, "k1", req); civic.ErrorCode(err) != civic.Invalid {
			t.Fatalf("no reason: %v, want invalid", err)
		}
		req.Reason = "wrong resident"
		first, err := lg.ReverseTransfer(ctx, w, "k1", req)
		if err != nil {
			t.Fatal(err)
		}
		rctx, replayed := idem.WithReplayFlag(ctx)
		padded := req
		padded.Reason = "  wrong resident "
		again, err := lg.ReverseTransfer(rctx, w, "k1", padded)
		if err != nil || again != first || !*replayed {
			t.Fatalf("replay = %+v, %v (replayed %v); want the first %+v", again, err, *replayed, first)
		}
		req.Reason = "another reason"
		if _, err := lg.ReverseTransfer(ctx, w, "k1", req); civic.ErrorCode(err) != civic.IdempotencyConflict {
			t.Fatalf("another request under the key: %v, want idempotency_conflict", err)
		}
		if _, err := lg.ReverseTransfer(ctx, w, "k2", req); civic.ErrorCode(err) != civic.Conflict {
			t.Fatalf("a second reversal under a new key: %v, want conflict", err)
		}
		if got := balance(t, d, c, r); got != 0 {
			t.Errorf("balance = %d, want 0 (one reversal)", got)
		}
		rev, err := ledger.GetTransfer(ctx, d, c, first.TransferID)
		if err != nil {
			t.Fatal(err)
		}
		if !rev.CreatedAt.Equal(at) || rev.IdemKey != "k1" || rev.ReversesID != a.TransferID {
			t.Errorf("reversal = %+v; want it at %v, under k1, reversing %s", rev, at, a.TransferID)
		}
		mustCheck(t, d, c)
	})
}

func balance(t *testing.T, d *db.DB, c, r string) int64 {
	t.Helper()
	a, err := ledger.GetAccount(context.Background(), d, c, r)
	if err != nil {
		t.Fatal(err)
	}
	return a.Balance
}
