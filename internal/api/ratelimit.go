package api

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
)

// DefaultRatePerMinute is a token's rate limit when neither the token nor
// the server names one: enough for a district system's nightly sync at a
// steady pace, not enough for one runaway script to crowd out the counter.
const DefaultRatePerMinute = 600

// limiters keeps one token bucket per API token, in this process. The
// bucket holds six seconds' worth of requests, so a client may burst a
// little and is then paced to its rate; a limit changed on the token takes
// effect with the next request.
type limiters struct {
	mu sync.Mutex
	m  map[string]*tokenBucket
}

type tokenBucket struct {
	perMinute int
	l         *rate.Limiter
}

// allow takes one request from the token's bucket, or answers 429 with
// Retry-After (whole seconds, at least 1) when it is empty.
func (ls *limiters) allow(w http.ResponseWriter, g auth.Grant, serverDefault int, now time.Time) error {
	perMinute := g.RatePerMinute
	if perMinute == 0 {
		perMinute = serverDefault
	}
	if perMinute == 0 {
		perMinute = DefaultRatePerMinute
	}
	ls.mu.Lock()
	if ls.m == nil {
		ls.m = map[string]*tokenBucket{}
	}
	b := ls.m[g.Actor.UserID]
	if b == nil || b.perMinute != perMinute {
		b = &tokenBucket{perMinute, rate.NewLimiter(rate.Limit(float64(perMinute)/60), max(1, perMinute/10))}
		ls.m[g.Actor.UserID] = b
	}
	ls.mu.Unlock()
	res := b.l.ReserveN(now, 1)
	delay := res.DelayFrom(now)
	if delay == 0 {
		return nil
	}
	res.CancelAt(now)
	secs := int(math.Ceil(delay.Seconds()))
	w.Header().Set("Retry-After", strconv.Itoa(max(1, secs)))
	return civic.Errorf(civic.TooManyRequests, "api.rate_limited", "this token has made more than %d requests a minute; retry after %d seconds", perMinute, max(1, secs))
}
