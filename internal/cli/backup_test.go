package cli

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
)

func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = Main(context.Background(), args, &o, &e)
	return code, o.String(), e.String()
}

// A backup taken while another connection keeps writing opens cleanly, passes
// the integrity check and holds a consistent prefix of the writes.
func TestBackupWhileWriting(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := dbtest.SQLiteDSN(t)
	d, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(ctx, "CREATE TABLE backup_probe (n INTEGER PRIMARY KEY, twice INTEGER NOT NULL)"); err != nil {
		t.Fatal(err)
	}

	var stop atomic.Bool
	var written atomic.Int64
	var wg sync.WaitGroup
	wg.Add(1)
	failed := make(chan struct{})
	go func() {
		defer wg.Done()
		for n := int64(1); !stop.Load(); n++ {
			// Two statements per transaction: a torn copy would show a row
			// without its pair.
			err := d.WithTx(ctx, func(tx *db.Tx) error {
				if _, err := tx.Exec(ctx, "INSERT INTO backup_probe (n, twice) VALUES ($1, 0)", n); err != nil {
					return err
				}
				_, err := tx.Exec(ctx, "UPDATE backup_probe SET twice = $1 WHERE n = $2", 2*n, n)
				return err
			})
			if err != nil {
				t.Errorf("write %d: %v", n, err)
				close(failed)
				return
			}
			written.Store(n)
		}
	}()
	for written.Load() < 200 {
		select {
		case <-failed:
			t.FailNow()
		case <-time.After(time.Millisecond):
		}
	}

	dir := t.TempDir()
	var outs []string
	for i := range 3 {
		out := filepath.Join(dir, "copy"+string(rune('a'+i))+".db")
		code, stdout, stderr := run(t, "backup", "--db", path, "--out", out)
		if code != 0 || !strings.Contains(stdout, "backed up") {
			t.Fatalf("backup: code %d, stdout %q, stderr %q", code, stdout, stderr)
		}
		outs = append(outs, out)
	}
	stop.Store(true)
	wg.Wait()

	for _, out := range outs {
		c, err := sql.Open("sqlite", "file:"+out+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		var ok string
		if err := c.QueryRow("PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
			t.Errorf("%s: integrity_check = %q, %v", out, ok, err)
		}
		var rows, max, bad int64
		if err := c.QueryRow("SELECT count(*), coalesce(max(n), 0), coalesce(sum(twice <> 2*n), 0) FROM backup_probe").Scan(&rows, &max, &bad); err != nil {
			t.Fatal(err)
		}
		if rows == 0 || rows != max || bad != 0 {
			t.Errorf("%s: %d rows, max n %d, %d torn: not a consistent snapshot", out, rows, max, bad)
		}
		var migrations int
		if err := c.QueryRow("SELECT count(*) FROM schema_migrations").Scan(&migrations); err != nil || migrations == 0 {
			t.Errorf("%s: schema_migrations: %d, %v", out, migrations, err)
		}
		c.Close()
		if st, err := os.Stat(out); err != nil || st.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s: backup should be private to its owner: %v %v", out, st.Mode(), err)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*partial*")); len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func TestBackupRefuses(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	live := filepath.Join(dir, "live.db")
	if code, _, stderr := run(t, "migrate", "--db", live); code != 0 {
		t.Fatalf("migrate: %s", stderr)
	}
	existing := filepath.Join(dir, "existing.db")
	if err := os.WriteFile(existing, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	notDB := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notDB, []byte(strings.Repeat("not a database ", 100)), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"existing out", []string{"--db", live, "--out", existing}, "already exists"},
		{"no out", []string{"--db", live}, "pass --out FILE"},
		{"missing db", []string{"--db", filepath.Join(dir, "nope.db"), "--out", filepath.Join(dir, "x.db")}, "no SQLite database at"},
		{"missing folder", []string{"--db", live, "--out", filepath.Join(dir, "no", "x.db")}, "does not exist"},
		{"same file", []string{"--db", live, "--out", live}, "already exists"},
		{"not sqlite", []string{"--db", notDB, "--out", filepath.Join(dir, "y.db")}, "not a readable SQLite database"},
		{"postgres", []string{"--db", "postgres://u:secret@db.example/civic", "--out", "civic.dump"}, "pg_dump --format=custom --file=civic.dump 'postgres://u:xxxxx@db.example/civic'"},
		{"bad scheme", []string{"--db", "mysql://x", "--out", "x"}, "unknown database scheme"},
	}
	for _, tt := range tests {
		code, stdout, stderr := run(t, append([]string{"backup"}, tt.args...)...)
		if code != 1 || stdout != "" || !strings.Contains(stderr, tt.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%s: code %d, stdout %q, stderr %q; want exit 1 and one line containing %q", tt.name, code, stdout, stderr, tt.want)
		}
	}
	if b, _ := os.ReadFile(existing); string(b) != "keep me" {
		t.Errorf("existing file was changed: %q", b)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*partial*")); len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

// A database nobody has open (no -wal, no -shm) is copied too.
func TestBackupClosedDatabase(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	live := filepath.Join(dir, "live.db")
	if code, _, stderr := run(t, "migrate", "--db", live); code != 0 {
		t.Fatalf("migrate: %s", stderr)
	}
	out := filepath.Join(dir, "copy.db")
	if code, _, stderr := run(t, "backup", "--db", "sqlite:"+live, "--out", out); code != 0 {
		t.Fatalf("backup: %s", stderr)
	}
	if code, stdout, stderr := run(t, "migrate", "--db", out); code != 0 || !strings.Contains(stdout, "0 applied now") {
		t.Fatalf("restored copy is not current: %d %q %q", code, stdout, stderr)
	}
}
