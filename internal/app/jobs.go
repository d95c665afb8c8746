package app

import (
	"context"
	"time"

	"civicpoints/internal/registry"
)

// RunJobs does the work no request triggers, every interval until ctx ends:
// release uncollected station orders, close activities that have ended
// (forgotten check-outs go to the approval queue), recompute the age colours
// once a day, expire import uploads after an hour and sweep expired sessions. Each job is idempotent, so two servers on one
// PostgreSQL database may both run them.
func (a *App) RunJobs(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		a.RunJobsOnce(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunJobsOnce runs every job once over every community.
func (a *App) RunJobsOnce(ctx context.Context) {
	if n, err := a.Auth.PurgeExpired(ctx); err != nil {
		a.Log.Error("jobs: sweep expired sessions", "err", err)
	} else if n > 0 {
		a.Log.Info("jobs: swept expired sessions", "sessions", n)
	}
	a.applyCreditRules(ctx)
	cs, err := registry.Communities(ctx, a.DB)
	if err != nil {
		a.Log.Error("jobs: list communities", "err", err)
		return
	}
	for _, c := range cs {
		if ctx.Err() != nil {
			return
		}
		if ids, err := a.Station.ReleaseDue(ctx, c.ID); err != nil {
			a.Log.Error("jobs: release uncollected orders", "community", c.Slug, "err", err)
		} else if len(ids) > 0 {
			a.Log.Info("jobs: released uncollected orders", "community", c.Slug, "orders", len(ids))
		}
		if n, err := a.Earning.CloseDue(ctx, c.ID); err != nil {
			a.Log.Error("jobs: close ended activities", "community", c.Slug, "err", err)
		} else if n > 0 {
			a.Log.Info("jobs: closed ended activities", "community", c.Slug, "activities", n)
		}
		if err := a.Registry.Refresh(ctx, c.ID); err != nil {
			a.Log.Error("jobs: refresh age colours", "community", c.Slug, "err", err)
		}
		if n, err := a.Registry.ExpireImports(ctx, c.ID); err != nil {
			a.Log.Error("jobs: expire import uploads", "community", c.Slug, "err", err)
		} else if n > 0 {
			a.Log.Info("jobs: expired import uploads", "community", c.Slug, "jobs", n)
		}
	}
}

// applyCreditRules records the level changes of rule versions that took
// effect (credit.Service.ApplyDue), district by district.
func (a *App) applyCreditRules(ctx context.Context) {
	ds, err := a.District.All(ctx)
	if err != nil {
		a.Log.Error("jobs: list districts", "err", err)
		return
	}
	for _, d := range ds {
		if n, err := a.Credit.ApplyDue(ctx, d.ID); err != nil {
			a.Log.Error("jobs: apply credit rules", "district", d.Slug, "err", err)
		} else if n > 0 {
			a.Log.Info("jobs: recorded level changes of new credit rules", "district", d.Slug, "changes", n)
		}
	}
}
