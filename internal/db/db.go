// Package db opens SQLite or PostgreSQL behind one API: queries are written once
// in PostgreSQL $N form and rewritten for SQLite; transactions retry
// serialization failures; migrations are embedded per engine.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"civicpoints/internal/civic"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"
)

// Dialect names the engine.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is an open database: a writer pool (one connection on SQLite, where there
// is only ever one writer) and a reader pool.
type DB struct {
	Dialect Dialect
	W       *sql.DB // writes and transactions
	R       *sql.DB // reads that need no transaction
	Source  string  // path or DSN with the password masked
	// Clock is the time every write stores (tx.Now); app.New sets the
	// installation's clock, tests a fixed one. Nil means the wall clock.
	Clock  civic.Clock
	rw     rewriter
	wstmts *stmtCache // SQLite only
	rstmts *stmtCache
}

// Target is a parsed --db value.
type Target struct {
	Dialect Dialect
	Path    string // SQLite file
	DSN     string // PostgreSQL connection string
}

// Parse reads a --db value: a file path, sqlite:PATH, or postgres://….
func Parse(dsn string) (Target, error) {
	switch {
	case dsn == "":
		return Target{}, civic.Errorf(civic.Invalid, "db.empty", "no database given: pass --db PATH or --db postgres://…")
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		if _, err := url.Parse(dsn); err != nil {
			return Target{}, civic.Errorf(civic.Invalid, "db.bad_dsn", "cannot read the PostgreSQL DSN: %v", err)
		}
		return Target{Dialect: Postgres, DSN: dsn}, nil
	case strings.HasPrefix(dsn, "sqlite:"):
		p := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite:"), "//")
		if p == "" {
			return Target{}, civic.Errorf(civic.Invalid, "db.empty", "sqlite: needs a path, as in sqlite:./civicpoints.db")
		}
		return Target{Dialect: SQLite, Path: p}, nil
	case strings.Contains(dsn, "://"):
		scheme, _, _ := strings.Cut(dsn, "://")
		return Target{}, civic.Errorf(civic.Invalid, "db.scheme", "unknown database scheme %q: use a file path, sqlite:PATH or postgres://…", scheme)
	default:
		return Target{Dialect: SQLite, Path: dsn}, nil
	}
}

// Open connects to the database named by dsn and checks it is reachable.
func Open(ctx context.Context, dsn string) (_ *DB, err error) {
	t, err := Parse(dsn)
	if err != nil {
		return nil, err
	}
	if t.Dialect == Postgres {
		return openPostgres(ctx, t.DSN)
	}
	return openSQLite(ctx, t.Path)
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	dir := filepath.Dir(path)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, civic.Errorf(civic.Invalid, "db.no_dir", "cannot create database %s: folder %s does not exist", path, dir)
	}
	pragmas := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)&_pragma=temp_store(MEMORY)"
	w, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	// The first write creates the file; doing it now turns a read-only path
	// into one clear error at start rather than a failure on the first request.
	if _, err := w.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)"); err != nil {
		w.Close()
		return nil, civic.Errorf(civic.Unavailable, "db.sqlite_open", "cannot open SQLite database %s for writing: %v", path, err)
	}
	r, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	return &DB{Dialect: SQLite, W: w, R: r, Source: path, rw: newRewriter(true),
		wstmts: &stmtCache{pool: w}, rstmts: &stmtCache{pool: r}}, nil
}

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	p, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, civic.Errorf(civic.Invalid, "db.bad_dsn", "cannot read the PostgreSQL DSN: %v", err)
	}
	p.SetMaxOpenConns(32)
	p.SetMaxIdleConns(32)
	p.SetConnMaxIdleTime(5 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := p.PingContext(pctx); err != nil {
		p.Close()
		return nil, civic.Errorf(civic.Unavailable, "db.unreachable", "cannot reach PostgreSQL at %s: %v", MaskDSN(dsn), err)
	}
	if _, err := p.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)"); err != nil {
		p.Close()
		return nil, civic.Errorf(civic.Unavailable, "db.pg_open", "cannot write to PostgreSQL at %s: %v", MaskDSN(dsn), err)
	}
	return &DB{Dialect: Postgres, W: p, R: p, Source: MaskDSN(dsn), rw: newRewriter(false)}, nil
}

// MaskDSN hides the password of a connection string.
func MaskDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// Close closes both pools.
func (db *DB) Close() error {
	db.wstmts.close()
	db.rstmts.close()
	err := db.W.Close()
	if db.R != db.W {
		err = errors.Join(err, db.R.Close())
	}
	return err
}

// Q rewrites a $N query for this engine.
func (db *DB) Q(query string) string { return db.rw.rewrite(query) }

// Exec runs a statement outside a transaction on the writer.
func (db *DB) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := db.W.ExecContext(ctx, db.Q(query), args...)
	return res, mapError(err)
}

// Query reads from the reader pool.
func (db *DB) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	q := db.Q(query)
	if st := db.readStmt(ctx, q); st != nil {
		rows, err := st.QueryContext(ctx, args...)
		return rows, mapError(err)
	}
	rows, err := db.R.QueryContext(ctx, q, args...)
	return rows, mapError(err)
}

// QueryRow reads one row from the reader pool.
func (db *DB) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	q := db.Q(query)
	if st := db.readStmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return db.R.QueryRowContext(ctx, q, args...)
}

// readStmt returns the prepared form of a read query on SQLite, preparing
// it on first use (the reader pool has connections to spare).
func (db *DB) readStmt(ctx context.Context, q string) *sql.Stmt {
	if db.rstmts == nil {
		return nil
	}
	if st := db.rstmts.get(q); st != nil {
		return st
	}
	db.rstmts.prepare(ctx, []string{q})
	return db.rstmts.get(q)
}

// Ping checks the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.R.PingContext(ctx) }

// Now is the current time in the storage form: Unix milliseconds, UTC.
func Millis(t time.Time) int64 { return t.UnixMilli() }

// FromMillis turns stored milliseconds back into a UTC time.
func FromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// ErrorIs reports whether err is a database error of class c.
func ErrorIs(err error, c ErrClass) bool { return classify(err) == c }

// Stats describes the connection pools, for /metrics.
func (db *DB) Stats() (w, r sql.DBStats) { return db.W.Stats(), db.R.Stats() }

func (db *DB) String() string { return fmt.Sprintf("%s %s", db.Dialect, db.Source) }
