package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
)

// A pipe runs one batch of commands in one PostgreSQL transaction in
// pipeline mode, so that a batch of N awards costs a handful of round trips
// rather than N times each award's statements. Every command of the batch
// runs at once in its own goroutine (the commands of one shard one after
// another, in order); a statement is queued rather than sent, and a command
// waits only when it needs a result (a row, a count of rows). When every
// command is waiting or done, the queue goes to the server as one pipelined
// batch, the results come back, and the commands run on. Commands of
// different shards must touch disjoint rows (the shard rule of
// internal/idem), since nothing orders their statements but the queue.
//
// Anything a pipe cannot interleave (a multi-row query, a savepoint, a
// prepared statement, a value pgx cannot scan the way database/sql would)
// makes the whole batch run again the classic way; a statement that fails
// makes it run again one savepoint per command. Either way nothing is
// answered before the one COMMIT has returned.
type pipe struct {
	d    *DB
	conn *pgx.Conn

	mu      sync.Mutex
	idle    *sync.Cond // running has dropped to zero
	running int        // command goroutines running Go code
	pending []*pipeOp
	waiters []chan struct{}
	begun   bool

	failed      error // a statement or command failed: the transaction is lost
	unsupported bool  // something was asked that only the classic path does
	broken      bool  // the connection failed

	lateMu sync.Mutex
	late   *pgtype.Map // scans rows whose Scan came after the flush
}

// errPipeUnsupported sends a batch back to the classic path.
var errPipeUnsupported = errors.New("db: not supported in a pipelined batch")

// errPipeAborted answers statements queued after a failure; the batch is
// run again one savepoint per command, where each gets its own answer.
var errPipeAborted = errors.New("db: an earlier statement of this pipelined batch failed")

type pipeOp struct {
	p     *pipe
	sql   string
	args  []any
	query bool
	dest  []any // set by Scan before the flush, scanned into by it

	// Set by the flush:
	done    bool
	err     error
	tag     pgconn.CommandTag
	found   bool
	scanned bool     // into dest
	raw     [][]byte // the row, when dest was not known yet
	fields  []pgconn.FieldDescription
}

func newPipe(d *DB, conn *pgx.Conn) *pipe {
	p := &pipe{d: d, conn: conn}
	p.idle = sync.NewCond(&p.mu)
	return p
}

// run runs each group's jobs in order, the groups at once, in one
// transaction, and commits it. clean is false when a job or a statement
// failed (everything was rolled back); err is errPipeUnsupported when the
// batch must run the classic way, or the error of the COMMIT itself.
func (p *pipe) run(groups [][]*job) (clean bool, err error) {
	p.running = len(groups)
	for _, g := range groups {
		go p.runGroup(g)
	}
	var last []*pipeOp
	for {
		p.mu.Lock()
		for p.running > 0 {
			p.idle.Wait()
		}
		ops, waiters := p.pending, p.waiters
		p.pending, p.waiters = nil, nil
		p.mu.Unlock()
		if len(waiters) == 0 { // every group is done
			last = ops
			break
		}
		p.flush(ops)
		p.mu.Lock()
		p.running += len(waiters)
		for _, ch := range waiters {
			close(ch)
		}
		p.mu.Unlock()
	}
	return p.finish(last)
}

// finish sends what is still queued with the COMMIT, or rolls back.
func (p *pipe) finish(last []*pipeOp) (clean bool, err error) {
	if p.failed == nil && !p.unsupported && !p.broken {
		commit := &pipeOp{p: p, sql: "COMMIT"}
		p.flush(append(last, commit))
		switch {
		case commit.err == nil && commit.tag.String() == "COMMIT":
			return true, nil
		case commit.err != nil && !errors.Is(commit.err, errPipeAborted) && !p.broken && !p.unsupported:
			return false, commit.err // the COMMIT itself failed
		}
	}
	if p.begun && !p.broken {
		if _, err := p.conn.Exec(context.Background(), "ROLLBACK"); err != nil || p.conn.PgConn().TxStatus() != 'I' {
			p.broken = true
		}
	}
	if p.unsupported || p.broken {
		return false, errPipeUnsupported
	}
	return false, nil
}

func (p *pipe) runGroup(g []*job) {
	tx := &Tx{db: p.d, p: p}
	for _, j := range g {
		if p.stopped() {
			break
		}
		err := j.ctx.Err()
		if err == nil {
			err = j.fn(tx)
		}
		if err != nil {
			p.fail(err)
			break
		}
	}
	p.mu.Lock()
	p.running--
	if p.running == 0 {
		p.idle.Signal()
	}
	p.mu.Unlock()
}

func (p *pipe) stopped() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.failed != nil || p.unsupported || p.broken
}

// fail records the first failure of the batch; later statements are not sent.
func (p *pipe) fail(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if errors.Is(err, errPipeUnsupported) {
		p.unsupported = true
	} else if p.failed == nil {
		p.failed = err
	}
}

// unsupportedOp refuses something only the classic path does.
func (p *pipe) unsupportedOp(what string) error {
	p.fail(errPipeUnsupported)
	return fmt.Errorf("%w: %s", errPipeUnsupported, what)
}

// enqueue queues a statement for the next flush.
func (p *pipe) enqueue(q string, args []any, query bool) *pipeOp {
	op := &pipeOp{p: p, sql: q, args: args, query: query}
	p.mu.Lock()
	if p.failed != nil || p.unsupported || p.broken {
		op.done, op.err = true, errPipeAborted
	} else {
		p.pending = append(p.pending, op)
	}
	p.mu.Unlock()
	return op
}

// wait blocks until op has been sent and answered.
func (p *pipe) wait(op *pipeOp) error {
	p.mu.Lock()
	if !op.done {
		ch := make(chan struct{})
		p.waiters = append(p.waiters, ch)
		p.running--
		if p.running == 0 {
			p.idle.Signal()
		}
		p.mu.Unlock()
		<-ch
		p.mu.Lock()
	}
	err := op.err
	p.mu.Unlock()
	return err
}

// scan waits for op's row and copies it into dest.
func (p *pipe) scan(op *pipeOp, dest []any) error {
	p.mu.Lock()
	if !op.done {
		op.dest = dest
	}
	p.mu.Unlock()
	if err := p.wait(op); err != nil {
		return err
	}
	if op.scanned {
		return nil
	}
	return p.scanLate(op, dest)
}

// scanLate scans a row that was read before its Scan was called.
func (p *pipe) scanLate(op *pipeOp, dest []any) error {
	p.lateMu.Lock()
	defer p.lateMu.Unlock()
	if p.late == nil {
		p.late = pgtype.NewMap()
	}
	if len(dest) != len(op.fields) {
		return fmt.Errorf("db: %d columns scanned into %d values", len(op.fields), len(dest))
	}
	for i, f := range op.fields {
		if err := p.late.Scan(f.DataTypeOID, f.Format, op.raw[i], dest[i]); err != nil {
			return p.unsupportedOp(fmt.Sprintf("scanning column %s: %v", f.Name, err))
		}
	}
	return nil
}

// flush sends ops (after BEGIN, the first time) as one pipelined batch and
// records each one's result. Only the coordinator calls it, while every
// command goroutine waits.
func (p *pipe) flush(ops []*pipeOp) {
	if len(ops) == 0 {
		return
	}
	b := &pgx.Batch{}
	begin := !p.begun
	if begin {
		b.Queue("BEGIN")
		p.begun = true
	}
	for _, op := range ops {
		b.Queue(op.sql, op.args...)
	}
	br := p.conn.SendBatch(context.Background(), b)
	var failed error
	if begin {
		_, failed = br.Exec()
	}
	for _, op := range ops {
		op.done = true
		if failed != nil {
			op.err = errPipeAborted
			continue
		}
		if op.query {
			p.readRow(br, op)
		} else {
			op.tag, op.err = br.Exec()
			op.err = mapError(op.err)
		}
		if op.err != nil && !errors.Is(op.err, sql.ErrNoRows) && !errors.Is(op.err, errPipeUnsupported) {
			failed = op.err
		}
	}
	if err := br.Close(); err != nil && failed == nil {
		failed = err
	}
	if failed != nil {
		p.failedFlush(failed)
	}
}

// failedFlush tells a broken connection or a value pgx could not send (the
// classic path may) from a statement the server refused.
func (p *pipe) failedFlush(err error) {
	var pg *pgconn.PgError
	switch {
	case p.conn.IsClosed():
		p.mu.Lock()
		p.broken = true
		p.mu.Unlock()
	case !errors.As(err, &pg):
		p.fail(errPipeUnsupported)
	default:
		p.fail(err)
	}
}

// readRow reads the first row of a query's result into its dest, or keeps
// it for a later Scan.
func (p *pipe) readRow(br pgx.BatchResults, op *pipeOp) {
	rows, err := br.Query()
	if err != nil {
		op.err = err
		return
	}
	if rows.Next() {
		op.found = true
		if op.dest != nil {
			if err := rows.Scan(op.dest...); err != nil {
				op.err = p.unsupportedOp(fmt.Sprintf("scanning %q: %v", op.sql, err))
			}
			op.scanned = true
		} else {
			for _, v := range rows.RawValues() {
				if v != nil { // nil is NULL; an empty value stays empty
					v = append(make([]byte, 0, len(v)), v...)
				}
				op.raw = append(op.raw, v)
			}
			op.fields = append(op.fields, rows.FieldDescriptions()...)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		op.err = err
	} else if !op.found && op.err == nil {
		op.err = sql.ErrNoRows
	}
}

// pipeResult is the result of a queued Exec: RowsAffected waits for it.
type pipeResult struct{ op *pipeOp }

func (r pipeResult) LastInsertId() (int64, error) {
	return 0, errors.New("db: LastInsertId is not supported on PostgreSQL")
}

func (r pipeResult) RowsAffected() (int64, error) {
	if err := r.op.p.wait(r.op); err != nil {
		return 0, err
	}
	return r.op.tag.RowsAffected(), nil
}
