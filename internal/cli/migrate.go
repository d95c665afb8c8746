package cli

import (
	"context"
	"fmt"

	"civicpoints/internal/config"
	"civicpoints/internal/db"
)

func init() {
	register(&command{
		name:    "migrate",
		summary: "apply pending database migrations",
		fields:  []string{"db"},
		run: func(ctx context.Context, env Env, cfg *config.Config, _ []string) error {
			d, err := db.Open(ctx, cfg.DB)
			if err != nil {
				return err
			}
			defer d.Close()
			applied, err := d.Migrate(ctx)
			if err != nil {
				return err
			}
			for _, m := range applied {
				fmt.Fprintf(env.Stdout, "applied %04d_%s\n", m.Version, m.Name)
			}
			fmt.Fprintf(env.Stdout, "%s: schema is current (%d applied now)\n", d, len(applied))
			return nil
		},
	})
}
