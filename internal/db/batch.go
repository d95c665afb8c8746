package db

import (
	"context"
	"errors"
	"hash/fnv"
	"sync"
	"sync/atomic"
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
type Batcher struct {
	d       *DB
	queues  []chan *job
	max     int
	wg      sync.WaitGroup
	closeMu sync.RWMutex
	closed  bool

	commits, jobs atomic.Int64
}

// Stats reports how many transactions the batcher committed and how many
// requests they carried.
func (b *Batcher) Stats() (commits, jobs int64) { return b.commits.Load(), b.jobs.Load() }

type job struct {
	ctx  context.Context
	fn   func(*Tx) error
	done chan error
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
	j := &job{ctx: ctx, fn: fn, done: make(chan error, 1)}
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
		b.run(batch)
	}
}

// run commits one batch. It first runs every request straight in one
// transaction, with no savepoints (each costs two statements); only when a
// request fails does it start again with a savepoint per request, so one
// failure never undoes the others. A commit that meets a serialization
// failure or a busy database is retried whole.
func (b *Batcher) run(batch []*job) {
	results := make([]error, len(batch))
	var err error
	for attempt := 0; attempt < maxAttempts; attempt++ {
		var clean bool
		clean, err = b.tryStraight(batch)
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
