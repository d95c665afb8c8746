package auth_test

import (
	"context"
	"testing"

	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
)

func TestListUsersPagesAndFilters(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, _ := newService(t, d)
		var want []string
		for i, role := range []civic.Role{civic.RoleWorker, civic.RoleClerk, civic.RoleWorker, civic.RoleWorker, civic.RoleMerchant} {
			u := createUser(t, s, auth.NewUser{CommunityID: "c1", Username: "u" + string(rune('a'+i)), Password: "pass-word-1", Role: role})
			if role == civic.RoleWorker {
				want = append([]string{u.ID}, want...) // newest first
			}
		}
		createUser(t, s, auth.NewUser{CommunityID: "c2", Username: "other", Password: "pass-word-1", Role: civic.RoleWorker})
		createUser(t, s, auth.NewUser{Username: "boss", Password: "pass-word-1", Role: civic.RoleAdmin})

		var got []string
		after := ""
		for page := 0; page < 5; page++ {
			us, next, err := s.ListUsers(ctx, auth.UserFilter{Community: "c1", Role: civic.RoleWorker, After: after, Limit: 2})
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range us {
				got = append(got, u.ID)
			}
			if next == "" {
				break
			}
			after = next
		}
		if len(got) != len(want) {
			t.Fatalf("workers of c1 = %v, want %v", got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("workers of c1 = %v, want %v (newest first)", got, want)
			}
		}
		cases := []struct {
			f    auth.UserFilter
			want int
		}{
			{auth.UserFilter{Community: "c1"}, 5},
			{auth.UserFilter{}, 1}, // installation users: the admin
			{auth.UserFilter{AllCommunities: true}, 7},
			{auth.UserFilter{AllCommunities: true, Role: civic.RoleWorker}, 4},
		}
		for _, c := range cases {
			us, next, err := s.ListUsers(ctx, c.f)
			if err != nil || len(us) != c.want || next != "" {
				t.Errorf("ListUsers(%+v) = %d users, next %q, %v; want %d", c.f, len(us), next, err, c.want)
			}
		}
		if _, _, err := s.ListUsers(ctx, auth.UserFilter{Role: "king"}); civic.ErrorCode(err) != civic.Invalid {
			t.Errorf("unknown role: %v", err)
		}
	})
}

func TestPasswordStrength(t *testing.T) {
	t.Parallel()
	cases := []struct{ user, pw, key string }{
		{"li", "short1", "auth.password_short"},
		{"li", "12345678", "auth.password_weak"},
		{"li", "password123", "auth.password_weak"},
		{"zhangsan", "zhangsan-2024", "auth.password_weak"},
		{"li", "aaaaaaa1", "auth.password_weak"},
		{"li", "abcdefghij", "auth.password_weak"},
		{"li", "chun-jiang-7", ""},
	}
	for _, c := range cases {
		err := auth.CheckPasswordStrength(c.user, c.pw)
		got := ""
		if e := civic.AsError(err); e != nil {
			got = e.Key
		}
		if got != c.key {
			t.Errorf("CheckPasswordStrength(%q, %q) = %v, want %q", c.user, c.pw, err, c.key)
		}
	}
	for i := 0; i < 20; i++ {
		if p := auth.GeneratePassword(); auth.CheckPasswordStrength("", p) != nil || len(p) != 12 {
			t.Fatalf("generated %q", p)
		}
	}
}

func TestAdminWritesInOneTransaction(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, _ := newService(t, d)
		hash, err := s.HashNewPassword("first-pass-1")
		if err != nil {
			t.Fatal(err)
		}
		var u auth.User
		err = d.WithTx(ctx, func(tx *db.Tx) (err error) {
			u, err = s.CreateUserHashed(ctx, tx, auth.NewUser{CommunityID: "c1", Username: "li", Name: "李", Role: civic.RoleWorker,
				Grants: []string{auth.GrantRedGroup}}, hash)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Login(ctx, "li", "first-pass-1", "10.0.0.1"); err != nil {
			t.Fatalf("login with the first password: %v", err)
		}
		refused := []auth.NewUser{
			{CommunityID: "c1", Username: "li", Role: civic.RoleWorker},
			{Username: "wang", Role: civic.RoleClerk},
			{CommunityID: "c1", Username: "zhao", Role: civic.RoleResident},
		}
		for _, nu := range refused {
			err := d.WithTx(ctx, func(tx *db.Tx) error {
				_, err := s.CreateUserHashed(ctx, tx, nu, hash)
				return err
			})
			if civic.AsError(err) == nil {
				t.Errorf("CreateUserHashed(%+v) = %v, want a refusal", nu, err)
			}
		}
		// A write whose transaction fails leaves nothing behind.
		h2, _ := s.HashNewPassword("second-pass-2")
		_ = d.WithTx(ctx, func(tx *db.Tx) error {
			if _, err := s.SetPasswordHash(ctx, tx, u.ID, h2); err != nil {
				return err
			}
			return civic.Errorf(civic.Invalid, "x", "abort")
		})
		if _, err := s.Login(ctx, "li", "first-pass-1", "10.0.0.1"); err != nil {
			t.Fatalf("a rolled-back reset changed the password: %v", err)
		}
		err = d.WithTx(ctx, func(tx *db.Tx) error {
			_, err := s.SetPasswordHash(ctx, tx, u.ID, h2)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Login(ctx, "li", "second-pass-2", "10.0.0.1"); err != nil {
			t.Fatalf("login after reset: %v", err)
		}
		err = d.WithTx(ctx, func(tx *db.Tx) error {
			_, err := s.SetDisabledTx(ctx, tx, u.ID, true)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Login(ctx, "li", "second-pass-2", "10.0.0.1"); civic.ErrorCode(err) != civic.Unauthenticated {
			t.Fatalf("disabled user logged in: %v", err)
		}
		if err := d.WithTx(ctx, func(tx *db.Tx) error { _, err := s.SetDisabledTx(ctx, tx, "nope", true); return err }); civic.ErrorCode(err) != civic.NotFound {
			t.Errorf("disable unknown user: %v", err)
		}

		var tok auth.Token
		var plain string
		err = d.WithTx(ctx, func(tx *db.Tx) (err error) {
			tok, plain, err = s.CreateTokenTx(ctx, tx, "c1", civic.RoleWorker, "  e-gov bridge ")
			return err
		})
		if err != nil || tok.Name != "e-gov bridge" {
			t.Fatalf("CreateTokenTx = %+v, %v", tok, err)
		}
		if a, err := s.VerifyToken(ctx, plain); err != nil || a.UserID != tok.ID {
			t.Fatalf("VerifyToken = %+v, %v", a, err)
		}
		revoke := func() error {
			return d.WithTx(ctx, func(tx *db.Tx) error { _, err := s.RevokeTokenTx(ctx, tx, "c1", tok.ID); return err })
		}
		if err := revoke(); err != nil {
			t.Fatal(err)
		}
		if _, err := s.VerifyToken(ctx, plain); civic.ErrorCode(err) != civic.Unauthenticated {
			t.Fatalf("revoked token verified: %v", err)
		}
		if err := revoke(); civic.ErrorCode(err) != civic.NotFound {
			t.Errorf("second revoke: %v", err)
		}
		if got, err := s.TokenByID(ctx, d, "c1", tok.ID); err != nil || got.RevokedAt.IsZero() {
			t.Errorf("TokenByID = %+v, %v", got, err)
		}
	})
}
