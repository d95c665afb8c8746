package cli

import (
	"context"
	"flag"
	"fmt"
	"os"

	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/config"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
	"civicpoints/internal/registry"
)

func init() {
	var role, name string
	register(&command{
		name:    "token create",
		summary: "create an API token and print it alone on stdout (only its hash is stored; it is shown once)",
		usage:   "--community SLUG --role ROLE --name LABEL",
		fields:  []string{"db", "community"},
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&role, "role", os.Getenv(config.EnvName("role")),
				"role the token acts as: resident, worker, clerk, merchant, district or admin (env "+config.EnvName("role")+")")
			fs.StringVar(&name, "name", os.Getenv(config.EnvName("name")),
				"label saying who or what uses the token, such as \"district data exchange\" (env "+config.EnvName("name")+")")
		},
		run: func(ctx context.Context, env Env, cfg *config.Config, _ []string) error {
			return tokenCreate(ctx, env, cfg, civic.Role(role), name)
		},
	})
}

func tokenCreate(ctx context.Context, env Env, cfg *config.Config, role civic.Role, name string) error {
	if !role.Valid() {
		return civic.Errorf(civic.Invalid, "auth.bad_role", "unknown role %q: use resident, worker, clerk, merchant, district or admin", string(role))
	}
	d, err := db.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.RequireCurrent(ctx); err != nil {
		return err
	}
	communityID := ""
	if cfg.Community != "" {
		c, err := registry.CommunityBySlug(ctx, d, cfg.Community)
		if err != nil {
			return err
		}
		communityID = c.ID
	} else if role != civic.RoleDistrict && role != civic.RoleAdmin {
		return civic.Errorf(civic.Invalid, "auth.needs_community", "a %s belongs to a community", string(role))
	}
	// The platform asks through auth's command, so the token is audited like
	// one an admin makes. A run of the command is one request, so it gets a
	// key of its own: running it again makes another token, as asked.
	t, err := auth.New(d, civic.SystemClock{}).CreateToken(ctx, civic.System, idem.Key(civic.NewID()),
		auth.CreateTokenRequest{Community: communityID, Role: role, Name: name, Reason: "civicpoints token create"})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(env.Stdout, t.Secret)
	return err
}
