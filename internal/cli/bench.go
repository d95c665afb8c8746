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
	"sync"
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
	lat, failures := drive(ctx, "http://"+ln.Addr().String(), targets)
	if bf.cpuprofile != "" {
		pprof.StopCPUProfile()
	}
	commits, jobs := a.Batch.Stats()
	report(env.Stdout, lat, failures, commits, jobs)
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

func drive(ctx context.Context, base string, targets []target) (all []time.Duration, failures int) {
	deadline := time.Now().Add(bf.duration)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for c := range bf.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
			rng := rand.New(rand.NewPCG(uint64(c), 7))
			var lat []time.Duration
			fails := 0
			for i := 0; time.Now().Before(deadline) && ctx.Err() == nil; i++ {
				t := targets[rng.IntN(len(targets))]
				body := fmt.Sprintf(`{"resident_id":%q,"points":%d,"indicator":"bench","reason":"bench"}`,
					t.residents[rng.IntN(len(t.residents))], 1+rng.IntN(5))
				req, _ := http.NewRequest("POST", base+"/api/v1/communities/"+t.slug+"/awards", strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+t.token)
				req.Header.Set("Idempotency-Key", fmt.Sprintf("c%d-%d", c, i))
				start := time.Now()
				resp, err := client.Do(req)
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				if err != nil || resp.StatusCode != http.StatusCreated {
					fails++
					continue
				}
				lat = append(lat, time.Since(start))
			}
			mu.Lock()
			all = append(all, lat...)
			failures += fails
			mu.Unlock()
		}()
	}
	wg.Wait()
	return all, failures
}

func report(w io.Writer, lat []time.Duration, failures int, commits, jobs int64) {
	if len(lat) == 0 {
		fmt.Fprintf(w, "no request succeeded (%d failures)\n", failures)
		return
	}
	slices.Sort(lat)
	pct := func(p float64) time.Duration { return lat[min(len(lat)-1, int(float64(len(lat))*p))] }
	fmt.Fprintf(w, "awards: %d in %s = %.0f/s; failures %d\n", len(lat), bf.duration, float64(len(lat))/bf.duration.Seconds(), failures)
	fmt.Fprintf(w, "latency: p50 %s, p99 %s, max %s\n", pct(0.50).Round(10*time.Microsecond), pct(0.99).Round(10*time.Microsecond), lat[len(lat)-1].Round(10*time.Microsecond))
	if commits > 0 {
		fmt.Fprintf(w, "group commit: %d commits, %.1f requests per commit\n", commits, float64(jobs)/float64(commits))
	}
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
