// Package crashtest kills the real civicpoints binary with SIGKILL in the
// middle of a mixed, concurrent load, restarts it, replays every request with
// its idempotency key and checks that nothing acknowledged was lost or
// applied twice. It runs from `make crash` (CIVICPOINTS_CRASH_CYCLES set),
// which CI runs on both engines.
package crashtest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"civicpoints/internal/app"
	"civicpoints/internal/civic"
	"civicpoints/internal/config"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/idem"
	"civicpoints/internal/station"
)

func cycles(t *testing.T) int {
	n, _ := strconv.Atoi(os.Getenv("CIVICPOINTS_CRASH_CYCLES"))
	if n <= 0 {
		t.Skip("crash test runs from `make crash` (set CIVICPOINTS_CRASH_CYCLES)")
	}
	return n
}

func TestCrashSQLite(t *testing.T) {
	n := cycles(t)
	crash(t, binary(t), dbtest.SQLiteDSN(t), n)
}

func TestCrashPostgres(t *testing.T) {
	n := cycles(t)
	crash(t, binary(t), dbtest.PostgresDSN(t), n)
}

var (
	buildOnce sync.Once
	built     string
	buildErr  error
)

func binary(t *testing.T) string {
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "civicpoints-crash-")
		if err != nil {
			buildErr = err
			return
		}
		built = filepath.Join(dir, "civicpoints")
		out, err := exec.Command("go", "build", "-o", built, "civicpoints/cmd/civicpoints").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return built
}

// world is what the load runs against.
type world struct {
	token     string
	residents []string
	goods     []string
}

func seed(t *testing.T, dsn string) world {
	ctx := context.Background()
	d, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	a := app.New(&config.Config{Lang: "en"}, d, civic.SystemClock{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	defer a.Close()
	sc, err := a.ScratchCommunity(ctx, "chunjiang", 40)
	if err != nil {
		t.Fatal(err)
	}
	w := world{token: sc.Token, residents: sc.Residents}
	for i, p := range []int64{5, 8, 13} {
		name := fmt.Sprintf("good %d", i)
		g, err := a.Station.CreateGood(ctx, sc.Worker, idem.Key(fmt.Sprintf("seed-good-%d", i)), station.CreateGoodRequest{Community: sc.CommunityID, Name: name, Points: p, Stock: 100000})
		if err != nil {
			t.Fatal(err)
		}
		w.goods = append(w.goods, g.ID)
	}
	return w
}

// request is one POST with its key, and its first 2xx answer if it got one.
type request struct {
	path, key, body string
	status          int
	answer          string
}

const base = "/api/v1/communities/chunjiang"

func crash(t *testing.T, bin, dsn string, n int) {
	w := seed(t, dsn)
	var all []*request
	var acked []string // transfer ids answered 2xx
	for cycle := range n {
		addr := freeAddr(t)
		srv := start(t, bin, dsn, addr)
		reqs := load(addr, w, acked, time.Duration(200+rand.IntN(400))*time.Millisecond, srv)
		all = append(all, reqs...)
		srv.Wait()
		// Restart and replay everything sent so far, in a random order.
		srv = start(t, bin, dsn, addr)
		answered := 0
		for _, i := range rand.Perm(len(all)) {
			r := all[i]
			status, body := post(addr, w.token, r)
			if status == 0 {
				t.Fatalf("cycle %d: replay of %s got no answer", cycle, r.key)
			}
			if r.status/100 == 2 {
				answered++
				if status != r.status || body != r.answer {
					t.Fatalf("cycle %d: replay of %s answered %d %s, first answer was %d %s", cycle, r.key, status, body, r.status, r.answer)
				}
			} else if status/100 == 2 {
				r.status, r.answer = status, body // applied now, or committed before the kill unanswered
			}
		}
		acked = acked[:0]
		for _, r := range all {
			if id := transferID(r.answer); r.status/100 == 2 && id != "" {
				acked = append(acked, id)
			}
		}
		stop(t, srv)
		verify(t, bin, dsn, all)
		t.Logf("cycle %d: %d requests so far, %d answered before their kill", cycle, len(all), answered)
	}
}

// load sends awards, redemptions and reversals from 8 clients until the
// server is killed after d.
func load(addr string, w world, acked []string, d time.Duration, srv *exec.Cmd) []*request {
	var mu sync.Mutex
	var reqs []*request
	stopAt := time.Now().Add(d)
	var wg sync.WaitGroup
	for c := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), uint64(c)))
			for i := 0; ; i++ {
				r := &request{key: fmt.Sprintf("%s-c%d-%d", civic.NewID(), c, i)}
				res := w.residents[rng.IntN(len(w.residents))]
				switch k := rng.IntN(10); {
				case k < 6:
					r.path, r.body = base+"/awards", fmt.Sprintf(`{"resident_id":%q,"points":%d,"indicator":"bench","reason":"crash test"}`, res, 1+rng.IntN(30))
				case k < 9:
					r.path, r.body = base+"/redemptions", fmt.Sprintf(`{"resident_id":%q,"items":[{"good_id":%q,"quantity":%d}]}`, res, w.goods[rng.IntN(len(w.goods))], 1+rng.IntN(2))
				default:
					if len(acked) == 0 {
						continue
					}
					r.path, r.body = base+"/reversals", fmt.Sprintf(`{"transfer_id":%q,"reason":"crash test"}`, acked[rng.IntN(len(acked))])
				}
				mu.Lock()
				reqs = append(reqs, r)
				mu.Unlock()
				status, body := post(addr, w.token, r)
				if status == 0 {
					return // the server is gone
				}
				if status/100 == 2 {
					r.status, r.answer = status, body
				}
			}
		}()
	}
	time.Sleep(time.Until(stopAt))
	srv.Process.Signal(syscall.SIGKILL)
	wg.Wait()
	return reqs
}

var client = &http.Client{Timeout: 10 * time.Second}

func post(addr, token string, r *request) (int, string) {
	req, _ := http.NewRequest("POST", "http://"+addr+r.path, strings.NewReader(r.body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Idempotency-Key", r.key)
	resp, err := client.Do(req)
	if err != nil {
		return 0, ""
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, ""
	}
	return resp.StatusCode, string(body)
}

func transferID(answer string) string {
	var v struct {
		TransferID string `json:"transfer_id"`
	}
	_ = json.Unmarshal([]byte(answer), &v)
	return v.TransferID
}

// verify checks, with the server stopped, that every acknowledged transfer
// exists exactly once, that no key made two transfers, and that
// `civicpoints check` is clean.
func verify(t *testing.T, bin, dsn string, all []*request) {
	ctx := context.Background()
	d, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for _, r := range all {
		id := transferID(r.answer)
		if r.status/100 != 2 || id == "" {
			continue
		}
		var n int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM ledger_transfers WHERE id = $1", id).Scan(&n); err != nil || n != 1 {
			t.Fatalf("acknowledged transfer %s (key %s) found %d times (%v)", id, r.key, n, err)
		}
	}
	var dup int
	if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM (SELECT idem_key FROM ledger_transfers WHERE idem_key <> ''
		GROUP BY community_id, idem_key HAVING COUNT(*) > 1) x`).Scan(&dup); err != nil || dup != 0 {
		t.Fatalf("%d idempotency keys made more than one transfer (%v)", dup, err)
	}
	out, err := exec.Command(bin, "check", "--db", dsn).CombinedOutput()
	if err != nil {
		t.Fatalf("civicpoints check: %v\n%s", err, out)
	}
}

func start(t *testing.T, bin, dsn, addr string) *exec.Cmd {
	cmd := exec.Command(bin, "serve", "--db", dsn, "--addr", addr, "--log-level", "error")
	cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for range 200 {
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			return cmd
		}
		time.Sleep(25 * time.Millisecond)
	}
	cmd.Process.Kill()
	t.Fatalf("server on %s did not come up", addr)
	return nil
}

func stop(t *testing.T, cmd *exec.Cmd) {
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		cmd.Process.Kill()
		t.Fatal("server did not stop on SIGTERM")
	}
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
