package db

import (
	"strings"
	"sync"
)

// rewriter turns PostgreSQL $N placeholders into SQLite ?N. SQLite's own $N
// binds by first appearance, so "$2 … $1" would silently swap the values; ?N
// binds by number. Literals and quoted identifiers are left alone.
type rewriter struct {
	sqlite bool
	cache  sync.Map
}

func newRewriter(sqlite bool) rewriter { return rewriter{sqlite: sqlite} }

func (r *rewriter) rewrite(q string) string {
	if !r.sqlite || !strings.Contains(q, "$") {
		return q
	}
	if v, ok := r.cache.Load(q); ok {
		return v.(string)
	}
	out := RewriteForSQLite(q)
	r.cache.Store(q, out)
	return out
}

// RewriteForSQLite rewrites every $N outside quotes to ?N.
func RewriteForSQLite(q string) string {
	var b strings.Builder
	b.Grow(len(q))
	var quote byte
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '$' && i+1 < len(q) && q[i+1] >= '0' && q[i+1] <= '9':
			c = '?'
		}
		b.WriteByte(c)
	}
	return b.String()
}
