package cli

import (
	"context"
	"flag"
	"fmt"
	"os"

	"civicpoints/internal/app"
	"civicpoints/internal/civic"
	"civicpoints/internal/config"
	"civicpoints/internal/district"
	"civicpoints/internal/idem"
)

func init() {
	var slug, name string
	register(&command{
		name:    "district create",
		summary: "create a district (区), or confirm the one with this slug and name; prints its slug and name",
		usage:   "--slug SLUG --name NAME",
		fields:  []string{"db", "secret-key"},
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&slug, "slug", os.Getenv(config.EnvName("slug")), "the district's slug, such as qujiang (env "+config.EnvName("slug")+")")
			fs.StringVar(&name, "name", os.Getenv(config.EnvName("name")), "the district's name, such as 衢江区 (env "+config.EnvName("name")+")")
		},
		run: func(ctx context.Context, env Env, cfg *config.Config, _ []string) error {
			return withApp(ctx, env, cfg, func(a *app.App) error {
				// The key is the request itself, so running the command
				// again confirms the district instead of failing.
				d, err := a.District.CreateDistrict(ctx, civic.System, idem.Key("cli-district-"+civic.NewID()),
					district.CreateDistrictRequest{Slug: slug, Name: name})
				if err != nil {
					return err
				}
				_, err = fmt.Fprintf(env.Stdout, "district %s (%s)\n", d.Slug, d.Name)
				return err
			})
		},
	})
}

// withApp opens the migrated database named by cfg and runs fn over the
// application's services, as the platform (civic.System).
func withApp(ctx context.Context, env Env, cfg *config.Config, fn func(a *app.App) error) error {
	a, err := app.Open(ctx, cfg, NewLogger(env.Stderr, cfg))
	if err != nil {
		return err
	}
	defer a.Close()
	return fn(a)
}
