// Package config holds the effective configuration: flags, each with a
// CIVICPOINTS_* environment twin, validated once and passed in, never global.
package config

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// Config is everything a command may need. Commands bind only the fields they use.
type Config struct {
	DB          string
	Addr        string
	Migrate     bool
	Lang        string
	LogLevel    string
	LogFormat   string
	SecretKey   string // encrypts ID numbers and phones at rest; signs codes
	SessionTTL  time.Duration
	CookieHTTPS bool
	Community   string
	// TrustedProxies are the reverse proxies (comma-separated IPs or CIDRs)
	// whose X-Forwarded-For names the real client, for per-address limits.
	TrustedProxies string
	// Timeouts of the HTTP server (see DefaultReadTimeout…): a slow client
	// cannot hold a connection longer. Uploads get UploadTimeout instead.
	ReadTimeout, WriteTimeout, IdleTimeout, UploadTimeout time.Duration
	// MetricsFrom are the addresses (IPs or CIDRs, beside loopback) that may
	// read /metrics; MetricsToken, when set, lets any address with it.
	MetricsFrom  string
	MetricsToken string
}

// The server's timeouts when none is configured.
const (
	DefaultReadTimeout   = 30 * time.Second // the whole request, headers and body
	DefaultWriteTimeout  = 60 * time.Second // from the end of the headers to the end of the answer
	DefaultIdleTimeout   = 2 * time.Minute  // a kept-alive connection between requests
	DefaultUploadTimeout = 10 * time.Minute // an upload page's request and answer
)

// Field describes one setting: its flag, its environment twin and its help.
type Field struct {
	Name   string
	Usage  string
	Secret bool
	bind   func(fs *flag.FlagSet, c *Config, name, usage string)
}

var fields = map[string]Field{
	"db":              {Usage: "database: a file path or sqlite:PATH (SQLite), or postgres://… (PostgreSQL)", bind: str(func(c *Config) *string { return &c.DB }, "./civicpoints.db")},
	"addr":            {Usage: "address to listen on, host:port", bind: str(func(c *Config) *string { return &c.Addr }, "127.0.0.1:8080")},
	"migrate":         {Usage: "apply pending migrations before serving", bind: boolean(func(c *Config) *bool { return &c.Migrate }, false)},
	"lang":            {Usage: "default language of pages and messages: zh-CN or en", bind: str(func(c *Config) *string { return &c.Lang }, "zh-CN")},
	"log-level":       {Usage: "log level: debug, info, warn or error", bind: str(func(c *Config) *string { return &c.LogLevel }, "info")},
	"log-format":      {Usage: "log format: auto (JSON unless stdout is a terminal), json or text", bind: str(func(c *Config) *string { return &c.LogFormat }, "auto")},
	"secret-key":      {Usage: "secret that encrypts sensitive fields and signs codes (32+ characters; keep it safe and backed up)", Secret: true, bind: str(func(c *Config) *string { return &c.SecretKey }, "")},
	"session-ttl":     {Usage: "how long a login session lasts without use", bind: dur(func(c *Config) *time.Duration { return &c.SessionTTL }, 12*time.Hour)},
	"cookie-https":    {Usage: "mark session cookies Secure (set when served over HTTPS)", bind: boolean(func(c *Config) *bool { return &c.CookieHTTPS }, false)},
	"trusted-proxies": {Usage: "reverse proxies whose X-Forwarded-For names the client (comma-separated IPs or CIDRs, such as 127.0.0.1,10.0.0.0/8); login limits per address then count the real client", bind: str(func(c *Config) *string { return &c.TrustedProxies }, "")},
	"read-timeout":    {Usage: "longest time to read a request, headers and body (uploads: --upload-timeout)", bind: dur(func(c *Config) *time.Duration { return &c.ReadTimeout }, DefaultReadTimeout)},
	"write-timeout":   {Usage: "longest time to answer a request once its headers are read (uploads: --upload-timeout)", bind: dur(func(c *Config) *time.Duration { return &c.WriteTimeout }, DefaultWriteTimeout)},
	"idle-timeout":    {Usage: "how long a kept-alive connection may wait for its next request", bind: dur(func(c *Config) *time.Duration { return &c.IdleTimeout }, DefaultIdleTimeout)},
	"upload-timeout":  {Usage: "longest time to receive and answer an upload (resident import, suggestion photo)", bind: dur(func(c *Config) *time.Duration { return &c.UploadTimeout }, DefaultUploadTimeout)},
	"metrics-from":    {Usage: "addresses besides loopback that may read /metrics (comma-separated IPs or CIDRs); the client address is the real client behind --trusted-proxies", bind: str(func(c *Config) *string { return &c.MetricsFrom }, "")},
	"metrics-token":   {Usage: "a secret that lets any address read /metrics with Authorization: Bearer <token> (16+ characters)", Secret: true, bind: str(func(c *Config) *string { return &c.MetricsToken }, "")},
	"community":       {Usage: "community slug, such as chunjiang", bind: str(func(c *Config) *string { return &c.Community }, "")},
}

// EnvName is the environment twin of a flag: db → CIVICPOINTS_DB.
func EnvName(flagName string) string {
	return "CIVICPOINTS_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// Bind registers the named settings on fs; each default comes from its
// environment twin when that is set.
func (c *Config) Bind(fs *flag.FlagSet, names ...string) {
	for _, n := range names {
		f, ok := fields[n]
		if !ok {
			panic("config: unknown field " + n)
		}
		f.bind(fs, c, n, fmt.Sprintf("%s (env %s)", f.Usage, EnvName(n)))
	}
}

func str(p func(*Config) *string, def string) func(*flag.FlagSet, *Config, string, string) {
	return func(fs *flag.FlagSet, c *Config, name, usage string) {
		if v, ok := os.LookupEnv(EnvName(name)); ok {
			def = v
		}
		fs.StringVar(p(c), name, def, usage)
	}
}

func boolean(p func(*Config) *bool, def bool) func(*flag.FlagSet, *Config, string, string) {
	return func(fs *flag.FlagSet, c *Config, name, usage string) {
		if v, ok := os.LookupEnv(EnvName(name)); ok {
			if b, err := strconv.ParseBool(v); err == nil {
				def = b
			}
		}
		fs.BoolVar(p(c), name, def, usage)
	}
}

func dur(p func(*Config) *time.Duration, def time.Duration) func(*flag.FlagSet, *Config, string, string) {
	return func(fs *flag.FlagSet, c *Config, name, usage string) {
		if v, ok := os.LookupEnv(EnvName(name)); ok {
			if d, err := time.ParseDuration(v); err == nil {
				def = d
			}
		}
		fs.DurationVar(p(c), name, def, usage)
	}
}

// Validate checks the values that were bound.
func (c *Config) Validate() error {
	if c.DB != "" {
		if _, err := db.Parse(c.DB); err != nil {
			return err
		}
	}
	if c.Addr != "" {
		if _, _, err := net.SplitHostPort(c.Addr); err != nil {
			return civic.Errorf(civic.Invalid, "config.addr", "--addr %q is not host:port", c.Addr)
		}
	}
	if c.Lang != "" && c.Lang != "zh-CN" && c.Lang != "en" {
		return civic.Errorf(civic.Invalid, "config.lang", "--lang %q: use zh-CN or en", c.Lang)
	}
	if _, err := ParseProxies(c.TrustedProxies); err != nil {
		return err
	}
	if _, err := ParseMetricsFrom(c.MetricsFrom); err != nil {
		return err
	}
	if c.MetricsToken != "" && len(c.MetricsToken) < 16 {
		return civic.Errorf(civic.Invalid, "config.metrics_token", "--metrics-token is too short: use 16 or more characters")
	}
	for _, d := range []struct {
		flag string
		v    time.Duration
	}{{"--read-timeout", c.ReadTimeout}, {"--write-timeout", c.WriteTimeout}, {"--idle-timeout", c.IdleTimeout}, {"--upload-timeout", c.UploadTimeout}} {
		if d.v < 0 {
			return civic.Errorf(civic.Invalid, "config.timeout", "%s %s: use a positive duration, such as 30s", d.flag, d.v)
		}
	}
	if c.SecretKey != "" && len(c.SecretKey) < 32 {
		return civic.Errorf(civic.Invalid, "config.secret", "--secret-key is too short: use 32 or more characters")
	}
	return nil
}

// Print writes the effective value of every bound flag of fs, secrets masked.
func Print(w io.Writer, fs *flag.FlagSet) {
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	sort.Strings(names)
	for _, n := range names {
		v := fs.Lookup(n).Value.String()
		if f, ok := fields[n]; ok && f.Secret && v != "" {
			v = "********"
		}
		if n == "db" {
			v = db.MaskDSN(v)
		}
		fmt.Fprintf(w, "%-14s %-26s %s\n", n, EnvName(n), v)
	}
}

// All lists every field name, for `civicpoints config`.
func All() []string {
	var names []string
	for n := range fields {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// ParseProxies reads --trusted-proxies: IPs and CIDRs separated by commas.
func ParseProxies(s string) ([]netip.Prefix, error) {
	return parsePrefixes(s, func(part string) error {
		return civic.Errorf(civic.Invalid, "config.proxy", "--trusted-proxies: %q is not an IP address or CIDR", part)
	})
}

// ParseMetricsFrom reads --metrics-from: IPs and CIDRs separated by commas.
func ParseMetricsFrom(s string) ([]netip.Prefix, error) {
	return parsePrefixes(s, func(part string) error {
		return civic.Errorf(civic.Invalid, "config.metrics_from", "--metrics-from: %q is not an IP address or CIDR", part)
	})
}

func parsePrefixes(s string, bad func(part string) error) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if p, err := netip.ParsePrefix(part); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(part)
		if err != nil {
			return nil, bad(part)
		}
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}
