// Package demo seeds the Chunjiang demo community into any database. Seeding is
// an ordered list of steps, one per capability; every step is idempotent, so
// running the demo twice changes nothing.
package demo

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"civicpoints/internal/app"
	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/earning"
	"civicpoints/internal/garden"
	"civicpoints/internal/registry"
	"civicpoints/internal/station"
)

// Slug of the demo community.
const Slug = "chunjiang"

// Community is the demo community as DESIGN.md §1 describes it.
func Community() registry.Community {
	return registry.Community{
		Slug:       Slug,
		Name:       "春江社区",
		District:   "衢江区",
		PointsName: "春江分",
		CreatedAt:  time.Date(2022, 9, 1, 0, 0, 0, 0, civic.Shanghai),
	}
}

// Login is one demo account, printed at the end so a visitor can sign in.
type Login struct {
	Role     string
	Username string
	Password string
}

// State is what steps hand on to later steps.
type State struct {
	DistrictID  string
	CommunityID string
	ResidentID  string // the first demo resident, for the resident login
	Logins      []Login
}

// Step is one capability's part of the demo.
type Step struct {
	Name string
	Run  func(ctx context.Context, a *app.App, s *State) error
}

// Steps seeds the demo in order. A capability adds its step here once its
// seeding function exists.
var Steps = []Step{
	{Name: "district qujiang (衢江区)", Run: seedDistrict},
	{Name: "community", Run: seedCommunity},
	{Name: "registry (6 estates, 2,481 households, 6,028 residents)", Run: seedRegistry},
	{Name: "users (one per role)", Run: seedUsers},
	{Name: "earning (catalogue, months of activities, suggestions)", Run: seedEarning},
	{Name: "station (32 goods, 3 donors backing 10,000 points, past redemptions)", Run: seedStation},
	{Name: "district: jiangbin and fushan (about 1,500 residents each, activities, a worker each)", Run: seedNeighbours},
	{Name: "credit (the district's first rules; the demo resident's consent)", Run: seedCredit},
	{Name: "garden (泉井边村: 60 plots, 50 pumpkin varieties with 10 giants, a season of adoptions)", Run: seedGarden},
}

// seedGarden seeds 泉井边村's shared garden with its operator, steward and
// family logins.
func seedGarden(ctx context.Context, a *app.App, s *State) error {
	op, err := garden.SeedDemoOperator(ctx, a.Garden)
	if err != nil {
		return err
	}
	var logins []auth.DemoLogin
	if err := a.DB.WithTx(ctx, func(tx *db.Tx) (err error) {
		logins, err = a.Auth.SeedGardenUsers(ctx, tx, op.ID)
		return err
	}); err != nil {
		return err
	}
	family, err := a.Auth.UserByUsername(ctx, "family")
	if err != nil {
		return err
	}
	for _, l := range logins {
		s.Logins = append(s.Logins, Login{Role: string(l.Role), Username: l.Username, Password: l.Password})
	}
	return garden.SeedDemo(ctx, a.Garden, op, family.ID)
}

// seedEarning runs the activities with the demo resident and 59 neighbours.
func seedEarning(ctx context.Context, a *app.App, s *State) error {
	list, _, err := a.Registry.ListResidents(ctx, s.CommunityID, "", 60)
	if err != nil {
		return err
	}
	ids := []string{s.ResidentID}
	for _, r := range list {
		if r.ID != s.ResidentID {
			ids = append(ids, r.ID)
		}
	}
	return earning.SeedDemo(ctx, a.Earning, s.CommunityID, ids)
}

func seedStation(ctx context.Context, a *app.App, s *State) error {
	list, _, err := a.Registry.ListResidents(ctx, s.CommunityID, "", 60)
	if err != nil {
		return err
	}
	ids := []string{s.ResidentID}
	for _, r := range list {
		if r.ID != s.ResidentID {
			ids = append(ids, r.ID)
		}
	}
	return station.SeedDemo(ctx, a.DB, s.CommunityID, ids, a.Clock.Now())
}

func seedCommunity(ctx context.Context, a *app.App, s *State) error {
	return a.DB.WithTx(ctx, func(tx *db.Tx) error {
		cm := Community()
		cm.DistrictID = s.DistrictID
		c, err := registry.CreateCommunity(ctx, tx, cm)
		if err != nil {
			return err
		}
		s.CommunityID = c.ID
		return nil
	})
}

func seedRegistry(ctx context.Context, a *app.App, s *State) (err error) {
	s.ResidentID, err = registry.SeedDemo(ctx, a.Registry, s.CommunityID)
	return err
}

func seedUsers(ctx context.Context, a *app.App, s *State) error {
	var logins []auth.DemoLogin
	err := a.DB.WithTx(ctx, func(tx *db.Tx) (err error) {
		logins, err = a.Auth.SeedDemoUsers(ctx, tx, s.CommunityID, s.ResidentID)
		return err
	})
	if err != nil {
		return err
	}
	s.Logins = s.Logins[:0]
	for _, l := range logins {
		s.Logins = append(s.Logins, Login{Role: string(l.Role), Username: l.Username, Password: l.Password})
	}
	return nil
}

// Run runs steps in order over a migrated database, reporting each to progress
// (which may be nil).
func Run(ctx context.Context, a *app.App, steps []Step, progress io.Writer) (_ *State, err error) {
	defer civic.Wrap(&err, "demo.Run")
	if progress == nil {
		progress = io.Discard
	}
	s := &State{}
	for _, st := range steps {
		start := time.Now()
		fmt.Fprintf(progress, "demo: %s…", st.Name)
		if err := st.Run(ctx, a, s); err != nil {
			fmt.Fprintln(progress, " failed")
			return s, fmt.Errorf("step %s: %w", st.Name, err)
		}
		fmt.Fprintf(progress, " done (%s)\n", time.Since(start).Round(time.Millisecond))
	}
	return s, nil
}

// PrintLogins writes the demo logins as a small table.
func PrintLogins(w io.Writer, logins []Login) {
	if len(logins) == 0 {
		fmt.Fprintln(w, "no demo logins yet (user accounts are not seeded by this build)")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ROLE\tUSERNAME\tPASSWORD")
	for _, l := range logins {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", l.Role, l.Username, l.Password)
	}
	tw.Flush()
}
