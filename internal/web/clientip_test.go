package web

import (
	"net/http/httptest"
	"testing"

	"civicpoints/internal/config"
)

func TestClientIP(t *testing.T) {
	proxies, err := config.ParseProxies("127.0.0.1, 10.0.0.0/8")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{proxies: proxies}
	tests := []struct {
		name, remote, xff, want string
	}{
		{"direct client", "203.0.113.7:5000", "", "203.0.113.7"},
		{"direct client lying in the header", "203.0.113.7:5000", "198.51.100.1", "203.0.113.7"},
		{"through the proxy", "127.0.0.1:40000", "198.51.100.1", "198.51.100.1"},
		{"client spoofs, proxy appends the truth", "127.0.0.1:40000", "1.2.3.4, 198.51.100.1", "198.51.100.1"},
		{"two trusted proxies", "127.0.0.1:40000", "198.51.100.1, 10.1.2.3", "198.51.100.1"},
		{"proxy without header", "127.0.0.1:40000", "", "127.0.0.1"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("POST", "/login", nil)
		r.RemoteAddr = tt.remote
		if tt.xff != "" {
			r.Header.Set("X-Forwarded-For", tt.xff)
		}
		if got := s.clientIP(r); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, got, tt.want)
		}
	}
	if _, err := config.ParseProxies("10.0.0.0/8, nope"); err == nil {
		t.Error("a bad proxy address was accepted")
	}
}
