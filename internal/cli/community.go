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
	var districtSlug, slug, name, pointsName string
	register(&command{
		name:    "community create",
		summary: "create a community of a district with its points name, or confirm the one with this slug",
		usage:   "--district SLUG --slug SLUG --name NAME --points-name NAME",
		fields:  []string{"db", "secret-key"},
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&districtSlug, "district", os.Getenv(config.EnvName("district")), "slug of the community's district, such as qujiang (env "+config.EnvName("district")+")")
			fs.StringVar(&slug, "slug", os.Getenv(config.EnvName("slug")), "the community's slug, such as chunjiang (env "+config.EnvName("slug")+")")
			fs.StringVar(&name, "name", os.Getenv(config.EnvName("name")), "the community's name, such as 春江社区 (env "+config.EnvName("name")+")")
			fs.StringVar(&pointsName, "points-name", os.Getenv(config.EnvName("points-name")), "what residents call the points, such as 春江分 (env "+config.EnvName("points-name")+")")
		},
		run: func(ctx context.Context, env Env, cfg *config.Config, _ []string) error {
			return withApp(ctx, env, cfg, func(a *app.App) error {
				if districtSlug == "" {
					return civic.Errorf(civic.Invalid, "district.name_district", "name the community's district with --district")
				}
				d, err := a.District.BySlug(ctx, districtSlug)
				if err != nil {
					return err
				}
				c, err := a.District.CreateCommunity(ctx, civic.System, idem.Key("cli-community-"+civic.NewID()),
					district.CreateCommunityRequest{District: d.ID, Slug: slug, Name: name, PointsName: pointsName})
				if err != nil {
					return err
				}
				verb := "created"
				if c.Existed {
					verb = "exists"
				}
				_, err = fmt.Fprintf(env.Stdout, "community %s (%s, %s) of district %s: %s\n", c.Community.Slug, c.Community.Name,
					c.Community.PointsName, d.Slug, verb)
				return err
			})
		},
	})
}
