package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"hash/fnv"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5/stdlib"
)

// Batcher commits concurrent writes together (group commit). A disk does
// 1,000–2,000 fsyncs a second, so one commit per request caps throughput
// there; instead each writer takes every request waiting, runs each in its own
// savepoint (one failure never touches the others), commits once, and only
// then answers them all. No caller hears of success before its commit is
// durable.
//
// Requests carry a shard key (the resident they touch): the same key always
// goes to the same writer, so writers never wait on each other's rows.
//
// On PostgreSQL a batch whose shards all interleave (SetInterleave) runs
// pipelined (pipe.go): its requests run at once and their statements go to
// the server together, a few round trips and one commit for the batch.
type Batcher struct {
	d          *DB
	queues     []chan *job
	max        int
	wg         sync.WaitGroup
	closeMu    sync.RWMutex
	closed     bool
	interleave atomic.Pointer[func(shard string) bool]

	commits, jobs, pipelined atomic.Int64
}

// SetInterleave names the shards whose requests touch only rows of their own
// (and insert-only tables), so that requests of different such shards may run
// at once in one pipelined transaction. Requests of other shards always run
// one after another.
func (b *Batcher) SetInterleave(f func(shard string) bool) { b.interleave.Store(&f) }

// Pipelined is how many of the committed batches ran pipelined.
func (b *Batcher) Pipelined() int64 { return b.pipelined.Load() }

// Stats reports how many transactions the batcher committed and how many
// requests they carried.
func (b *Batcher) Stats() (commits, jobs int64) { return b.commits.Load(), b.jobs.Load() }

type job struct {
	ctx   context.Context
	shard string
	fn    func(*Tx) error
	done  chan error
}

// ErrClosed is returned to requests that arrive after Close.
var ErrClosed = errors.New("db: batcher closed")

// NewBatcher starts writers goroutines, each committing up to max requests
// at a time. SQLite has one writer; PostgreSQL can use several.
func NewBatcher(d *DB, writers, max int) *Batcher {
	if d.Dialect == SQLite || writers < 1 {
		writers = 1
	}
	b := &Batcher{d: d, max: max}
	for i := 0; i < writers; i++ {
		q := make(chan *job, max*4)
		b.queues = append(b.queues, q)
		b.wg.Add(1)
		go b.writer(q)
	}
	return b
}

// Do runs fn in a shared transaction and returns once that transaction has
// committed (nil) or fn or the commit has failed. fn must only touch the
// database through tx and may be run more than once.
func (b *Batcher) Do(ctx context.Context, shard string, fn func(*Tx) error) error {
	j := &job{ctx: ctx, shard: shard, fn: fn, done: make(chan error, 1)}
	b.closeMu.RLock()
	if b.closed {
		b.closeMu.RUnlock()
		return ErrClosed
	}
	b.queues[b.pick(shard)] <- j
	b.closeMu.RUnlock()
	return <-j.done
}

func (b *Batcher) pick(shard string) int {
	if len(b.queues) == 1 {
		return 0
	}
	h := fnv.New32a()
	h.Write([]byte(shard))
	return int(h.Sum32() % uint32(len(b.queues)))
}

// Close stops accepting requests and waits for the writers to finish.
func (b *Batcher) Close() {
	b.closeMu.Lock()
	if !b.closed {
		b.closed = true
		for _, q := range b.queues {
			close(q)
		}
	}
	b.closeMu.Unlock()
	b.wg.Wait()
}

func (b *Batcher) writer(q chan *job) {
	defer b.wg.Done()
	w := &writer{b: b}
	defer w.close()
	batch := make([]*job, 0, b.max)
	for first := range q {
		batch = append(batch[:0], first)
	drain:
		for len(batch) < b.max {
			select {
			case j, ok := <-q:
				if !ok {
					break drain
				}
				batch = append(batch, j)
			default:
				break drain
			}
		}
		w.run(batch)
	}
}

// writer is one writer goroutine's state: on PostgreSQL, the connection its
// pipelined batches run on.
type writer struct {
	b    *Batcher
	conn *sql.Conn
}

func (w *writer) close() {
	if w.conn != nil {
		w.conn.Close()
	}
}

// run commits one batch. It first runs every request straight in one
// transaction, with no savepoints (each costs two statements); only when a
// request fails does it start again with a savepoint per request, so one
// failure never undoes the others. A commit that meets a serialization
// failure or a busy database is retried whole.
func (w *writer) run(batch []*job) {
	b := w.b
	results := make([]error, len(batch))
	pipelined := b.pipelines(batch)
	var err error
	for attempt := 0; attempt < maxAttempts; attempt++ {
		var clean bool
		if pipelined {
			clean, err = w.tryPipelined(batch)
			if errors.Is(err, errPipeUnsupported) {
				pipelined = false
				clean, err = b.tryStraight(batch)
			}
		} else {
			clean, err = b.tryStraight(batch)
		}
		if err == nil && !clean {
			err = b.trySavepoints(batch, results)
		}
		if classify(err) != ErrRetry {
			break
		}
		clear(results)
	}
	for i, j := range batch {
		if err != nil {
			j.done <- err
		} else {
			j.done <- results[i]
		}
	}
}

// pipelines reports whether batch may run pipelined: on PostgreSQL, every
// request of an interleaving shard.
func (b *Batcher) pipelines(batch []*job) bool {
	f := b.interleave.Load()
	if b.d.Dialect != Postgres || f == nil {
		return false
	}
	for _, j := range batch {
		if !(*f)(j.shard) {
			return false
		}
	}
	return true
}

// tryPipelined runs the batch in one pipelined transaction on the writer's
// own connection: the requests of one shard in order, the shards at once.
func (w *writer) tryPipelined(batch []*job) (clean bool, err error) {
	if w.conn == nil {
		if w.conn, err = w.b.d.W.Conn(context.Background()); err != nil {
			w.conn = nil
			return false, errPipeUnsupported
		}
	}
	var groups [][]*job
	index := map[string]int{}
	for _, j := range batch {
		i, ok := index[j.shard]
		if !ok {
			i = len(groups)
			index[j.shard] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], j)
	}
	rerr := w.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			err = errPipeUnsupported
			return nil
		}
		p := newPipe(w.b.d, c.Conn())
		clean, err = p.run(groups)
		if p.broken {
			return driver.ErrBadConn
		}
		return nil
	})
	if rerr != nil { // the connection is gone: the next batch takes another
		w.conn.Close()
		w.conn = nil
		return false, errPipeUnsupported
	}
	if clean {
		w.b.jobs.Add(int64(len(batch)))
		w.b.commits.Add(1)
		w.b.pipelined.Add(1)
	}
	return clean, err
}

// tryStraight runs the batch without savepoints. clean is false when a
// request failed or was cancelled, after rolling everything back.
func (b *Batcher) tryStraight(batch []*job) (clean bool, err error) {
	ctx := context.Background()
	tx, err := b.d.Begin(ctx)
	if err != nil {
		return false, err
	}
	for _, j := range batch {
		if j.ctx.Err() != nil || j.fn(tx) != nil {
			_ = tx.Rollback()
			return false, nil
		}
	}
	b.jobs.Add(int64(len(batch)))
	b.commits.Add(1)
	return true, tx.Commit()
}

func (b *Batcher) trySavepoints(batch []*job, results []error) error {
	ctx := context.Background()
	tx, err := b.d.Begin(ctx)
	if err != nil {
		return err
	}
	live := 0
	for i, j := range batch {
		if err := j.ctx.Err(); err != nil {
			results[i] = err
			continue
		}
		if len(batch) == 1 {
			results[i] = j.fn(tx)
		} else {
			results[i] = b.savepoint(ctx, tx, j)
		}
		if results[i] == nil {
			live++
		}
	}
	b.jobs.Add(int64(len(batch)))
	b.commits.Add(1)
	if live == 0 {
		_ = tx.Rollback()
		if len(batch) == 1 && classify(results[0]) == ErrRetry {
			return results[0] // let run try the lone job again
		}
		return nil
	}
	return tx.Commit()
}

// savepoint runs one job in its own savepoint, retrying it there when it
// meets a deadlock or serialization failure.
func (b *Batcher) savepoint(ctx context.Context, tx *Tx, j *job) error {
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		err = tx.Savepoint(ctx, func() error { return j.fn(tx) })
		if classify(err) != ErrRetry {
			return err
		}
	}
	return err
}
