package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// Batched reads: the one-row lookups every command makes before it reaches
// the writer (its idempotency key, the checks of its request) are, on
// PostgreSQL, one round trip each, and under load most of the time a command
// spends is those round trips and their system calls on both sides. A
// context marked by WithBatchedReads sends its QueryRow reads to a reader
// that gathers the lookups of every command waiting at that moment and
// sends them together, in pipeline mode, on a connection of its own.
//
// Only point lookups belong there: a batch's reads run one after another on
// one server process, so one slow query would hold up the others. A read
// that fails in a way the batch cannot answer for (a value pgx cannot scan
// the way database/sql would, a broken connection, a statement after one that
// failed) runs again on its own the usual way.

type batchedReadsKey struct{}

// WithBatchedReads marks ctx so that DB.QueryRow under it may be batched
// with other commands' lookups (PostgreSQL; elsewhere it changes nothing).
func WithBatchedReads(ctx context.Context) context.Context {
	return context.WithValue(ctx, batchedReadsKey{}, true)
}

func batchedReads(ctx context.Context) bool {
	v, _ := ctx.Value(batchedReadsKey{}).(bool)
	return v
}

// maxReadBatch bounds the lookups sent together.
const maxReadBatch = 128

// readers is how many batches of lookups may be in flight at once: while one
// is at the server the next one gathers.
const readers = 2

type readBatcher struct {
	pool    *sql.DB
	q       chan *readOp
	closeMu sync.RWMutex
	closed  bool
	wg      sync.WaitGroup
}

type readOp struct {
	sql      string
	args     []any
	dest     []any
	err      error
	fallback bool // run it again the usual way
	done     chan struct{}
}

func newReadBatcher(pool *sql.DB) *readBatcher {
	rb := &readBatcher{pool: pool, q: make(chan *readOp, maxReadBatch*4)}
	for range readers {
		rb.wg.Add(1)
		go rb.run()
	}
	return rb
}

// scan sends one lookup and scans its row into dest; ok is false when it
// must run the usual way instead.
func (rb *readBatcher) scan(q string, args, dest []any) (err error, ok bool) {
	op := &readOp{sql: q, args: args, dest: dest, done: make(chan struct{})}
	rb.closeMu.RLock()
	if rb.closed {
		rb.closeMu.RUnlock()
		return nil, false
	}
	rb.q <- op
	rb.closeMu.RUnlock()
	<-op.done
	return op.err, !op.fallback
}

func (rb *readBatcher) close() {
	rb.closeMu.Lock()
	if !rb.closed {
		rb.closed = true
		close(rb.q)
	}
	rb.closeMu.Unlock()
	rb.wg.Wait()
}

func (rb *readBatcher) run() {
	defer rb.wg.Done()
	var conn *sql.Conn
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	ops := make([]*readOp, 0, maxReadBatch)
	for first := range rb.q {
		ops = append(ops[:0], first)
	drain:
		for len(ops) < maxReadBatch {
			select {
			case op, ok := <-rb.q:
				if !ok {
					break drain
				}
				ops = append(ops, op)
			default:
				break drain
			}
		}
		conn = rb.send(conn, ops)
		for _, op := range ops {
			close(op.done)
		}
	}
}

// send sends ops as one pipelined batch on conn (taken from the pool when
// nil) and returns the connection to use next time.
func (rb *readBatcher) send(conn *sql.Conn, ops []*readOp) *sql.Conn {
	fallback := func() {
		for _, op := range ops {
			op.fallback = true
		}
	}
	if conn == nil {
		var err error
		if conn, err = rb.pool.Conn(context.Background()); err != nil {
			fallback()
			return nil
		}
	}
	err := conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			fallback()
			return nil
		}
		sendReads(c.Conn(), ops)
		if c.Conn().IsClosed() {
			return driver.ErrBadConn
		}
		return nil
	})
	if err != nil {
		fallback()
		conn.Close()
		return nil
	}
	return conn
}

func sendReads(c *pgx.Conn, ops []*readOp) {
	b := &pgx.Batch{}
	for _, op := range ops {
		b.Queue(op.sql, op.args...)
	}
	br := c.SendBatch(context.Background(), b)
	defer br.Close()
	for i, op := range ops {
		if !readOne(br, op) {
			// The batch runs as one implicit transaction: what follows a
			// failed statement was not run.
			for _, rest := range ops[i+1:] {
				rest.fallback = true
			}
			return
		}
	}
}

// readOne reads op's result; it is false when the statement failed, which
// ends the batch.
func readOne(br pgx.BatchResults, op *readOp) bool {
	rows, err := br.Query()
	if err == nil {
		if rows.Next() {
			if serr := rows.Scan(op.dest...); serr != nil {
				op.fallback = true
			}
		} else {
			op.err = sql.ErrNoRows
		}
		rows.Close()
		err = rows.Err()
	}
	if err == nil {
		return true
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		op.err, op.fallback = err, false // the statement's own error
	} else {
		op.fallback = true
	}
	return false
}
