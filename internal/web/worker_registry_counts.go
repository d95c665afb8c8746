package web

import (
	"context"
	"fmt"
	"sync"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/registry"
)

// Estate and colour counts read every label and every active white resident
// from two indexes (about 40 ms on SQLite, 75 ms on PostgreSQL at 400,000
// residents), too slow to repeat on every registry page. They are kept per
// community for countsTTL and then recomputed in the background while the
// page shows the previous figures; a change made through these pages (red
// label, import) drops them at once.
const countsTTL = 30 * time.Second

type estateCounts struct {
	Estates []registry.Estate
	Colours map[string]map[registry.Colour]int
	At      time.Time
}

type countsEntry struct {
	mu         sync.Mutex
	val        *estateCounts
	refreshing bool
}

var countsCache = struct {
	mu sync.Mutex
	m  map[string]*countsEntry
}{m: map[string]*countsEntry{}}

func (s *Server) countsKey(a civic.Actor) string {
	return fmt.Sprintf("%p/%s/%t", s, a.CommunityID, registry.SeesRed(a, a.CommunityID))
}

func (s *Server) computeCounts(ctx context.Context, a civic.Actor) (*estateCounts, error) {
	estates, err := s.Registry.Estates(ctx, a.CommunityID)
	if err != nil {
		return nil, err
	}
	counts, err := s.Registry.ColourCounts(ctx, a, a.CommunityID)
	if err != nil {
		return nil, err
	}
	return &estateCounts{Estates: estates, Colours: counts, At: time.Now()}, nil
}

// counts returns the estates with their colour counts as a may see them.
func (s *Server) counts(ctx context.Context, a civic.Actor) (*estateCounts, error) {
	key := s.countsKey(a)
	countsCache.mu.Lock()
	e := countsCache.m[key]
	if e == nil {
		e = &countsEntry{}
		countsCache.m[key] = e
	}
	countsCache.mu.Unlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.val == nil {
		v, err := s.computeCounts(ctx, a)
		if err != nil {
			return nil, err
		}
		e.val = v
		return v, nil
	}
	if time.Since(e.val.At) > countsTTL && !e.refreshing {
		e.refreshing = true
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			v, err := s.computeCounts(ctx, a)
			e.mu.Lock()
			defer e.mu.Unlock()
			e.refreshing = false
			if err != nil {
				s.Log.Error("registry counts refresh failed", "community", a.CommunityID, "err", err)
				return
			}
			e.val = v
		}()
	}
	return e.val, nil
}

// dropCounts forgets a community's counts after a change made here.
func (s *Server) dropCounts(communityID string) {
	countsCache.mu.Lock()
	defer countsCache.mu.Unlock()
	for _, red := range []bool{false, true} {
		if e := countsCache.m[fmt.Sprintf("%p/%s/%t", s, communityID, red)]; e != nil {
			e.mu.Lock()
			e.val = nil
			e.mu.Unlock()
		}
	}
}
