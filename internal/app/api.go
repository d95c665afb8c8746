package app

import (
	"context"
	"net/http"

	"civicpoints/internal/api"
	"civicpoints/internal/i18n"
	"civicpoints/internal/ledger"
	"civicpoints/internal/registry"
	"civicpoints/internal/station"
)

// mountAPI adds the JSON API under /api/v1 (internal/api).
func (a *App) mountAPI(mux *http.ServeMux) {
	s := &api.Server{
		DB: a.DB, Batch: a.Batch, Ledger: a.Ledger, Auth: a.Auth, Residents: a.Registry, Awards: a.Earning,
		Check: a.Check, Log: a.Log, Lang: i18n.Lang(a.Cfg.Lang), Station: a.Station,
		Earning: a.Earning, Registry: a.Registry, Clock: a.Clock,
		Credit: a.Credit, Districts: a.District,
	}
	if s.Lang == "" {
		s.Lang = i18n.ZH
	}
	s.Routes(mux)
}

// Check recomputes a community's points from postings and its stock from
// stock moves ("" checks every community).
func (a *App) Check(ctx context.Context, communityID string) (ledger.Report, error) {
	ids := []string{communityID}
	if communityID == "" {
		var err error
		if ids, err = a.communityIDs(ctx); err != nil {
			return ledger.Report{}, err
		}
	}
	rep := ledger.Report{OK: true}
	for _, id := range ids {
		l, err := ledger.Check(ctx, a.DB, id)
		if err != nil {
			return rep, err
		}
		s, err := station.Check(ctx, a.DB, id)
		if err != nil {
			return rep, err
		}
		rc, err := registry.CheckCounts(ctx, a.DB, id)
		if err != nil {
			return rep, err
		}
		rep.Add(l)
		rep.Add(s)
		rep.Add(rc)
	}
	return rep, nil
}

func (a *App) communityIDs(ctx context.Context) ([]string, error) {
	cs, err := registry.Communities(ctx, a.DB)
	ids := make([]string, 0, len(cs))
	for _, c := range cs {
		ids = append(ids, c.ID)
	}
	return ids, err
}
