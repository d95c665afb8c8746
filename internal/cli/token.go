package cli

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/config"
	"civicpoints/internal/db"
	"civicpoints/internal/district"
	"civicpoints/internal/idem"
	"civicpoints/internal/registry"
)

func init() {
	var role, name, district, scopes, expires string
	var rate int
	register(&command{
		name:    "token create",
		summary: "create an API token and print it alone on stdout (only its hash is stored; it is shown once)",
		usage:   "--community SLUG --role ROLE --name LABEL | --district SLUG --role district|merchant --name LABEL; [--scope S,S] [--expires 90d|YYYY-MM-DD] [--rate N]",
		fields:  []string{"db", "community"},
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&role, "role", os.Getenv(config.EnvName("role")),
				"role the token acts as: resident, worker, clerk, merchant, district or admin (env "+config.EnvName("role")+")")
			fs.StringVar(&name, "name", os.Getenv(config.EnvName("name")),
				"label saying who or what uses the token, such as \"district data exchange\" (env "+config.EnvName("name")+")")
			fs.StringVar(&district, "district", os.Getenv(config.EnvName("district")),
				"slug of the district a district (or district merchant) token belongs to, such as qujiang (env "+config.EnvName("district")+")")

			fs.StringVar(&scopes, "scope", "", "narrow the token to these scopes, comma-separated ("+strings.Join(auth.Scopes, ", ")+"); all its role may when left out")
			fs.StringVar(&expires, "expires", "", "when the token stops working: a number of days (90d) or a date (YYYY-MM-DD, the start of that day in Asia/Shanghai); never when left out")
			fs.IntVar(&rate, "rate", 0, "the token's rate limit in requests a minute; the server's default when 0")
		},
		run: func(ctx context.Context, env Env, cfg *config.Config, _ []string) error {
			l, err := tokenLimits(scopes, expires, rate, time.Now())
			if err != nil {
				return err
			}
			return tokenCreate(ctx, env, cfg, civic.Role(role), name, district, l)
		},
	})
}

func tokenCreate(ctx context.Context, env Env, cfg *config.Config, role civic.Role, name, districtSlug string, l auth.Limits) error {
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
	communityID, districtID := "", ""
	if districtSlug != "" {
		if role != civic.RoleDistrict && role != civic.RoleMerchant {
			return civic.Errorf(civic.Invalid, "district.token_role", "a district token acts as district or merchant, not %s", string(role))
		}
		if cfg.Community != "" {
			return civic.Errorf(civic.Invalid, "district.token_scope", "name a community or a district, not both")
		}
		dt, err := district.New(d, nil, civic.SystemClock{}, nil).BySlug(ctx, districtSlug)
		if err != nil {
			return err
		}
		districtID = dt.ID
	} else if role == civic.RoleDistrict {
		return civic.Errorf(civic.Invalid, "auth.needs_district", "a district user or token belongs to a district: name it")
	}
	if cfg.Community != "" {
		c, err := registry.CommunityBySlug(ctx, d, cfg.Community)
		if err != nil {
			return err
		}
		communityID = c.ID
	} else if role != civic.RoleDistrict && role != civic.RoleAdmin && districtID == "" {
		return civic.Errorf(civic.Invalid, "auth.needs_community", "a %s belongs to a community", string(role))
	}
	// The platform asks through auth's command, so the token is audited like
	// one an admin makes. A run of the command is one request, so it gets a
	// key of its own: running it again makes another token, as asked.
	t, err := auth.New(d, civic.SystemClock{}).CreateToken(ctx, civic.System, idem.Key(civic.NewID()),
		auth.CreateTokenRequest{Community: communityID, District: districtID, Role: role, Name: name, Reason: "civicpoints token create", Limits: l})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(env.Stdout, t.Secret)
	return err
}

// tokenLimits reads the limit flags of token create.
func tokenLimits(scopes, expires string, rate int, now time.Time) (l auth.Limits, err error) {
	if l.Scopes, err = auth.ParseScopes(scopes); err != nil {
		return l, err
	}
	l.RatePerMinute = rate
	switch {
	case expires == "":
	case strings.HasSuffix(expires, "d"):
		days, err := strconv.Atoi(strings.TrimSuffix(expires, "d"))
		if err != nil || days < 1 || days > 3650 {
			return l, civic.Errorf(civic.Invalid, "cli.token_expires", "--expires takes a number of days such as 90d or a date YYYY-MM-DD, not %q", expires)
		}
		l.ExpiresAt = now.AddDate(0, 0, days).UTC()
	default:
		day, err := time.ParseInLocation(time.DateOnly, expires, civic.Shanghai)
		if err != nil {
			return l, civic.Errorf(civic.Invalid, "cli.token_expires", "--expires takes a number of days such as 90d or a date YYYY-MM-DD, not %q", expires)
		}
		l.ExpiresAt = day.UTC()
	}
	return l, nil
}
