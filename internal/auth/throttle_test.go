package auth_test

import (
	"context"
	"fmt"
	"testing"

	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
)

// A stranger guessing at a worker's account is slowed down, from their own
// address, but does not lock the worker out: the owner logs in from theirs.
func TestStrangerCannotLockOutTheOwner(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		s, _ := newService(t, d)
		c := dbtest.Community(t, d, "c1")
		u := createUser(t, s, auth.NewUser{CommunityID: c, Username: "wang", Password: "password-1", Role: civic.RoleWorker})
		// Ten failures from one address and five from each of two others:
		// the account limit of old (5) three times over.
		for i := range 10 {
			if _, err := s.Login(ctx, "wang", "guess", "203.0.113.9"); i < 5 && civic.ErrorCode(err) != civic.Unauthenticated {
				t.Fatalf("guess %d: %v", i+1, err)
			}
		}
		for _, ip := range []string{"203.0.113.10", "203.0.113.11"} {
			for range 5 {
				_, _ = s.Login(ctx, "wang", "guess", ip)
			}
		}
		if _, err := s.Login(ctx, "wang", "password-1", "203.0.113.9"); civic.ErrorCode(err) != civic.TooManyRequests {
			t.Errorf("the guessing address is not slowed down: %v", err)
		}
		if until, err := s.LockedUntil(ctx, u.ID); err != nil || until.IsZero() {
			t.Errorf("LockedUntil = %v, %v: want the lock from the guessing address shown to the admin", until, err)
		}
		if u, err := s.Login(ctx, "wang", "password-1", "198.51.100.1"); err != nil || u.Username != "wang" {
			t.Fatalf("the owner, from their own address, is locked out: %v", err)
		}
	})
}

// Guessing spread over many addresses locks the account itself, after many
// more failures than one person makes; an admin unlocks it, in the audit log.
func TestAccountLockAndAdminUnlock(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		s, _ := newService(t, d)
		c := dbtest.Community(t, d, "c1")
		u := createUser(t, s, auth.NewUser{CommunityID: c, Username: "Wang", Password: "password-1", Role: civic.RoleWorker})
		if s.AccountLimit < 4*s.PairLimit {
			t.Fatalf("AccountLimit %d is not well above PairLimit %d", s.AccountLimit, s.PairLimit)
		}
		for i := range s.AccountLimit {
			_, _ = s.Login(ctx, "Wang", "guess", fmt.Sprintf("10.9.%d.%d", i/250, i%250))
		}
		if until, err := s.LockedUntil(ctx, u.ID); err != nil || until.IsZero() {
			t.Fatalf("LockedUntil = %v, %v: want the account locked", until, err)
		}
		if _, err := s.Login(ctx, "Wang", "password-1", "198.51.100.1"); civic.ErrorCode(err) != civic.TooManyRequests {
			t.Fatalf("a widely guessed account is not locked: %v", err)
		}
		admin := civic.Actor{UserID: "a1", Name: "管理员", Role: civic.RoleAdmin}
		if _, err := s.Unlock(ctx, admin, "unlock-1", auth.UnlockRequest{User: u.ID, Reason: "本人来电确认"}); err != nil {
			t.Fatal(err)
		}
		if until, err := s.LockedUntil(ctx, u.ID); err != nil || !until.IsZero() {
			t.Errorf("after unlocking: LockedUntil = %v, %v", until, err)
		}
		if _, err := s.Login(ctx, "Wang", "password-1", "198.51.100.1"); err != nil {
			t.Fatalf("after the admin unlocked: %v", err)
		}
		if _, err := s.Unlock(ctx, admin, "unlock-2", auth.UnlockRequest{User: "nobody", Reason: "?"}); civic.ErrorCode(err) != civic.NotFound {
			t.Errorf("unlocking an unknown user: %v", err)
		}
	})
}
