package db

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
)

// stmtCache keeps prepared statements for SQLite, where preparing (parsing)
// a statement costs as much as running it. PostgreSQL needs none: pgx keeps
// its own per-connection statement cache.
//
// The writer pool has a single connection, so a statement cannot be prepared
// while a transaction holds it; a query first seen inside a transaction runs
// unprepared and is prepared once the transaction has ended.
type stmtCache struct {
	pool  *sql.DB
	stmts sync.Map // query → *sql.Stmt
	n     atomic.Int32
}

// maxCached bounds the cache: queries built with a varying number of
// parameters (bulk inserts, IN lists) would otherwise each hold a statement
// forever. Past the bound, new queries simply run unprepared.
const maxCached = 1000

func (c *stmtCache) get(q string) *sql.Stmt {
	if c == nil {
		return nil
	}
	if s, ok := c.stmts.Load(q); ok {
		return s.(*sql.Stmt)
	}
	return nil
}

func (c *stmtCache) prepare(ctx context.Context, queries []string) {
	if c == nil {
		return
	}
	for _, q := range queries {
		if _, ok := c.stmts.Load(q); ok {
			continue
		}
		if c.n.Load() >= maxCached || len(q) > 4096 {
			continue
		}
		if s, err := c.pool.PrepareContext(ctx, q); err == nil {
			if _, loaded := c.stmts.LoadOrStore(q, s); loaded {
				s.Close()
			} else {
				c.n.Add(1)
			}
		}
	}
}

func (c *stmtCache) close() {
	if c == nil {
		return
	}
	c.stmts.Range(func(_, v any) bool { v.(*sql.Stmt).Close(); return true })
}
