package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"civicpoints/internal/app"
	"civicpoints/internal/civic"
	"civicpoints/internal/config"
	"civicpoints/internal/db"
)

type benchFlags struct {
	clients     int
	duration    time.Duration
	pattern     string
	residents   int
	communities int
	cpuprofile  string
	baseline    bool
}

var bf benchFlags

func init() {
	register(&command{
		name: "bench",
		summary: "measure awards per second: start a server on a scratch database and drive loopback HTTP load " +
			"(--db postgres://… benches PostgreSQL in a scratch schema that is dropped afterwards)",
		fields: []string{"db"},
		flags: func(fs *flag.FlagSet) {
			fs.IntVar(&bf.clients, "clients", 16, "concurrent HTTP clients")
			fs.DurationVar(&bf.duration, "duration", 10*time.Second, "how long to drive load")
			fs.StringVar(&bf.pattern, "pattern", "issuer", "issuer: every award from one community's issuance account; spread: awards spread over --communities communities")
			fs.IntVar(&bf.residents, "residents", 500, "residents per community")
			fs.IntVar(&bf.communities, "communities", 8, "communities for --pattern spread")
			fs.StringVar(&bf.cpuprofile, "cpuprofile", "", "write a CPU profile of the load phase to this file (go tool pprof)")
			fs.BoolVar(&bf.baseline, "baseline", false, "also measure, in the same run, a bare net/http JSON handler under the same load and a bare-SQL transfer loop committing each transfer, and print the ratios")
		},
		run: runBench,
	})
}

func runBench(ctx context.Context, env Env, cfg *config.Config, _ []string) error {
	if bf.pattern != "issuer" && bf.pattern != "spread" {
		return civic.Errorf(civic.Invalid, "bench.pattern", "--pattern must be issuer or spread, not %q", bf.pattern)
	}
	dsn, cleanup, err := scratchDB(ctx, env, cfg)
	if err != nil {
		return err
	}
	defer cleanup()
	dsn, appName := withAppName(dsn)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	d, err := db.Open(ctx, dsn)
	if err != nil {
		return err
	}
	if _, err := d.Migrate(ctx); err != nil {
		return err
	}
	a := app.New(&config.Config{Lang: "en"}, d, civic.SystemClock{}, quiet)
	defer a.Close()
	n := 1
	if bf.pattern == "spread" {
		n = bf.communities
	}
	targets, err := benchSetup(ctx, a, n, bf.residents)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: a.Handler()}
	go srv.Serve(ln)
	defer srv.Close()
	fmt.Fprintf(env.Stdout, "bench: %s, pattern %s, %d clients, %s, %d communities × %d residents\n",
		d.Dialect, bf.pattern, bf.clients, bf.duration, n, bf.residents)
	if bf.cpuprofile != "" {
		f, err := os.Create(bf.cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	var goCPU, pgCPU time.Duration
	pgOK := true
	awards := func(dur time.Duration) benchResult {
		g0 := processCPU()
		b0, ok0 := backendCPU(ctx, d, appName)
		r := drive(ctx, "http://"+ln.Addr().String(), targets, dur)
		b1, ok1 := backendCPU(ctx, d, appName)
		g1 := processCPU()
		goCPU += g1 - g0
		pgCPU += cpuSince(b0, b1)
		pgOK = pgOK && ok0 && ok1
		return r
	}
	var res, bareHTTP, bareSQL benchResult
	if bf.baseline {
		res, bareHTTP, bareSQL, err = withBaselines(ctx, d, targets, awards)
		if err != nil {
			return err
		}
	} else {
		res = awards(bf.duration)
	}
	if bf.cpuprofile != "" {
		pprof.StopCPUProfile()
	}
	commits, jobs := a.Batch.Stats()
	report(env.Stdout, "awards", res)
	if commits > 0 {
		fmt.Fprintf(env.Stdout, "group commit: %d commits, %.1f requests per commit, %d pipelined\n", commits, float64(jobs)/float64(commits), a.Batch.Pipelined())
	}
	if n := len(res.lat); n > 0 {
		fmt.Fprintf(env.Stdout, "cpu per award: this process %s", (goCPU / time.Duration(n)).Round(time.Microsecond))
		if pgOK && d.Dialect == db.Postgres {
			fmt.Fprintf(env.Stdout, ", PostgreSQL backends %s", (pgCPU / time.Duration(n)).Round(time.Microsecond))
		}
		fmt.Fprintln(env.Stdout)
	}
	if bf.baseline {
		report(env.Stdout, "bare HTTP", bareHTTP)
		report(env.Stdout, "bare SQL transfers", bareSQL)
		printRatios(env.Stdout, res, bareHTTP, bareSQL)
	}
	rep, err := a.Check(ctx, "")
	if err != nil {
		return err
	}
	if !rep.OK {
		return fmt.Errorf("check after bench found problems: %v", rep.Problems)
	}
	fmt.Fprintf(env.Stdout, "check: ok, %d transfers, %d points outstanding\n", rep.Transfers, rep.Outstanding)
	return nil
}

// benchResult is what one load phase measured.
type benchResult struct {
	lat      []time.Duration // of the requests that succeeded
	failures int
	elapsed  time.Duration
}

func (r benchResult) rate() float64 { return float64(len(r.lat)) / r.elapsed.Seconds() }

func (r *benchResult) add(o benchResult) {
	r.lat = append(r.lat, o.lat...)
	r.failures += o.failures
	r.elapsed += o.elapsed
}

// target is one community under load: its slug, a worker token and residents.
type target struct {
	slug, token string
	residents   []string
}

func benchSetup(ctx context.Context, a *app.App, communities, residents int) ([]target, error) {
	var out []target
	for i := range communities {
		sc, err := a.ScratchCommunity(ctx, fmt.Sprintf("bench%d", i), residents)
		if err != nil {
			return nil, err
		}
		out = append(out, target{slug: sc.Slug, token: sc.Token, residents: sc.Residents})
	}
	return out, nil
}

// driveRun numbers the runs of drive, so every request of a bench has a
// fresh idempotency key however many times drive runs.
var driveRun atomic.Int64

// drive runs bf.clients closed-loop HTTP clients posting awards to base
// for dur, each request under a fresh idempotency key.
func drive(ctx context.Context, base string, targets []target, dur time.Duration) benchResult {
	run := driveRun.Add(1)
	return loop(ctx, dur, func(c int) func() error {
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
		rng := rand.New(rand.NewPCG(uint64(c), 7))
		i := 0
		return func() error {
			i++
			t := targets[rng.IntN(len(targets))]
			body := fmt.Sprintf(`{"resident_id":%q,"points":%d,"indicator":"bench","reason":"bench"}`,
				t.residents[rng.IntN(len(t.residents))], 1+rng.IntN(5))
			req, _ := http.NewRequest("POST", base+"/api/v1/communities/"+t.slug+"/awards", strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+t.token)
			req.Header.Set("Idempotency-Key", fmt.Sprintf("r%d-c%d-%d", run, c, i))
			resp, err := client.Do(req)
			if err != nil {
				return err
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusCreated {
				return fmt.Errorf("status %d", resp.StatusCode)
			}
			return nil
		}
	})
}

func report(w io.Writer, what string, r benchResult) {
	lat := r.lat
	if len(lat) == 0 {
		fmt.Fprintf(w, "%s: no request succeeded (%d failures)\n", what, r.failures)
		return
	}
	slices.Sort(lat)
	pct := func(p float64) time.Duration { return lat[min(len(lat)-1, int(float64(len(lat))*p))] }
	fmt.Fprintf(w, "%s: %d in %s = %.0f/s; failures %d\n", what, len(lat), r.elapsed.Round(time.Millisecond), r.rate(), r.failures)
	fmt.Fprintf(w, "  latency: p50 %s, p99 %s, max %s\n", pct(0.50).Round(10*time.Microsecond), pct(0.99).Round(10*time.Microsecond), lat[len(lat)-1].Round(10*time.Microsecond))
}

// scratchDB returns a database to bench in and a function that removes it:
// a temporary SQLite file, or a fresh schema in the PostgreSQL --db.
func scratchDB(ctx context.Context, env Env, cfg *config.Config) (string, func(), error) {
	// Only a database named on purpose is benched; the default --db is the
	// user's own data, never a scratch database.
	if !isFlagSet(env.Flags, "db") && os.Getenv(config.EnvName("db")) == "" {
		dir, err := os.MkdirTemp("", "civicpoints-bench-")
		if err != nil {
			return "", nil, err
		}
		return filepath.Join(dir, "bench.db"), func() { os.RemoveAll(dir) }, nil
	}
	t, err := db.Parse(cfg.DB)
	if err != nil {
		return "", nil, err
	}
	if t.Dialect == db.SQLite {
		if _, err := os.Stat(t.Path); err == nil {
			return "", nil, civic.Errorf(civic.Invalid, "bench.exists", "bench needs a scratch database; %s already exists", t.Path)
		}
		return t.Path, func() { os.Remove(t.Path); os.Remove(t.Path + "-wal"); os.Remove(t.Path + "-shm") }, nil
	}
	return db.ScratchSchema(ctx, t.DSN, "bench_"+strings.ToLower(civic.NewID()))
}

func isFlagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
