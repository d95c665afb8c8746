package app_test

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"civicpoints/internal/config"
	"civicpoints/internal/db/dbtest"
)

// /metrics answers loopback, the addresses of --metrics-from and a holder of
// --metrics-token; the client is the real one behind --trusted-proxies, and
// an X-Forwarded-For from anyone else is not believed.
func TestMetricsOnlyForAllowedClients(t *testing.T) {
	t.Parallel()
	d := dbtest.SQLite(t)
	const token = "metrics-token-0123456789"
	open := newAppCfg(t, d, &config.Config{Lang: "zh-CN", SecretKey: strings.Repeat("k", 32),
		TrustedProxies: "127.0.0.1", MetricsFrom: "10.1.0.0/16, 192.0.2.7", MetricsToken: token}).Handler()
	plain := newAppCfg(t, d, &config.Config{Lang: "zh-CN", SecretKey: strings.Repeat("k", 32)}).Handler()
	tests := []struct {
		name          string
		plainConfig   bool
		remote, xff   string
		authorization string
		want          int
	}{
		{"loopback", false, "127.0.0.1:5000", "", "", 200},
		{"loopback IPv6", false, "[::1]:5000", "", "", 200},
		{"named network", false, "10.1.2.3:5000", "", "", 200},
		{"named address", false, "192.0.2.7:5000", "", "", 200},
		{"remote", false, "203.0.113.9:5000", "", "", 403},
		{"remote through the trusted proxy", false, "127.0.0.1:5000", "203.0.113.9", "", 403},
		{"named network through the trusted proxy", false, "127.0.0.1:5000", "10.1.9.9", "", 200},
		{"remote claiming loopback", false, "203.0.113.9:5000", "127.0.0.1", "", 403},
		{"remote with the token", false, "203.0.113.9:5000", "", "Bearer " + token, 200},
		{"remote with a wrong token", false, "203.0.113.9:5000", "", "Bearer " + token + "x", 403},
		{"remote with an empty token", false, "203.0.113.9:5000", "", "Bearer ", 403},
		{"no flags: loopback", true, "127.0.0.1:5000", "", "", 200},
		{"no flags: remote", true, "192.0.2.7:5000", "", "", 403},
		{"no flags: remote with a bearer", true, "192.0.2.7:5000", "", "Bearer ", 403},
		{"no flags: proxy header not trusted", true, "127.0.0.1:5000", "203.0.113.9", "", 200},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/metrics", nil)
		r.RemoteAddr = tt.remote
		if tt.xff != "" {
			r.Header.Set("X-Forwarded-For", tt.xff)
		}
		if tt.authorization != "" {
			r.Header.Set("Authorization", tt.authorization)
		}
		h := open
		if tt.plainConfig {
			h = plain
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		body, _ := io.ReadAll(w.Body)
		if w.Code != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, w.Code, tt.want)
		}
		if got := strings.Contains(string(body), "go_goroutines"); got != (tt.want == 200) {
			t.Errorf("%s: metrics shown = %v", tt.name, got)
		}
	}
}
