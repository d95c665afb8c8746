package db

import (
	"context"
	"database/sql"
	"sync"
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
}

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
		if s, err := c.pool.PrepareContext(ctx, q); err == nil {
			if _, loaded := c.stmts.LoadOrStore(q, s); loaded {
				s.Close()
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
