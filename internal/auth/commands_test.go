package auth_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/idem"
)

func count(t *testing.T, d *db.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Only an admin (or the platform itself) runs the account commands; any
// other role, of the community or not, is refused and changes nothing (each
// change is audited in its own transaction, so the audit log tells).
func TestAdminCommandsRoles(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		s, _ := newService(t, d)
		c := dbtest.Community(t, d, "c1")
		other := dbtest.Community(t, d, "c2")
		target := createUser(t, s, auth.NewUser{CommunityID: c, Username: "li", Name: "李", Password: "first-pass-1", Role: civic.RoleWorker})
		as := func(role civic.Role, community string) civic.Actor {
			return civic.Actor{UserID: "u-" + string(role) + community, Name: string(role), Role: role, CommunityID: community}
		}
		actors := []struct {
			name    string
			by      civic.Actor
			allowed bool
		}{
			{"resident", civic.Actor{UserID: "u-r", Role: civic.RoleResident, CommunityID: c, ResidentID: "r1"}, false},
			{"worker", as(civic.RoleWorker, c), false},
			{"clerk", as(civic.RoleClerk, c), false},
			{"merchant", as(civic.RoleMerchant, c), false},
			{"district", as(civic.RoleDistrict, ""), false},
			{"worker of another community", as(civic.RoleWorker, other), false},
			{"admin", as(civic.RoleAdmin, ""), true},
			{"the platform", civic.System, true},
		}
		var spare []string // a live token for each actor to revoke
		for i := range actors {
			ct, err := s.CreateToken(ctx, civic.System, idem.Key(fmt.Sprintf("spare-%d", i)), auth.CreateTokenRequest{Community: c, Role: civic.RoleClerk, Name: "spare"})
			if err != nil {
				t.Fatal(err)
			}
			spare = append(spare, ct.ID)
		}
		commands := []struct {
			name string
			run  func(by civic.Actor, key idem.Key, i int) error
		}{
			{"add user", func(by civic.Actor, key idem.Key, i int) error {
				_, err := s.AddUser(ctx, by, key, auth.AddUserRequest{Community: c, Username: "new-" + string(key), Name: "新", Role: civic.RoleClerk,
					Password: auth.NewPassword{Generate: true}})
				return err
			}},
			{"reset password", func(by civic.Actor, key idem.Key, i int) error {
				_, err := s.ResetPassword(ctx, by, key, auth.ResetPasswordRequest{User: target.ID, Password: auth.NewPassword{Generate: true}, Reason: "忘记密码"})
				return err
			}},
			{"disable", func(by civic.Actor, key idem.Key, i int) error {
				_, err := s.SetAccess(ctx, by, key, auth.AccessRequest{User: target.ID, Disabled: true, Reason: "离职"})
				return err
			}},
			{"enable", func(by civic.Actor, key idem.Key, i int) error {
				_, err := s.SetAccess(ctx, by, key, auth.AccessRequest{User: target.ID, Reason: "返岗"})
				return err
			}},
			{"unlock", func(by civic.Actor, key idem.Key, i int) error {
				_, err := s.Unlock(ctx, by, key, auth.UnlockRequest{User: target.ID, Reason: "本人来电"})
				return err
			}},
			{"create token", func(by civic.Actor, key idem.Key, i int) error {
				_, err := s.CreateToken(ctx, by, key, auth.CreateTokenRequest{Community: c, Role: civic.RoleWorker, Name: "bridge"})
				return err
			}},
			{"revoke token", func(by civic.Actor, key idem.Key, i int) error {
				_, err := s.RevokeToken(ctx, by, key, auth.RevokeTokenRequest{Community: c, Token: spare[i], Reason: "对接结束"})
				return err
			}},
		}
		for _, cmd := range commands {
			for i, a := range actors {
				before := count(t, d, "SELECT COUNT(*) FROM audit_log")
				err := cmd.run(a.by, idem.Key(fmt.Sprintf("k%d-%s", i, strings.ReplaceAll(cmd.name, " ", "-"))), i)
				audited := count(t, d, "SELECT COUNT(*) FROM audit_log") - before
				switch {
				case a.allowed && (err != nil || audited != 1):
					t.Errorf("%s as %s: %v (%d audited), want done and audited once", cmd.name, a.name, err, audited)
				case !a.allowed && (civic.ErrorCode(err) != civic.Forbidden || audited != 0):
					t.Errorf("%s as %s: %v (%d audited), want forbidden and nothing done", cmd.name, a.name, err, audited)
				}
			}
		}
	})
}

// A replay answers the first change without its secret, and idem_keys never
// holds a password or a token secret: not in the stored answer, and not in
// the request hash (a resend with another password under the key is the same
// request, as the form's resend always was).
func TestAdminCommandsKeepNoSecret(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		s, _ := newService(t, d)
		c := dbtest.Community(t, d, "c1")
		admin := civic.Actor{UserID: "a1", Name: "管理员", Role: civic.RoleAdmin}
		req := auth.AddUserRequest{Community: c, Username: "wangfang", Name: "王芳", Role: civic.RoleClerk, Password: auth.NewPassword{Generate: true}}
		first, err := s.AddUser(ctx, admin, "add-1", req)
		if err != nil || len(first.Password) != 12 || !first.Fresh {
			t.Fatalf("AddUser = %+v, %v; want a fresh user with a generated password", first, err)
		}
		again, err := s.AddUser(ctx, admin, "add-1", req)
		if err != nil || again.UserID != first.UserID || again.Password != "" || again.Fresh {
			t.Fatalf("replay = %+v, %v; want the first user, no password, not fresh", again, err)
		}
		if _, err := s.Login(ctx, "wangfang", first.Password, "192.0.2.1"); err != nil {
			t.Fatalf("login with the generated password: %v", err)
		}

		reset := auth.ResetPasswordRequest{User: first.UserID, Password: auth.NewPassword{Password: "Station-2025"}, Reason: "忘记密码"}
		if ch, err := s.ResetPassword(ctx, admin, "reset-1", reset); err != nil || ch.Password != "" || !ch.Fresh {
			t.Fatalf("reset to a typed password = %+v, %v; want done, nothing to show", ch, err)
		}
		reset.Password.Password = "Another-2026"
		if ch, err := s.ResetPassword(ctx, admin, "reset-1", reset); err != nil || ch.Fresh {
			t.Fatalf("resend with another password = %+v, %v; want the first reset replayed", ch, err)
		}
		if _, err := s.Login(ctx, "wangfang", "Station-2025", "192.0.2.1"); err != nil {
			t.Fatalf("the first reset's password: %v", err)
		}

		tok, err := s.CreateToken(ctx, admin, "tok-1", auth.CreateTokenRequest{Community: c, Role: civic.RoleWorker, Name: "政务数据平台"})
		if err != nil || !strings.HasPrefix(tok.Secret, "cp_") || !tok.Fresh {
			t.Fatalf("CreateToken = %+v, %v", tok, err)
		}
		replayed, err := s.CreateToken(ctx, admin, "tok-1", auth.CreateTokenRequest{Community: c, Role: civic.RoleWorker, Name: "政务数据平台"})
		if err != nil || replayed.ID != tok.ID || replayed.Secret != "" || replayed.Fresh {
			t.Fatalf("token replay = %+v, %v; want the first token without its secret", replayed, err)
		}
		rows, err := d.Query(ctx, "SELECT command, request_hash, answer FROM idem_keys")
		stored, err := db.Collect(rows, err, func(r db.Scanner) (string, error) {
			var cmd, hash, answer string
			err := r.Scan(&cmd, &hash, &answer)
			return cmd + " " + hash + " " + answer, err
		})
		if err != nil || len(stored) != 3 {
			t.Fatalf("idem_keys = %q, %v; want three answers", stored, err)
		}
		for _, row := range stored {
			for _, secret := range []string{first.Password, "Station-2025", "Another-2026", tok.Secret, "cp_"} {
				if strings.Contains(row, secret) {
					t.Errorf("idem_keys holds a secret (%q): %s", secret, row)
				}
			}
		}
	})
}

// Every stored time of the admin's commands is the injected clock's: the
// audit entries (also one written without a time), the users, the tokens and
// the keys.
func TestAdminCommandsUseTheClock(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		at := time.Date(2025, 11, 3, 2, 15, 0, 0, time.UTC)
		clock := civic.NewFixedClock(at)
		d.Clock = clock
		s := auth.New(d, clock)
		s.Params = cheap
		c := dbtest.Community(t, d, "c1")
		admin := civic.Actor{UserID: "a1", Name: "管理员", Role: civic.RoleAdmin}
		u, err := s.AddUser(ctx, admin, "add", auth.AddUserRequest{Community: c, Username: "li", Name: "李", Role: civic.RoleWorker, Password: auth.NewPassword{Generate: true}})
		if err != nil {
			t.Fatal(err)
		}
		steps := []error{
			func() error {
				_, err := s.ResetPassword(ctx, admin, "reset", auth.ResetPasswordRequest{User: u.UserID, Password: auth.NewPassword{Generate: true}, Reason: "忘记"})
				return err
			}(),
			func() error {
				_, err := s.SetAccess(ctx, admin, "off", auth.AccessRequest{User: u.UserID, Disabled: true, Reason: "离职"})
				return err
			}(),
			func() error {
				_, err := s.Unlock(ctx, admin, "unlock", auth.UnlockRequest{User: u.UserID, Reason: "来电"})
				return err
			}(),
			func() error {
				tok, err := s.CreateToken(ctx, admin, "tok", auth.CreateTokenRequest{Community: c, Role: civic.RoleWorker, Name: "bridge"})
				if err == nil {
					_, err = s.RevokeToken(ctx, admin, "revoke", auth.RevokeTokenRequest{Community: c, Token: tok.ID, Reason: "结束"})
				}
				return err
			}(),
			d.WithTx(ctx, func(tx *db.Tx) error {
				return auth.Audit(ctx, tx, auth.AuditEntry{CommunityID: c, ActorID: "w1", Action: "registry.read_sensitive", SubjectKind: "resident", SubjectID: "r1"})
			}),
		}
		for i, err := range steps {
			if err != nil {
				t.Fatalf("step %d: %v", i, err)
			}
		}
		ms := db.Millis(at)
		for _, q := range []struct {
			what, query string
			want        int
		}{
			{"audit entries", "SELECT COUNT(*) FROM audit_log WHERE at = $1", 7},
			{"audit entries at another time", "SELECT COUNT(*) FROM audit_log WHERE at <> $1", 0},
			{"users", "SELECT COUNT(*) FROM users WHERE created_at = $1", 1},
			{"tokens", "SELECT COUNT(*) FROM api_tokens WHERE created_at = $1 AND revoked_at = $1", 1},
			{"keys", "SELECT COUNT(*) FROM idem_keys WHERE created_at = $1", 6},
		} {
			if got := count(t, d, q.query, ms); got != q.want {
				t.Errorf("%s at the clock's time: %d, want %d", q.what, got, q.want)
			}
		}
	})
}
