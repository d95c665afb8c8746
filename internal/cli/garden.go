package cli

import (
	"context"
	"flag"
	"fmt"

	"civicpoints/internal/app"
	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/config"
	"civicpoints/internal/db"
	"civicpoints/internal/garden"
	"civicpoints/internal/idem"
)

// garden-login sets up a shared garden's operator (a village or its company)
// if it is new, and gives one of its people a login: its operator, who runs
// everything else from the pages, or a steward. The generated password is
// printed once.
func init() {
	var slug, name, place, login, person, role string
	register(&command{
		name:    "garden-login",
		summary: "create a garden operator (if new) and a login for its operator or steward; prints the password once",
		usage:   "--slug SLUG --name NAME [--place PLACE] --login USERNAME --person NAME [--role garden_operator|garden_steward]",
		fields:  []string{"db"},
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&slug, "slug", "", "the garden operator's short name in URLs, such as quanjingbian")
			fs.StringVar(&name, "name", "", "the garden operator's name, such as 泉井边村共享菜园 (for a new operator)")
			fs.StringVar(&place, "place", "", "where the garden is (for a new operator)")
			fs.StringVar(&login, "login", "", "the username of the new login")
			fs.StringVar(&person, "person", "", "the display name of the person who logs in")
			fs.StringVar(&role, "role", string(civic.RoleGardenOperator), "garden_operator or garden_steward")
		},
		run: func(ctx context.Context, env Env, cfg *config.Config, _ []string) error {
			return gardenLogin(ctx, env, cfg, garden.CreateOperatorRequest{Slug: slug, Name: name, Place: place}, login, person, civic.Role(role))
		},
	})
}

func gardenLogin(ctx context.Context, env Env, cfg *config.Config, r garden.CreateOperatorRequest, login, person string, role civic.Role) error {
	if role != civic.RoleGardenOperator && role != civic.RoleGardenSteward {
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
	a := app.New(cfg, d, civic.SystemClock{}, NewLogger(env.Stderr, cfg))
	defer a.Batch.Close()
	op, err := a.Garden.OperatorBySlug(ctx, r.Slug)
	if civic.ErrorCode(err) == civic.NotFound {
		op, err = a.Garden.CreateOperator(ctx, civic.System, idem.Key(civic.NewID()), r)
	}
	if err != nil {
		return err
	}
	u, err := a.Auth.AddUser(ctx, civic.System, idem.Key(civic.NewID()), auth.AddUserRequest{Community: op.ID, Username: login, Name: person,
		Role: role, Password: auth.NewPassword{Generate: true}, Reason: "civicpoints garden-login"})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(env.Stdout, "garden %s (%s): %s %s, password %s\n", op.Slug, op.Name, string(role), login, u.Password)
	return err
}
