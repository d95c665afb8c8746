package web

import (
	"context"

	"civicpoints/internal/civic"
	"civicpoints/internal/registry"
)

// estateCounts are a community's estates with their colour counts.
type estateCounts struct {
	Estates []registry.Estate
	Colours map[string]map[registry.Colour]int
}

// counts returns the estates with their colour counts as a may see them.
// Both are kept exact by the registry in the transaction of every change
// (registry_counts), so each page reads them afresh: two small queries,
// never stale, and nothing to cache or to warm after a start.
func (s *Server) counts(ctx context.Context, a civic.Actor) (*estateCounts, error) {
	estates, err := s.Registry.Estates(ctx, a.CommunityID)
	if err != nil {
		return nil, err
	}
	counts, err := s.Registry.ColourCounts(ctx, a, a.CommunityID)
	if err != nil {
		return nil, err
	}
	return &estateCounts{Estates: estates, Colours: counts}, nil
}
