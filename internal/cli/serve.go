package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"syscall"
	"time"

	"civicpoints/internal/app"
	"civicpoints/internal/civic"
	"civicpoints/internal/config"
)

func init() {
	register(&command{
		name:    "serve",
		summary: "run the web pages and the API",
		fields: []string{"db", "addr", "migrate", "lang", "log-level", "log-format", "secret-key", "session-ttl", "cookie-https", "trusted-proxies",
			"read-timeout", "write-timeout", "idle-timeout", "upload-timeout", "metrics-from", "metrics-token"},
		run: serve,
	})
}

func serve(ctx context.Context, env Env, cfg *config.Config, _ []string) error {
	log := NewLogger(env.Stdout, cfg)
	a, err := app.Open(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return civic.Errorf(civic.Unavailable, "config.port_use", "cannot listen on %s: the port is already in use", cfg.Addr)
		}
		return fmt.Errorf("cannot listen on %s: %w", cfg.Addr, err)
	}
	srv := a.Server()
	log.Info("serving", "addr", "http://"+ln.Addr().String(), "db", a.DB.String())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	jobs, stopJobs := context.WithCancel(ctx)
	defer stopJobs()
	go a.RunJobs(jobs, time.Minute)
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	log.Info("shutting down")
	return srv.Shutdown(shut)
}

// NewLogger logs through slog: JSON unless stdout is a terminal or text was asked for.
func NewLogger(w interface{ Write([]byte) (int, error) }, cfg *config.Config) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	format := cfg.LogFormat
	if format == "auto" || format == "" {
		format = "json"
		if f, ok := w.(*os.File); ok && isTerminal(f) {
			format = "text"
		}
	}
	if format == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
