package cli

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/config"
	"civicpoints/internal/db"
)

func init() {
	register(&command{
		name:    "backup",
		usage:   "--db PATH --out FILE",
		summary: "copy a live SQLite database consistently to a new file (PostgreSQL: use pg_dump)",
		fields:  []string{"db"},
		flags: func(fs *flag.FlagSet) {
			fs.String("out", os.Getenv(config.EnvName("out")),
				fmt.Sprintf("file to write the backup to; must not exist yet (env %s)", config.EnvName("out")))
		},
		run: func(ctx context.Context, env Env, cfg *config.Config, _ []string) error {
			out := env.Flags.Lookup("out").Value.String()
			start := time.Now()
			size, err := Backup(ctx, cfg.DB, out)
			if err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "backed up %s to %s (%d bytes, %s); restore: stop civicpoints, copy %s back to %s\n",
				cfg.DB, out, size, time.Since(start).Round(time.Millisecond), out, cfg.DB)
			return nil
		},
	})
}

// Backup copies the SQLite database named by dsn to out with VACUUM INTO, a
// consistent snapshot taken inside one read transaction, so it is safe while
// civicpoints serves and writes. It never overwrites: the copy is written to a
// temporary file beside out, checked, synced and only then linked to out, so a
// failure leaves nothing half-written under the name asked for.
func Backup(ctx context.Context, dsn, out string) (size int64, err error) {
	t, err := db.Parse(dsn)
	if err != nil {
		return 0, err
	}
	if t.Dialect == db.Postgres {
		return 0, civic.Errorf(civic.Invalid, "backup.postgres",
			"backup copies SQLite files only; for PostgreSQL run: pg_dump --format=custom --file=%s '%s'",
			orDefault(out, "civicpoints.dump"), db.MaskDSN(t.DSN))
	}
	if out == "" {
		return 0, civic.Errorf(civic.Invalid, "backup.no_out", "no backup file given: pass --out FILE")
	}
	if st, err := os.Stat(t.Path); err != nil || !st.Mode().IsRegular() {
		return 0, civic.Errorf(civic.NotFound, "backup.no_db", "no SQLite database at %s", t.Path)
	}
	if _, err := os.Lstat(out); err == nil {
		return 0, civic.Errorf(civic.Conflict, "backup.exists", "%s already exists; backup never overwrites: choose another --out", out)
	}
	dir := filepath.Dir(out)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return 0, civic.Errorf(civic.Invalid, "backup.no_dir", "cannot write %s: folder %s does not exist", out, dir)
	}
	src, err := filepath.Abs(t.Path)
	if err != nil {
		return 0, err
	}
	if same, _ := filepath.Abs(out); same == src {
		return 0, civic.Errorf(civic.Invalid, "backup.same", "--out must differ from --db")
	}

	tmp, err := os.CreateTemp(dir, "."+filepath.Base(out)+".partial-*")
	if err != nil {
		return 0, civic.Errorf(civic.Unavailable, "backup.write", "cannot write in %s: %v", dir, err)
	}
	tmpName := tmp.Name()
	tmp.Close()
	// VACUUM INTO refuses a non-empty file but writes into an empty one.
	defer os.Remove(tmpName)

	if err := vacuumInto(ctx, src, tmpName); err != nil {
		return 0, err
	}
	if err := check(ctx, tmpName); err != nil {
		return 0, err
	}
	if err := syncFile(tmpName); err != nil {
		return 0, civic.Errorf(civic.Unavailable, "backup.write", "cannot write in %s: %v", dir, err)
	}
	// Link fails when out appeared meanwhile, so nothing is ever overwritten.
	if err := os.Link(tmpName, out); err != nil {
		if errors.Is(err, os.ErrExist) {
			return 0, civic.Errorf(civic.Conflict, "backup.exists", "%s already exists; backup never overwrites: choose another --out", out)
		}
		return 0, civic.Errorf(civic.Unavailable, "backup.write", "cannot write in %s: %v", dir, err)
	}
	syncDir(dir)
	st, err := os.Stat(out)
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

func vacuumInto(ctx context.Context, src, dst string) error {
	// Read-only: the backup never changes the database it copies.
	conn, err := sql.Open("sqlite", "file:"+src+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer conn.Close()
	var n int
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master").Scan(&n); err != nil {
		return civic.Errorf(civic.Invalid, "backup.not_sqlite", "%s is not a readable SQLite database: %v", src, err)
	}
	if _, err := conn.ExecContext(ctx, "VACUUM INTO ?", dst); err != nil {
		return civic.Errorf(civic.Unavailable, "backup.vacuum", "cannot copy %s: %v", src, err)
	}
	return nil
}

// check opens the copy and runs SQLite's integrity check on it.
func check(ctx context.Context, path string) error {
	conn, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return err
	}
	defer conn.Close()
	var res string
	if err := conn.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res); err != nil {
		res = err.Error()
	}
	if res != "ok" {
		return civic.Errorf(civic.Internal, "backup.corrupt", "the copy failed its integrity check (%s); nothing was written", res)
	}
	return nil
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func syncDir(dir string) {
	if f, err := os.Open(dir); err == nil {
		_ = f.Sync()
		f.Close()
	}
}

func orDefault(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}
