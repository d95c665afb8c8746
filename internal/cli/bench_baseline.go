package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// The baselines of `bench --baseline` are the ceilings the awards path is
// judged against, measured in the same run on the same machine so that the
// load of other work on it cancels out of the ratios: what the HTTP stack
// alone can answer, and what the database can commit when every transfer
// commits alone (pgbench's shape, written in Go with the same driver).

// baselineRounds is how many slices each measurement of `bench --baseline`
// is cut into: the awards, the bare HTTP handler and the bare SQL loop take
// turns, a slice each, so a burst of other work on the machine falls on all
// three rather than on one.
const baselineRounds = 5

// withBaselines measures awards, the bare HTTP handler and the bare SQL loop
// in turns, bf.duration each in all.
func withBaselines(ctx context.Context, d *db.DB, targets []target, awards func(time.Duration) benchResult) (res, bareHTTP, bareSQL benchResult, err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return res, bareHTTP, bareSQL, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v1/communities/{c}/awards", bareAward)
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	defer srv.Close()
	transfer, drop, err := sqlBaseline(ctx, d, len(targets)*len(targets[0].residents))
	if err != nil {
		return res, bareHTTP, bareSQL, err
	}
	defer drop()
	slice := bf.duration / baselineRounds
	for range baselineRounds {
		res.add(awards(slice))
		bareHTTP.add(drive(ctx, "http://"+ln.Addr().String(), targets, slice))
		bareSQL.add(loop(ctx, slice, transfer))
	}
	return res, bareHTTP, bareSQL, nil
}

// bareAward is the least an award endpoint does over HTTP: read and decode
// the JSON body (unknown fields refused), answer 201 with a JSON body.
func bareAward(w http.ResponseWriter, r *http.Request) {
	var req struct {
		ResidentID string `json:"resident_id"`
		Points     int64  `json:"points"`
		Indicator  string `json:"indicator"`
		Reason     string `json:"reason"`
	}
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil || req.ResidentID == "" || r.Header.Get("Idempotency-Key") == "" {
		http.Error(w, `{"error":"bad request"}`, http.StatusBadRequest)
		return
	}
	body, _ := json.Marshal(map[string]any{"transfer_id": civic.NewID(), "balance": req.Points})
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusCreated)
	w.Write(body)
}

// sqlBaseline makes the tables of a bare double-entry transfer loop on d's
// writer pool and returns one transfer per call, each its own durable
// transaction: take points from one hot source account, give them to a
// random one of n accounts, and record both legs. drop removes the tables.
func sqlBaseline(ctx context.Context, d *db.DB, n int) (transfer func(int) func() error, drop func(), err error) {
	setup := []string{
		"CREATE TABLE bench_accounts (id BIGINT PRIMARY KEY, balance BIGINT NOT NULL)",
		"CREATE TABLE bench_postings (transfer_id BIGINT NOT NULL, account_id BIGINT NOT NULL, amount BIGINT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (transfer_id, account_id))",
	}
	for _, q := range setup {
		if _, err := d.W.ExecContext(ctx, q); err != nil {
			return nil, nil, err
		}
	}
	drop = func() {
		d.W.ExecContext(context.Background(), "DROP TABLE bench_postings")
		d.W.ExecContext(context.Background(), "DROP TABLE bench_accounts")
	}
	if _, err := d.W.ExecContext(ctx, d.Q("INSERT INTO bench_accounts (id, balance) VALUES (0, $1)"), int64(1)<<50); err != nil {
		return nil, drop, err
	}
	if _, err := d.W.ExecContext(ctx, d.Q("INSERT INTO bench_accounts (id, balance) SELECT x, 0 FROM (WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < $1) SELECT x FROM s) AS t"), n); err != nil {
		return nil, drop, err
	}
	var seq atomic.Int64
	qs := [...]string{
		d.Q("UPDATE bench_accounts SET balance = balance - $1 WHERE id = 0 AND balance >= $1"),
		d.Q("UPDATE bench_accounts SET balance = balance + $1 WHERE id = $2"),
		d.Q("INSERT INTO bench_postings (transfer_id, account_id, amount, created_at) VALUES ($1, 0, $2, $4), ($1, $3, $5, $4)"),
	}
	one := func(rng *rand.Rand) error {
		amt, to, id := int64(1+rng.IntN(5)), int64(1+rng.IntN(n)), seq.Add(1)
		tx, err := d.W.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		if _, err := tx.ExecContext(ctx, qs[0], amt); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, qs[1], amt, to); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, qs[2], id, -amt, to, time.Now().UnixMilli(), amt); err != nil {
			return err
		}
		return tx.Commit()
	}
	return func(c int) func() error {
		rng := rand.New(rand.NewPCG(uint64(c), 11))
		return func() error { return one(rng) }
	}, drop, nil
}

// loop runs bf.clients closed loops of one operation for dur and gathers
// the latencies of the ones that succeeded.
func loop(ctx context.Context, dur time.Duration, op func(client int) func() error) benchResult {
	deadline := time.Now().Add(dur)
	var mu sync.Mutex
	var wg sync.WaitGroup
	var res benchResult
	start := time.Now()
	for c := range bf.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			do := op(c)
			var lat []time.Duration
			fails := 0
			for time.Now().Before(deadline) && ctx.Err() == nil {
				t := time.Now()
				if err := do(); err != nil {
					fails++
					continue
				}
				lat = append(lat, time.Since(t))
			}
			mu.Lock()
			res.lat = append(res.lat, lat...)
			res.failures += fails
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	return res
}

// printRatios says how the awards path compares with the two ceilings.
func printRatios(w io.Writer, awards, bareHTTP, bareSQL benchResult) {
	fmt.Fprintf(w, "ratio: awards / bare HTTP = %.3f (%.0f / %.0f per s)\n", awards.rate()/bareHTTP.rate(), awards.rate(), bareHTTP.rate())
	fmt.Fprintf(w, "ratio: awards / bare SQL transfers = %.2f× (%.0f / %.0f per s)\n", awards.rate()/bareSQL.rate(), awards.rate(), bareSQL.rate())
}
