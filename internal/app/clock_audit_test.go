package app_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"civicpoints/internal/app"
	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/config"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/ledger"
)

// With a fixed clock, every audit entry (a sensitive read, an admin's
// change, a token made for the API) and a reversal carry the clock's time,
// not the wall clock's.
func TestAuditAndReversalTimesAreTheClock(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		at := time.Date(2025, 8, 1, 1, 2, 3, 0, time.UTC)
		a := app.New(&config.Config{Lang: "en", SecretKey: "clock-audit-test-secret-0123456789abcdef"}, d, civic.NewFixedClock(at),
			slog.New(slog.NewTextHandler(io.Discard, nil)))
		defer a.Batch.Close()
		a.Auth.Params = auth.PasswordParams{Memory: 1024, Time: 1, Threads: 1}
		sc, err := a.ScratchCommunity(ctx, "clock", 1)
		if err != nil {
			t.Fatal(err)
		}
		r := sc.Residents[0]
		if _, err := a.Registry.OpenRecord(ctx, sc.Worker, sc.CommunityID, r, "home visit"); err != nil {
			t.Fatal(err)
		}
		admin := civic.Actor{UserID: "a1", Name: "admin", Role: civic.RoleAdmin}
		if _, err := a.Auth.AddUser(ctx, admin, "add-1", auth.AddUserRequest{Community: sc.CommunityID, Username: "clerk1", Name: "clerk",
			Role: civic.RoleClerk, Password: auth.NewPassword{Generate: true}}); err != nil {
			t.Fatal(err)
		}
		var award ledger.Result
		err = d.WithTx(ctx, func(tx *db.Tx) (err error) {
			award, err = ledger.AwardPoints(ctx, tx, ledger.Award{CommunityID: sc.CommunityID, ResidentID: r, Points: 5, Reason: "help", Actor: sc.Worker})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		rev, err := a.Ledger.ReverseTransfer(ctx, sc.Worker, "rev-1", ledger.ReverseRequest{Community: sc.CommunityID, Transfer: award.TransferID, Reason: "mistake"})
		if err != nil {
			t.Fatal(err)
		}
		var entries, off int
		if err := d.QueryRow(ctx, "SELECT COUNT(*), COALESCE(SUM(CASE WHEN at <> $1 THEN 1 ELSE 0 END), 0) FROM audit_log", db.Millis(at)).Scan(&entries, &off); err != nil {
			t.Fatal(err)
		}
		if entries < 3 || off != 0 {
			t.Errorf("%d audit entries, %d not at the clock's time; want at least 3 (a read, a user, the scratch token), all at %v", entries, off, at)
		}
		if got, err := ledger.GetTransfer(ctx, d, sc.CommunityID, rev.TransferID); err != nil || !got.CreatedAt.Equal(at) {
			t.Errorf("reversal at %v (%v), want %v", got.CreatedAt, err, at)
		}
	})
}
