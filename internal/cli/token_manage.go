package cli

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/config"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
	"civicpoints/internal/registry"
)

func init() {
	register(&command{
		name:    "token list",
		summary: "list a community's API tokens (id, role, label, created, revoked); secrets are never shown",
		usage:   "--community SLUG (omit for district and admin tokens)",
		fields:  []string{"db", "community"},
		run:     tokenList,
	})
	var id string
	register(&command{
		name:    "token revoke",
		summary: "revoke an API token by its id (from token list); it stops working at once",
		usage:   "--id TOKEN_ID",
		fields:  []string{"db"},
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&id, "id", os.Getenv(config.EnvName("id")), "id of the token to revoke, as token list prints it (env "+config.EnvName("id")+")")
		},
		run: func(ctx context.Context, env Env, cfg *config.Config, _ []string) error {
			if id == "" {
				return civic.Errorf(civic.Invalid, "cli.token_id", "give the token's id: civicpoints token revoke --id ID (see civicpoints token list)")
			}
			return withAuth(ctx, cfg, func(d *db.DB, s *auth.Service) error {
				t, err := s.FindToken(ctx, id)
				if err != nil {
					return err
				}
				// One run, one request: a key of its own (see token create).
				_, err = s.RevokeToken(ctx, civic.System, idem.Key(civic.NewID()),
					auth.RevokeTokenRequest{Community: t.CommunityID, Token: t.ID, Reason: "civicpoints token revoke"})
				if err != nil {
					return err
				}
				_, err = fmt.Fprintf(env.Stdout, "revoked token %s\n", id)
				return err
			})
		},
	})
}

func tokenList(ctx context.Context, env Env, cfg *config.Config, _ []string) error {
	return withAuth(ctx, cfg, func(d *db.DB, s *auth.Service) error {
		communityID := ""
		if cfg.Community != "" {
			c, err := registry.CommunityBySlug(ctx, d, cfg.Community)
			if err != nil {
				return err
			}
			communityID = c.ID
		}
		tokens, err := s.Tokens(ctx, communityID)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(env.Stdout, 0, 2, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tROLE\tLABEL\tCREATED\tREVOKED\tEXPIRES\tSCOPES\tRATE")
		for _, t := range tokens {
			revoked := "-"
			if !t.RevokedAt.IsZero() {
				revoked = t.RevokedAt.In(civic.Shanghai).Format("2006-01-02 15:04")
			}
			expires, scopes, rate := "-", "all", "default"
			if !t.ExpiresAt.IsZero() {
				expires = t.ExpiresAt.In(civic.Shanghai).Format("2006-01-02 15:04")
			}
			if len(t.Scopes) > 0 {
				scopes = strings.Join(t.Scopes, ",")
			}
			if t.RatePerMinute > 0 {
				rate = fmt.Sprintf("%d/min", t.RatePerMinute)
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Role, t.Name, t.CreatedAt.In(civic.Shanghai).Format("2006-01-02 15:04"), revoked,
				expires, scopes, rate)
		}
		return w.Flush()
	})
}

// withAuth opens a current database and its auth service for a command.
func withAuth(ctx context.Context, cfg *config.Config, fn func(*db.DB, *auth.Service) error) error {
	d, err := db.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.RequireCurrent(ctx); err != nil {
		return err
	}
	return fn(d, auth.New(d, civic.SystemClock{}))
}
