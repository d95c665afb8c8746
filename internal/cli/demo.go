package cli

import (
	"context"
	"fmt"

	"civicpoints/internal/app"
	"civicpoints/internal/civic"
	"civicpoints/internal/config"
	"civicpoints/internal/db"
	"civicpoints/internal/demo"
)

func init() {
	register(&command{
		name:    "demo",
		usage:   "--db PATH_OR_DSN",
		summary: "migrate the database and seed the demo community chunjiang (春江社区); running it again changes nothing",
		fields:  []string{"db", "secret-key", "log-level", "log-format"},
		run:     runDemo,
	})
}

func runDemo(ctx context.Context, env Env, cfg *config.Config, _ []string) error {
	d, err := db.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer d.Close()
	applied, err := d.Migrate(ctx)
	if err != nil {
		return err
	}
	if len(applied) > 0 {
		fmt.Fprintf(env.Stdout, "demo: applied %d migration(s)\n", len(applied))
	}
	a := app.New(cfg, d, civic.SystemClock{}, NewLogger(env.Stderr, cfg))
	s, err := demo.Run(ctx, a, demo.Steps, env.Stdout)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "demo: community %s (春江社区) is ready in %s\n\n", demo.Slug, d)
	demo.PrintLogins(env.Stdout, s.Logins)
	return nil
}
