package cli

import (
	"context"

	"civicpoints/internal/config"
)

func init() {
	register(&command{
		name:    "config",
		summary: "print the effective configuration (flags and CIVICPOINTS_* environment), secrets masked",
		fields:  config.All(),
		run: func(ctx context.Context, env Env, cfg *config.Config, _ []string) error {
			config.Print(env.Stdout, env.Flags)
			return nil
		},
	})
}
