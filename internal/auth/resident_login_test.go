package auth_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
)

func createHashed(ctx context.Context, s *auth.Service, nu auth.NewUser, hash string) (u auth.User, err error) {
	err = s.DB.WithTx(ctx, func(tx *db.Tx) (err error) {
		u, err = s.CreateUserHashed(ctx, tx, nu, hash)
		return err
	})
	return u, err
}

func wantErrKey(t *testing.T, err error, key string) {
	t.Helper()
	if e := civic.AsError(err); e == nil || e.Key != key {
		t.Fatalf("error = %v, want key %s", err, key)
	}
}

// A resident has one login: a second is refused with a translated error,
// whether the first is in use or turned off (turn it back on, or reset its
// password, instead), and also when several are made at the same moment.
// Another resident, or the same resident id in another community, is fine.
func TestOneLoginPerResident(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, _ := newService(t, d)
		hash, err := s.HashNewPassword("first-pass-1")
		if err != nil {
			t.Fatal(err)
		}
		resident := func(community, username, rid string) auth.NewUser {
			return auth.NewUser{CommunityID: community, Username: username, Name: "毛小波", Role: civic.RoleResident, ResidentID: rid}
		}
		first, err := createHashed(ctx, s, resident("c1", "mao", "r1"), hash)
		if err != nil {
			t.Fatal(err)
		}
		_, err = createHashed(ctx, s, resident("c1", "mao2", "r1"), hash)
		wantErrKey(t, err, "auth.resident_has_login")
		_, err = createHashed(ctx, s, resident("c1", "mao", "r2"), hash)
		wantErrKey(t, err, "auth.username_taken")
		if _, err := createHashed(ctx, s, resident("c1", "zhang", "r2"), hash); err != nil {
			t.Errorf("another resident: %v", err)
		}
		if _, err := createHashed(ctx, s, resident("c2", "mao-c2", "r1"), hash); err != nil {
			t.Errorf("the same resident id in another community: %v", err)
		}
		if err := d.WithTx(ctx, func(tx *db.Tx) error { _, err := s.SetDisabledTx(ctx, tx, first.ID, true); return err }); err != nil {
			t.Fatal(err)
		}
		_, err = createHashed(ctx, s, resident("c1", "mao3", "r1"), hash)
		wantErrKey(t, err, "auth.resident_has_login")

		var wg sync.WaitGroup
		errs := make([]error, 6)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = createHashed(ctx, s, resident("c1", fmt.Sprintf("li-%d", i), "r3"), hash)
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else if e := civic.AsError(err); e == nil || e.Key != "auth.resident_has_login" {
				t.Errorf("a login made at the same moment: %v", err)
			}
		}
		var n int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM users WHERE community_id = 'c1' AND resident_id = 'r3'").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if ok != 1 || n != 1 {
			t.Errorf("six logins for one resident at once: %d accepted, %d stored; want 1 and 1", ok, n)
		}
	})
}

// Migration 0006 on a database made before the rule: of a resident's logins
// in use the oldest is kept, the others are turned off with their sessions
// ended and an audit entry each; then the index holds the rule.
func TestMigrationKeepsOldestResidentLogin(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var m6 string
		all, err := d.Migrations()
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range all {
			if m.Version == 6 {
				m6 = m.SQL
			}
		}
		if m6 == "" {
			t.Fatal("no migration 0006")
		}
		// The database as it was before 0006: no index, three logins of r1
		// (made at 1000, 2000, 3000), one of r2, and a session of the second.
		err = d.WithTx(ctx, func(tx *db.Tx) error {
			if _, err := tx.Exec(ctx, "DROP INDEX users_resident_login"); err != nil {
				return err
			}
			for i, u := range []struct{ id, username, rid string }{{"u1", "mao", "r1"}, {"u2", "mao2", "r1"}, {"u3", "mao3", "r1"}, {"u4", "zhang", "r2"}} {
				if _, err := tx.Exec(ctx, `INSERT INTO users (community_id, id, username, name, password_hash, role, resident_id, created_at)
					VALUES ('c1', $1, $2, '', 'x', 'resident', $3, $4)`, u.id, u.username, u.rid, 1000*(i+1)); err != nil {
					return err
				}
			}
			_, err := tx.Exec(ctx, "INSERT INTO sessions (community_id, token_hash, user_id, created_at, expires_at) VALUES ('c1', 'h2', 'u2', 1, 9999999999999)")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.W.ExecContext(ctx, m6); err != nil {
			t.Fatalf("migration 0006: %v", err)
		}
		rows, err := d.Query(ctx, "SELECT id FROM users WHERE community_id = 'c1' AND disabled = 0 ORDER BY id")
		inUse, err := db.Collect(rows, err, db.ScanString)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(inUse) != "[u1 u4]" {
			t.Errorf("logins in use after 0006: %v, want [u1 u4]", inUse)
		}
		var sessions, audits int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM sessions WHERE user_id = 'u2'").Scan(&sessions); err != nil {
			t.Fatal(err)
		}
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM audit_log WHERE community_id = 'c1' AND action = 'auth.user_disable' AND subject_id IN ('u2', 'u3')").Scan(&audits); err != nil {
			t.Fatal(err)
		}
		if sessions != 0 || audits != 2 {
			t.Errorf("after 0006: %d sessions of a turned-off login, %d audit entries; want 0 and 2", sessions, audits)
		}
		s, _ := newService(t, d)
		err = d.WithTx(ctx, func(tx *db.Tx) error { _, err := s.SetDisabledTx(ctx, tx, "u2", false); return err })
		wantErrKey(t, err, "auth.resident_other_login")
	})
}
