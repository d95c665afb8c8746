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

// cheap keeps argon2id fast in tests; the production cost is DefaultParams.
var cheap = auth.PasswordParams{Memory: 1024, Time: 1, Threads: 1}

func newService(t *testing.T, d *db.DB) (*auth.Service, *civic.FixedClock) {
	t.Helper()
	clock := civic.NewFixedClock(time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC))
	s := auth.New(d, clock)
	s.Params = cheap
	return s, clock
}

func createUser(t *testing.T, s *auth.Service, nu auth.NewUser) auth.User {
	t.Helper()
	var u auth.User
	err := s.DB.WithTx(context.Background(), func(tx *db.Tx) (err error) {
		u, err = s.CreateUser(context.Background(), tx, nu)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestPasswordRoundTrip(t *testing.T) {
	t.Parallel()
	h, err := auth.HashPassword(cheap, "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Errorf("hash %q is not PHC argon2id", h)
	}
	tests := []struct {
		password string
		want     bool
	}{
		{"correct horse", true},
		{"correct horsE", false},
		{"", false},
	}
	for _, tt := range tests {
		got, err := auth.CheckPassword(h, tt.password)
		if err != nil || got != tt.want {
			t.Errorf("CheckPassword(%q) = %v, %v; want %v", tt.password, got, err, tt.want)
		}
	}
	h2, _ := auth.HashPassword(cheap, "correct horse")
	if h2 == h {
		t.Error("two hashes of one password are equal: salt is not random")
	}
	if _, err := auth.HashPassword(cheap, "short"); civic.ErrorCode(err) != civic.Invalid {
		t.Errorf("short password: err = %v, want invalid", err)
	}
	if ok, err := auth.CheckPassword("$bcrypt$x", "x"); ok || err == nil {
		t.Errorf("unreadable hash: ok=%v err=%v, want an error", ok, err)
	}
}

func TestLoginAndSessions(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		s, clock := newService(t, d)
		s.SessionTTL = time.Hour
		c := dbtest.Community(t, d, "c1")
		createUser(t, s, auth.NewUser{CommunityID: c, Username: "wang", Name: "王", Password: "password-1", Role: civic.RoleWorker, Grants: []string{"red_group"}})

		if _, err := s.Login(ctx, "wang", "wrong-password", "10.0.0.1"); civic.ErrorCode(err) != civic.Unauthenticated {
			t.Fatalf("wrong password: %v", err)
		}
		u, err := s.Login(ctx, "wang", "password-1", "10.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		if a := u.Actor(); a.Role != civic.RoleWorker || a.CommunityID != c || !a.Has("red_group") {
			t.Errorf("actor = %+v", a)
		}
		sess, err := s.CreateSession(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		var stored int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM sessions WHERE token_hash = $1", sess.Token).Scan(&stored); err != nil || stored != 0 {
			t.Errorf("the plain session token is stored (%d, %v)", stored, err)
		}
		// Use within the TTL slides the expiry.
		for range 3 {
			clock.Advance(40 * time.Minute)
			if _, err := s.SessionUser(ctx, sess.Token); err != nil {
				t.Fatalf("session in use expired: %v", err)
			}
		}
		clock.Advance(61 * time.Minute)
		_, err = s.SessionUser(ctx, sess.Token)
		if e := civic.AsError(err); e == nil || e.Key != "auth.session_expired" {
			t.Fatalf("idle session: %v, want auth.session_expired", err)
		}
		if _, err := s.SessionUser(ctx, sess.Token); civic.ErrorCode(err) != civic.Unauthenticated {
			t.Fatalf("expired session still found: %v", err)
		}
		// Sessions nobody comes back to are swept at the next login.
		if _, err := s.CreateSession(ctx, u); err != nil {
			t.Fatal(err)
		}
		clock.Advance(2 * time.Hour)
		if _, err := s.CreateSession(ctx, u); err != nil {
			t.Fatal(err)
		}
		var left int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM sessions").Scan(&left); err != nil || left != 1 {
			t.Errorf("%d sessions after the sweep, want only the new one (%v)", left, err)
		}

		sess, _ = s.CreateSession(ctx, u)
		if err := s.Logout(ctx, sess.Token); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SessionUser(ctx, sess.Token); civic.ErrorCode(err) != civic.Unauthenticated {
			t.Fatalf("after logout: %v", err)
		}
		if err := s.SetLang(ctx, u.ID, "en"); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.UserByID(ctx, u.ID); got.Lang != "en" {
			t.Errorf("lang = %q, want en", got.Lang)
		}
	})
}

func TestThrottlePerAccount(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		s, clock := newService(t, d)
		c := dbtest.Community(t, d, "c1")
		createUser(t, s, auth.NewUser{CommunityID: c, Username: "li", Password: "password-1", Role: civic.RoleClerk})
		for i := range s.AccountLimit {
			// Each failure from another address: only the account counts up.
			ip := "10.0.1." + string(rune('0'+i))
			if _, err := s.Login(ctx, "li", "nope-nope", ip); civic.ErrorCode(err) != civic.Unauthenticated {
				t.Fatalf("failure %d: %v", i+1, err)
			}
		}
		_, err := s.Login(ctx, "li", "password-1", "10.0.2.1")
		if e := civic.AsError(err); e == nil || e.Code != civic.TooManyRequests || e.Key != "auth.throttled" {
			t.Fatalf("locked account with the right password: %v, want too_many_requests", err)
		}
		// A restart changes nothing: the lock is in the database.
		s2, _ := newService(t, d)
		s2.Clock = clock
		if _, err := s2.Login(ctx, "li", "password-1", "10.0.2.1"); civic.ErrorCode(err) != civic.TooManyRequests {
			t.Fatalf("after restart: %v", err)
		}
		clock.Advance(s.Lockout + time.Second)
		if _, err := s.Login(ctx, "li", "password-1", "10.0.2.1"); err != nil {
			t.Fatalf("after the lockout: %v", err)
		}
	})
}

func TestThrottlePerIP(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		s, clock := newService(t, d)
		s.IPLimit = 6
		c := dbtest.Community(t, d, "c1")
		createUser(t, s, auth.NewUser{CommunityID: c, Username: "zhao", Password: "password-1", Role: civic.RoleClerk})
		for i := range s.IPLimit {
			// A different (unknown) account each time: only the address counts up.
			name := "ghost" + string(rune('a'+i))
			if _, err := s.Login(ctx, name, "nope-nope", "192.0.2.7"); civic.ErrorCode(err) != civic.Unauthenticated {
				t.Fatalf("failure %d: %v", i+1, err)
			}
		}
		if _, err := s.Login(ctx, "zhao", "password-1", "192.0.2.7"); civic.ErrorCode(err) != civic.TooManyRequests {
			t.Fatalf("locked address: %v, want too_many_requests", err)
		}
		if _, err := s.Login(ctx, "zhao", "password-1", "192.0.2.8"); err != nil {
			t.Fatalf("another address: %v", err)
		}
		// Failures spread wider than the window never lock.
		for range s.IPLimit + 2 {
			clock.Advance(s.Window/time.Duration(s.IPLimit-1) + time.Minute)
			_, _ = s.Login(ctx, "ghost", "nope-nope", "192.0.2.9")
		}
		if _, err := s.Login(ctx, "zhao", "password-1", "192.0.2.9"); err != nil {
			t.Fatalf("slow failures locked the address: %v", err)
		}
	})
}

func TestTokens(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		s, _ := newService(t, d)
		c := dbtest.Community(t, d, "c1")
		ct, err := s.CreateToken(ctx, civic.System, "t1", auth.CreateTokenRequest{Community: c, Role: civic.RoleWorker, Name: "station kiosk"})
		if err != nil {
			t.Fatal(err)
		}
		plain := ct.Secret
		a, err := s.VerifyToken(ctx, plain)
		if err != nil {
			t.Fatal(err)
		}
		if a.Role != civic.RoleWorker || a.CommunityID != c || a.Name != "station kiosk" || a.UserID == "" {
			t.Errorf("actor = %+v", a)
		}
		var n int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM api_tokens WHERE token_hash = $1", plain).Scan(&n); err != nil || n != 0 {
			t.Errorf("plain token stored (%d, %v)", n, err)
		}
		if _, err := s.VerifyToken(ctx, plain+"x"); civic.ErrorCode(err) != civic.Unauthenticated {
			t.Errorf("unknown token: %v", err)
		}
		if _, err := s.RevokeToken(ctx, civic.System, "t2", auth.RevokeTokenRequest{Community: c, Token: a.UserID, Reason: "kiosk retired"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.VerifyToken(ctx, plain); civic.ErrorCode(err) != civic.Unauthenticated {
			t.Errorf("revoked token: %v", err)
		}
		if _, err := s.RevokeToken(ctx, civic.System, "t3", auth.RevokeTokenRequest{Community: c, Token: a.UserID, Reason: "again"}); civic.ErrorCode(err) != civic.NotFound {
			t.Errorf("revoke twice: %v", err)
		}
		if ts, err := s.Tokens(ctx, c); err != nil || len(ts) != 1 || ts[0].RevokedAt.IsZero() {
			t.Errorf("Tokens = %+v, %v", ts, err)
		}
		for _, tt := range []struct {
			community string
			role      civic.Role
			name      string
		}{{c, "mayor", "x"}, {c, civic.RoleWorker, " "}, {"", civic.RoleWorker, "x"}} {
			r := auth.CreateTokenRequest{Community: tt.community, Role: tt.role, Name: tt.name}
			if _, err := s.CreateToken(ctx, civic.System, idem.Key("bad-"+string(tt.role)+tt.name+tt.community), r); civic.ErrorCode(err) != civic.Invalid {
				t.Errorf("CreateToken(%q, %q, %q) = %v, want invalid", tt.community, tt.role, tt.name, err)
			}
		}
	})
}

func TestSeedDemoUsersTwice(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		s, _ := newService(t, d)
		c := dbtest.Community(t, d, "c1")
		seed := func() []auth.DemoLogin {
			var out []auth.DemoLogin
			if err := d.WithTx(ctx, func(tx *db.Tx) (err error) {
				out, err = s.SeedDemoUsers(ctx, tx, c, "r1")
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return out
		}
		snapshot := func() string {
			rows, err := d.Query(ctx, "SELECT id, username, password_hash, role, grants FROM users ORDER BY username")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var b strings.Builder
			for rows.Next() {
				var a, b2, c, e, f string
				if err := rows.Scan(&a, &b2, &c, &e, &f); err != nil {
					t.Fatal(err)
				}
				b.WriteString(a + b2 + c + e + f + "\n")
			}
			return b.String()
		}
		logins := seed()
		first := snapshot()
		if again := seed(); len(again) != len(logins) {
			t.Errorf("second seed returned %d logins, want %d", len(again), len(logins))
		}
		if second := snapshot(); second != first {
			t.Errorf("seeding twice changed users:\n%s\nvs\n%s", first, second)
		}
		roles := map[civic.Role]int{}
		for _, l := range logins {
			roles[l.Role]++
			u, err := s.Login(ctx, l.Username, l.Password, "127.0.0.1")
			if err != nil {
				t.Fatalf("demo login %s: %v", l.Username, err)
			}
			if u.Role != l.Role {
				t.Errorf("%s: role %s, want %s", l.Username, u.Role, l.Role)
			}
			if u.Role == civic.RoleResident && u.ResidentID != "r1" {
				t.Errorf("resident linked to %q, want r1", u.ResidentID)
			}
		}
		for _, r := range civic.Roles {
			if roles[r] == 0 {
				t.Errorf("no demo user for role %s", r)
			}
		}
		if roles[civic.RoleWorker] != 2 {
			t.Errorf("%d workers, want 2 (with and without red_group)", roles[civic.RoleWorker])
		}
		w, _ := s.UserByUsername(ctx, "worker")
		w2, _ := s.UserByUsername(ctx, "worker2")
		if !w.Actor().Has(auth.GrantRedGroup) || w2.Actor().Has(auth.GrantRedGroup) {
			t.Errorf("red_group grants: worker %v, worker2 %v", w.Grants, w2.Grants)
		}
	})
}

func TestAudit(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		s, clock := newService(t, d)
		c := dbtest.Community(t, d, "c1")
		actor := civic.Actor{UserID: "u1", Name: "王", Role: civic.RoleWorker, CommunityID: c}
		for _, subject := range []string{"r1", "r2"} {
			e := auth.EntryFor(actor, "registry.read_sensitive", "resident", subject, "visit", clock.Now())
			if err := d.WithTx(ctx, func(tx *db.Tx) error { return auth.Audit(ctx, tx, e) }); err != nil {
				t.Fatal(err)
			}
			clock.Advance(time.Second)
		}
		got, err := s.AuditLog(ctx, c, "", 10)
		if err != nil || len(got) != 2 || got[0].SubjectID != "r2" || got[1].ActorName != "王" {
			t.Fatalf("AuditLog = %+v, %v", got, err)
		}
		if more, _ := s.AuditLog(ctx, c, got[0].Cursor(), 10); len(more) != 1 || more[0].SubjectID != "r1" {
			t.Errorf("page after %s = %+v", got[0].ID, more)
		}
		_, err = d.Exec(ctx, "DELETE FROM audit_log")
		if !db.ErrorIs(err, db.ErrAppendOnly) && civic.ErrorCode(err) != civic.Forbidden {
			t.Errorf("deleting the audit log: %v, want append_only", err)
		}
		err = d.WithTx(ctx, func(tx *db.Tx) error { return auth.Audit(ctx, tx, auth.AuditEntry{CommunityID: c}) })
		if civic.ErrorCode(err) != civic.Invalid {
			t.Errorf("incomplete entry: %v", err)
		}
	})
}

// An entry names the page it was written for (from the request's context)
// and what the response showed, and reads back with both.
func TestAuditNamesPageAndDetail(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		s, clock := newService(t, d)
		c := dbtest.Community(t, d, "c1")
		ctx := auth.WithPage(context.Background(), "GET /worker/registry/households/{id}")
		e := auth.EntryFor(civic.Actor{UserID: "u1", Name: "王", Role: civic.RoleWorker, CommunityID: c}, "registry.read_household", "household", "h1", "", clock.Now())
		e.Detail = "shown=colours%2Ctenure&residents=3"
		if err := d.WithTx(ctx, func(tx *db.Tx) error { return auth.Audit(ctx, tx, e) }); err != nil {
			t.Fatal(err)
		}
		got, err := s.AuditLog(ctx, c, "", 10)
		if err != nil || len(got) != 1 {
			t.Fatalf("AuditLog = %+v, %v", got, err)
		}
		want := []auth.DetailPair{{Key: "residents", Value: "3"}, {Key: "shown", Value: "colours,tenure"}}
		if got[0].Page != "GET /worker/registry/households/{id}" || fmt.Sprint(got[0].Details()) != fmt.Sprint(want) {
			t.Errorf("entry page %q, details %v; want the page and %v", got[0].Page, got[0].Details(), want)
		}
	})
}
