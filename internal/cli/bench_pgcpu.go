package cli

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// PostgreSQL's share of the work: bench names its connections with an
// application_name of its own, so that, when the server runs on this machine,
// the CPU time its backends spent can be read from /proc and put per award
// beside the Go process's own. Other users of the same server (other tests)
// are not counted, which a machine-wide figure would do.

// withAppName returns dsn with an application_name unique to this run.
func withAppName(dsn string) (string, string) {
	name := "civicpoints-bench-" + strings.ToLower(civic.NewID())
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn, ""
	}
	q := u.Query()
	q.Set("application_name", name)
	u.RawQuery = q.Encode()
	return u.String(), name
}

// backendCPU sums the CPU time of the server processes serving name's
// connections, by process id; ok is false when they cannot be read here.
func backendCPU(ctx context.Context, d *db.DB, name string) (map[int]time.Duration, bool) {
	if d.Dialect != db.Postgres || name == "" {
		return nil, false
	}
	rows, err := d.Query(ctx, "SELECT pid FROM pg_stat_activity WHERE application_name = $1", name)
	pids, err := db.Collect(rows, err, func(s db.Scanner) (n int, err error) { return n, s.Scan(&n) })
	if err != nil || len(pids) == 0 {
		return nil, false
	}
	out := map[int]time.Duration{}
	for _, pid := range pids {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			return nil, false // another machine's server
		}
		// Fields after the command name (which may hold spaces): utime and
		// stime are the 12th and 13th, in clock ticks of 1/100 s.
		f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
		if len(f) < 13 {
			return nil, false
		}
		u, _ := strconv.ParseInt(f[11], 10, 64)
		s, _ := strconv.ParseInt(f[12], 10, 64)
		out[pid] = time.Duration(u+s) * 10 * time.Millisecond
	}
	return out, true
}

// cpuSince is the CPU time spent between two readings of backendCPU.
func cpuSince(before, after map[int]time.Duration) time.Duration {
	var d time.Duration
	for pid, t := range after {
		d += t - before[pid]
	}
	return d
}

// processCPU is the CPU time this process has used, user and system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
