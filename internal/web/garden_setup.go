package web

import (
	"net/http"
	"strings"

	"civicpoints/internal/garden"
	"civicpoints/internal/idem"
)

// The operator's set-up: the three modes' fees and terms, crops with their
// days to ripeness and care schedule, seasons, and gardens of plots or
// seedlings on a grid.
func init() {
	AddPage(Page{Method: "GET", Path: "/garden/op/setup", Roles: gardenOperatorRoles, Nav: "garden_pages.nav.setup", Handler: (*Server).gardenSetup})
	for _, p := range []struct {
		path string
		h    func(*Server, http.ResponseWriter, *http.Request) error
	}{
		{"mode", (*Server).gardenSetMode}, {"crop", (*Server).gardenSetCrop}, {"season", (*Server).gardenAddSeason}, {"garden", (*Server).gardenAddGarden},
	} {
		AddPage(Page{Method: "POST", Path: "/garden/op/setup/" + p.path, Roles: gardenOperatorRoles, Handler: p.h})
	}
}

type setupMode struct {
	garden.Mode
	Fee, Key string
}

type setupCrop struct {
	garden.Crop
	Key string
}

type setupData struct {
	Modes   []setupMode
	Crops   []setupCrop
	Seasons []garden.Season
	Gardens []garden.Garden
	Keys    map[string]string
	Parties []garden.Party
}

func (s *Server) setupData(r *http.Request) (d setupData, err error) {
	a, _ := ActorFrom(r.Context())
	ctx, op := r.Context(), a.CommunityID
	modes, err := s.Garden.Modes(ctx, op)
	if err != nil {
		return d, err
	}
	for _, m := range modes {
		d.Modes = append(d.Modes, setupMode{Mode: m, Fee: yuan(m.FeeFen), Key: newFormKey()})
	}
	crops, err := s.Garden.Crops(ctx, op)
	if err != nil {
		return d, err
	}
	for _, c := range crops {
		d.Crops = append(d.Crops, setupCrop{Crop: c, Key: newFormKey()})
	}
	if d.Seasons, err = s.Garden.Seasons(ctx, op, ""); err != nil {
		return d, err
	}
	if d.Gardens, err = s.Garden.Gardens(ctx, op); err != nil {
		return d, err
	}
	d.Keys = map[string]string{"crop": newFormKey(), "season": newFormKey(), "garden": newFormKey()}
	return d, nil
}

func (s *Server) gardenSetup(w http.ResponseWriter, r *http.Request) error {
	return s.gardenPage(w, r, "garden_op_setup", nil, func() (any, error) { return s.setupData(r) })
}

// setupCommand runs a set-up command and returns to the set-up page.
func (s *Server) setupCommand(w http.ResponseWriter, r *http.Request, run func(op string, key idem.Key) error) error {
	a, _ := ActorFrom(r.Context())
	key, err := commandKey(r)
	if err == nil {
		err = run(a.CommunityID, key)
	}
	if err != nil {
		return s.gardenPage(w, r, "garden_op_setup", err, func() (any, error) { return s.setupData(r) })
	}
	return gardenDone(w, r, "/garden/op/setup", "saved")
}

func (s *Server) gardenSetMode(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	return s.setupCommand(w, r, func(op string, key idem.Key) error {
		fee, err := parseYuan(strings.TrimSpace(r.PostFormValue("fee")))
		if err != nil {
			return err
		}
		m := garden.Mode{Code: garden.ModeCode(r.PostFormValue("code")), FeeFen: fee, Text: r.PostFormValue("terms"), Terms: garden.Terms{
			CareBy: garden.Party(r.PostFormValue("care_by")), HarvestBy: garden.Party(r.PostFormValue("harvest_by")),
			Risk: garden.Party(r.PostFormValue("risk")), MaturityReminder: r.PostFormValue("maturity_reminder") == "1",
			PickReminder: r.PostFormValue("pick_reminder") == "1"}}
		_, err = s.Garden.SetMode(r.Context(), a, key, garden.SetModeRequest{Operator: op, Mode: m})
		return err
	})
}

func (s *Server) gardenSetCrop(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	return s.setupCommand(w, r, func(op string, key idem.Key) error {
		c := garden.Crop{ID: r.PostFormValue("id"), Name: r.PostFormValue("name")}
		for _, f := range []struct {
			name string
			into *int
			def  int
		}{{"maturity_days", &c.MaturityDays, 0}, {"window_days", &c.WindowDays, 7}, {"water_every", &c.WaterEvery, 0},
			{"weed_every", &c.WeedEvery, 0}, {"feed_every", &c.FeedEvery, 0}, {"pest_every", &c.PestEvery, 0}} {
			n, err := formNumber(r, f.name, f.def)
			if err != nil {
				return err
			}
			*f.into = n
		}
		_, err := s.Garden.SetCrop(r.Context(), a, key, garden.SetCropRequest{Operator: op, Crop: c})
		return err
	})
}

func (s *Server) gardenAddSeason(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	return s.setupCommand(w, r, func(op string, key idem.Key) error {
		_, err := s.Garden.AddSeason(r.Context(), a, key, garden.AddSeasonRequest{Operator: op, Name: r.PostFormValue("name"),
			StartsOn: r.PostFormValue("starts_on"), EndsOn: r.PostFormValue("ends_on")})
		return err
	})
}

func (s *Server) gardenAddGarden(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	return s.setupCommand(w, r, func(op string, key idem.Key) error {
		rows, err := formNumber(r, "rows", 0)
		if err != nil {
			return err
		}
		cols, err := formNumber(r, "cols", 0)
		if err != nil {
			return err
		}
		size, err := formNumber(r, "size_m2", 0)
		if err != nil {
			return err
		}
		_, err = s.Garden.AddGarden(r.Context(), a, key, garden.AddGardenRequest{Operator: op, Name: r.PostFormValue("name"),
			Kind: r.PostFormValue("kind"), Rows: rows, Cols: cols, SizeM2: size})
		return err
	})
}
