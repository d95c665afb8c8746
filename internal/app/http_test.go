package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"civicpoints/internal/app"
	"civicpoints/internal/civic"
	"civicpoints/internal/config"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
)

func newApp(t *testing.T, d *db.DB, logs io.Writer) *app.App {
	t.Helper()
	cfg := &config.Config{Lang: "zh-CN", SecretKey: strings.Repeat("k", 32)}
	return app.New(cfg, d, civic.SystemClock{}, slog.New(slog.NewJSONHandler(logs, nil)))
}

func newAppCfg(t *testing.T, d *db.DB, cfg *config.Config) *app.App {
	t.Helper()
	a := app.New(cfg, d, civic.SystemClock{}, slog.New(slog.DiscardHandler))
	t.Cleanup(a.Batch.Close)
	return a
}

func get(t *testing.T, h http.Handler, path string, hdr map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest("GET", path, nil)
	for k, v := range hdr {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// getFrom is get from a client address (httptest's default is 192.0.2.1).
func getFrom(t *testing.T, h http.Handler, remote, path string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest("GET", path, nil)
	r.RemoteAddr = remote
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestHealthAndReady(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		h := newApp(t, d, io.Discard).Handler()
		if w := get(t, h, "/healthz", nil); w.Code != 200 || w.Body.String() != "ok\n" {
			t.Errorf("healthz = %d %q", w.Code, w.Body)
		}
		if w := get(t, h, "/readyz", nil); w.Code != 200 {
			t.Errorf("readyz on a current database = %d %q", w.Code, w.Body)
		}
	})
}

func TestReadyzPendingMigrations(t *testing.T) {
	t.Parallel()
	d, err := db.Open(context.Background(), dbtest.SQLiteDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	h := newApp(t, d, io.Discard).Handler()
	w := get(t, h, "/readyz", nil)
	if w.Code != 503 || !strings.Contains(w.Body.String(), "civicpoints migrate") {
		t.Errorf("readyz with pending migrations = %d %q, want 503 naming the fix", w.Code, w.Body)
	}
	d.Close()
	if w := get(t, h, "/readyz", nil); w.Code != 503 {
		t.Errorf("readyz on a closed database = %d, want 503", w.Code)
	}
	if w := get(t, h, "/healthz", nil); w.Code != 200 {
		t.Errorf("healthz must not depend on the database: %d", w.Code)
	}
}

func TestMetricsAndRequestID(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	a := newApp(t, dbtest.SQLite(t), &logs)
	h := a.Handler()
	w := get(t, h, "/healthz", map[string]string{"X-Request-Id": "abc-123"})
	if got := w.Header().Get("X-Request-Id"); got != "abc-123" {
		t.Errorf("X-Request-Id echoed as %q", got)
	}
	w = get(t, h, "/login", nil)
	if got := w.Header().Get("X-Request-Id"); len(got) != 24 {
		t.Errorf("generated X-Request-Id %q", got)
	}
	get(t, h, "/no/such/page", nil)
	// Every access log line carries its request id.
	var sawGiven bool
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if rec["msg"] == "request" && rec["request_id"] == nil {
			t.Errorf("log line without request_id: %s", line)
		}
		if rec["request_id"] == "abc-123" && rec["route"] == "GET /healthz" {
			sawGiven = true
		}
	}
	if !sawGiven {
		t.Errorf("no access log for the healthz request:\n%s", logs.String())
	}

	body := getFrom(t, h, "127.0.0.1:40000", "/metrics").Body.String()
	for _, want := range []string{
		`civicpoints_http_requests_total{method="GET",route="GET /healthz",status="200"} 1`,
		`civicpoints_http_requests_total{method="GET",route="GET /",status="404"} 1`,
		`civicpoints_http_request_duration_seconds_bucket{method="GET",route="GET /login",le="+Inf"} 1`,
		`civicpoints_db_open_connections{pool="writer"}`,
		`civicpoints_db_max_open_connections{pool="writer"} 1`,
		`civicpoints_db_open_connections{pool="reader"}`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

func TestCrossOriginPostRefused(t *testing.T) {
	t.Parallel()
	h := newApp(t, dbtest.SQLite(t), io.Discard).Handler()
	post := func(hdr map[string]string) int {
		r := httptest.NewRequest("POST", "/login", strings.NewReader("username=admin&password=x"))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range hdr {
			r.Header.Set(k, v)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code
	}
	if got := post(map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}); got != http.StatusForbidden {
		t.Errorf("cross-site form post = %d, want 403", got)
	}
	if got := post(map[string]string{"Sec-Fetch-Site": "same-origin"}); got != http.StatusUnauthorized {
		t.Errorf("same-origin form post with a wrong password = %d, want 401", got)
	}
}
