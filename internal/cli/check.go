package cli

import (
	"context"
	"fmt"

	"civicpoints/internal/app"
	"civicpoints/internal/civic"
	"civicpoints/internal/config"
	"civicpoints/internal/registry"
)

func init() {
	register(&command{
		name:    "check",
		summary: "recompute every balance, earned total and stock from postings and stock moves; exit 1 on any difference",
		fields:  []string{"db", "community", "secret-key"},
		run:     runCheck,
	})
}

func runCheck(ctx context.Context, env Env, cfg *config.Config, _ []string) error {
	cfg.LogLevel = "error"
	a, err := app.Open(ctx, cfg, NewLogger(env.Stderr, cfg))
	if err != nil {
		return err
	}
	defer a.Close()
	communityID, label := "", "all communities"
	if cfg.Community != "" {
		c, err := registry.CommunityBySlug(ctx, a.DB, cfg.Community)
		if err != nil {
			return err
		}
		communityID, label = c.ID, c.Slug
	}
	rep, err := a.Check(ctx, communityID)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s: %d transfers; issued %d, redeemed %d, outstanding %d\n",
		label, rep.Transfers, rep.Issued, rep.Redeemed, rep.Outstanding)
	for _, p := range rep.Problems {
		fmt.Fprintf(env.Stdout, "  problem: %s\n", p)
	}
	if !rep.OK {
		return civic.Errorf(civic.Internal, "ledger.check_failed", "check found %d problem(s)", len(rep.Problems))
	}
	fmt.Fprintln(env.Stdout, "ok: cached balances, earned totals and stock match the postings")
	return nil
}
