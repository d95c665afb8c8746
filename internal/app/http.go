package app

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"civicpoints/internal/config"
	"civicpoints/internal/edge"
	"civicpoints/internal/web"
)

// Handler is the whole HTTP surface: pages, API, health and metrics, behind
// request ids, access logs, metrics and cross-origin protection.
func (a *App) Handler() http.Handler {
	log := slog.New(web.LogHandler(a.Log.Handler()))
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), dbCollector{a})
	m := newHTTPMetrics(reg)

	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", a.readyz)
	mux.Handle("GET /metrics", a.metricsGuard(promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg})))
	a.mountAPI(mux)
	w, err := web.New(web.Options{Cfg: a.Cfg, DB: a.DB, Auth: a.Auth, Clock: a.Clock, Log: log, Earning: a.Earning, Ledger: a.Ledger,
		Registry: a.Registry, Batch: a.Batch, Codes: a.Codes, Station: a.Station,
		Credit: a.Credit, District: a.District, Garden: a.Garden})
	if err != nil {
		// The templates are embedded: a parse error is a bug caught by every
		// test that builds a handler, never a runtime condition.
		panic(err)
	}
	w.Routes(mux)

	// Cross-origin form posts are refused for the whole surface. Requests
	// without browser headers (API clients with a token) pass.
	protected := http.NewCrossOriginProtection().Handler(mux)
	return withRequestID(observe(protected, log, m))
}

// Server is the HTTP server of `civicpoints serve`: the whole surface,
// bounded by the configured timeouts so that a client sending or reading
// slowly, or idling on a kept-alive connection, cannot hold a connection
// open indefinitely. Upload pages extend their own deadlines to
// --upload-timeout once the user is known (internal/web/edge.go); every
// route bounds its body (web: edge.MaxBody or the page's Upload; API:
// edge.MaxBody).
func (a *App) Server() *http.Server {
	read := orDefault(a.Cfg.ReadTimeout, config.DefaultReadTimeout)
	return &http.Server{
		Handler:           a.Handler(),
		ReadHeaderTimeout: min(10*time.Second, read),
		ReadTimeout:       read,
		WriteTimeout:      orDefault(a.Cfg.WriteTimeout, config.DefaultWriteTimeout),
		IdleTimeout:       orDefault(a.Cfg.IdleTimeout, config.DefaultIdleTimeout),
		ErrorLog:          slog.NewLogLogger(a.Log.Handler(), slog.LevelWarn),
	}
}

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// metricsGuard lets /metrics answer only loopback, the addresses of
// --metrics-from and a request bearing --metrics-token: the figures tell
// anyone how busy the service and its database are. The client is the real
// one behind --trusted-proxies, so a proxy on loopback does not open it to
// everyone it forwards. The flags were validated at start.
func (a *App) metricsGuard(next http.Handler) http.Handler {
	proxies, _ := config.ParseProxies(a.Cfg.TrustedProxies)
	from, _ := config.ParseMetricsFrom(a.Cfg.MetricsFrom)
	from = append(from, netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128"))
	token := a.Cfg.MetricsToken
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		bearer, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if edge.In(from, edge.ClientIP(r, proxies)) ||
			token != "" && subtle.ConstantTimeCompare([]byte(bearer), []byte(token)) == 1 {
			next.ServeHTTP(w, r)
			return
		}
		http.Error(w, "forbidden: /metrics is open to loopback, --metrics-from and --metrics-token only", http.StatusForbidden)
	})
}

// readyz answers 200 when the database answers and its schema is current,
// else 503 with the reason.
func (a *App) readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	if err := a.DB.Ping(ctx); err != nil {
		http.Error(w, "database unreachable: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	if err := a.DB.RequireCurrent(ctx); err != nil {
		http.Error(w, "database not ready: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ready\n"))
}

// withRequestID takes the caller's X-Request-Id (when sane) or makes one,
// echoes it in the response and puts it in the context for every log line.
func withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !saneID(id) {
			var b [12]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(web.WithRequestID(r.Context(), id)))
	})
}

func saneID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for _, c := range id {
		if c < '!' || c > '~' {
			return false
		}
	}
	return true
}

type httpMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newHTTPMetrics(reg prometheus.Registerer) *httpMetrics {
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "civicpoints_http_requests_total",
			Help: "HTTP requests by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "civicpoints_http_request_duration_seconds",
			Help:    "Time to answer HTTP requests, by route pattern and method.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "method"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

// statusWriter remembers the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe logs each request and counts it by route pattern (never by raw
// path, which would let any URL create a metric series). The mux sets
// r.Pattern on the request it is handed, which is this r.
func observe(next http.Handler, log *slog.Logger, m *httpMetrics) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		d := time.Since(start)
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		m.requests.WithLabelValues(route, r.Method, fmt.Sprint(sw.status)).Inc()
		m.duration.WithLabelValues(route, r.Method).Observe(d.Seconds())
		level := slog.LevelInfo
		if sw.status >= 500 {
			level = slog.LevelError
		}
		log.Log(r.Context(), level, "request", "method", r.Method, "path", r.URL.Path, "route", route,
			"status", sw.status, "bytes", sw.bytes, "duration_ms", float64(d.Microseconds())/1000, "remote", r.RemoteAddr)
	})
}

// dbCollector reports the connection pools from a.DB.Stats() at scrape time.
type dbCollector struct{ a *App }

var (
	dbOpen     = prometheus.NewDesc("civicpoints_db_open_connections", "Open database connections.", []string{"pool"}, nil)
	dbInUse    = prometheus.NewDesc("civicpoints_db_in_use_connections", "Database connections in use.", []string{"pool"}, nil)
	dbIdle     = prometheus.NewDesc("civicpoints_db_idle_connections", "Idle database connections.", []string{"pool"}, nil)
	dbMaxOpen  = prometheus.NewDesc("civicpoints_db_max_open_connections", "Most database connections allowed.", []string{"pool"}, nil)
	dbWaits    = prometheus.NewDesc("civicpoints_db_wait_count_total", "Times a request waited for a database connection.", []string{"pool"}, nil)
	dbWaitTime = prometheus.NewDesc("civicpoints_db_wait_seconds_total", "Time spent waiting for a database connection.", []string{"pool"}, nil)
)

func (dbCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{dbOpen, dbInUse, dbIdle, dbMaxOpen, dbWaits, dbWaitTime} {
		ch <- d
	}
}

func (c dbCollector) Collect(ch chan<- prometheus.Metric) {
	w, r := c.a.DB.Stats()
	pools := map[string]sqlStats{"writer": stats(w)}
	if c.a.DB.R != c.a.DB.W {
		pools["reader"] = stats(r)
	}
	for name, s := range pools {
		ch <- prometheus.MustNewConstMetric(dbOpen, prometheus.GaugeValue, s.open, name)
		ch <- prometheus.MustNewConstMetric(dbInUse, prometheus.GaugeValue, s.inUse, name)
		ch <- prometheus.MustNewConstMetric(dbIdle, prometheus.GaugeValue, s.idle, name)
		ch <- prometheus.MustNewConstMetric(dbMaxOpen, prometheus.GaugeValue, s.maxOpen, name)
		ch <- prometheus.MustNewConstMetric(dbWaits, prometheus.CounterValue, s.waits, name)
		ch <- prometheus.MustNewConstMetric(dbWaitTime, prometheus.CounterValue, s.waitSeconds, name)
	}
}
