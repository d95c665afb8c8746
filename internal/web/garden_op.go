package web

import (
	"net/http"
	"strings"
	"time"

	"civicpoints/internal/garden"
	"civicpoints/internal/idem"
)

// The garden operator's home (adoptions waiting for their fee, the season's
// plots free and taken) and the adoptions: confirm once the fee is settled,
// cancel, record a failed crop or a harvest, print the plate.
func init() {
	AddPage(Page{Method: "GET", Path: "/garden/op", Roles: gardenOperatorRoles, Handler: (*Server).gardenOpHome})
	AddPage(Page{Method: "GET", Path: "/garden/op/adoptions", Roles: gardenStaffRoles, Nav: "garden_pages.nav.adoptions", Handler: (*Server).gardenOpAdoptions})
	AddPage(Page{Method: "GET", Path: "/garden/op/adoptions/{id}", Roles: gardenStaffRoles, Handler: (*Server).gardenOpAdoption})
	for _, p := range []struct {
		path string
		h    func(*Server, http.ResponseWriter, *http.Request) error
	}{
		{"confirm", (*Server).gardenOpConfirm}, {"cancel", (*Server).gardenOpCancel}, {"fail", (*Server).gardenOpFail}, {"harvest", (*Server).gardenOpHarvest},
	} {
		AddPage(Page{Method: "POST", Path: "/garden/op/adoptions/{id}/" + p.path, Roles: gardenStaffRoles, Handler: p.h})
	}
}

type opRow struct {
	garden.Detail
	Fee, Key, Created string
}

type opHomeData struct {
	Operator  garden.Operator
	Season    garden.Season
	HasSeason bool
	Report    garden.Report
	Pending   []opRow
	Today     string
}

func (s *Server) opRows(list []garden.Detail) []opRow {
	out := make([]opRow, 0, len(list))
	for _, d := range list {
		out = append(out, opRow{Detail: d, Fee: yuan(d.FeeFen), Key: newFormKey(), Created: shanghai(d.CreatedAt)})
	}
	return out
}

func (s *Server) gardenOpHome(w http.ResponseWriter, r *http.Request) error {
	return s.gardenPage(w, r, "garden_op_home", nil, func() (any, error) { return s.opHomeData(r) })
}

func (s *Server) opHomeData(r *http.Request) (d opHomeData, err error) {
	a, _ := ActorFrom(r.Context())
	d.Today = garden.Today(s.Clock.Now())
	if d.Operator, err = s.Garden.Operator(r.Context(), a.CommunityID); err != nil {
		return d, err
	}
	if d.Season, _, d.HasSeason, err = s.gardenSeason(r, a.CommunityID); err != nil {
		return d, err
	}
	if d.HasSeason {
		if d.Report, err = s.Garden.Report(r.Context(), a, a.CommunityID, d.Season.ID); err != nil {
			return d, err
		}
	}
	pending, err := s.Garden.Adoptions(r.Context(), a, garden.Pending, time.Time{}, "", 30)
	d.Pending = s.opRows(pending)
	return d, err
}

type opListData struct {
	Status   string
	Statuses []string
	List     []opRow
	Next     string
}

func (s *Server) gardenOpAdoptions(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	return s.gardenPage(w, r, "garden_op_adoptions", nil, func() (any, error) {
		d := opListData{Status: r.URL.Query().Get("status"), Statuses: []string{garden.Pending, garden.Active, garden.Harvested, garden.Failed, garden.Cancelled}}
		if d.Status == "" {
			d.Status = garden.Active
		}
		var before time.Time
		beforeID := ""
		if at, id, ok := strings.Cut(r.URL.Query().Get("before"), "_"); ok {
			if t, err := time.Parse(time.RFC3339Nano, at); err == nil {
				before, beforeID = t, id
			}
		}
		list, err := s.Garden.Adoptions(r.Context(), a, d.Status, before, beforeID, 50)
		if err != nil {
			return d, err
		}
		d.List = s.opRows(list)
		if len(list) == 50 {
			last := list[len(list)-1]
			d.Next = last.CreatedAt.Format(time.RFC3339Nano) + "_" + last.ID
		}
		return d, nil
	})
}

type opAdoptionData struct {
	garden.Detail
	Plate      garden.Plate
	Fee        string
	Refund     string
	Log        []taskRow
	Harvests   []garden.Harvest
	HarvestKg  []string
	Booking    garden.Booking
	Keys       map[string]string
	Today      string
	StewardMay bool // the steward may pick for the family under these terms
	IsOperator bool
}

func (s *Server) opAdoptionData(r *http.Request) (d opAdoptionData, err error) {
	a, _ := ActorFrom(r.Context())
	ctx := r.Context()
	if d.Detail, err = s.Garden.Detail(ctx, a, a.CommunityID, r.PathValue("id")); err != nil {
		return d, err
	}
	d.Plate, d.Fee, d.Refund, d.Today = garden.PlateOf(d.Detail), yuan(d.FeeFen), yuan(d.RefundFen), garden.Today(s.Clock.Now())
	d.StewardMay, d.IsOperator = d.Terms.MayPick(garden.Steward), a.Role == "garden_operator"
	d.Keys = map[string]string{"confirm": newFormKey(), "cancel": newFormKey(), "fail": newFormKey(), "harvest": newFormKey()}
	log, err := s.Garden.Log(ctx, a.CommunityID, d.ID)
	if err != nil {
		return d, err
	}
	for _, t := range log {
		if t.Status == "done" {
			d.Log = append([]taskRow{{Task: t, When: shanghai(t.DoneAt)}}, d.Log...)
		}
	}
	if d.Harvests, err = s.Garden.Harvests(ctx, a.CommunityID, d.ID); err != nil {
		return d, err
	}
	for _, h := range d.Harvests {
		d.HarvestKg = append(d.HarvestKg, kg(h.WeightG))
	}
	d.Booking, err = s.Garden.BookingOf(ctx, a.CommunityID, d.ID)
	return d, err
}

func (s *Server) gardenOpAdoption(w http.ResponseWriter, r *http.Request) error {
	return s.gardenPage(w, r, "garden_op_adoption", nil, func() (any, error) { return s.opAdoptionData(r) })
}

// opCommand runs a staff command on an adoption; from the home page's
// pending list (back=home) it returns there.
func (s *Server) opCommand(w http.ResponseWriter, r *http.Request, flash string, run func(key idem.Key) error) error {
	key, err := commandKey(r)
	if err == nil {
		err = run(key)
	}
	home := r.PostFormValue("back") == "home"
	if err != nil {
		if home {
			return s.gardenPage(w, r, "garden_op_home", err, func() (any, error) { return s.opHomeData(r) })
		}
		return s.gardenPage(w, r, "garden_op_adoption", err, func() (any, error) { return s.opAdoptionData(r) })
	}
	if home {
		return gardenDone(w, r, "/garden/op", flash)
	}
	return gardenDone(w, r, "/garden/op/adoptions/"+r.PathValue("id"), flash)
}

func (s *Server) gardenOpConfirm(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	return s.opCommand(w, r, "confirmed", func(key idem.Key) error {
		_, err := s.Garden.Confirm(r.Context(), a, key, garden.ConfirmRequest{Operator: a.CommunityID, Adoption: r.PathValue("id"), PlantedOn: r.PostFormValue("planted_on")})
		return err
	})
}

func (s *Server) gardenOpCancel(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	return s.opCommand(w, r, "cancelled", func(key idem.Key) error {
		_, err := s.Garden.Cancel(r.Context(), a, key, garden.CancelRequest{Operator: a.CommunityID, Adoption: r.PathValue("id")})
		return err
	})
}

func (s *Server) gardenOpFail(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	return s.opCommand(w, r, "failed", func(key idem.Key) error {
		_, err := s.Garden.Fail(r.Context(), a, key, garden.FailRequest{Operator: a.CommunityID, Adoption: r.PathValue("id"), Reason: r.PostFormValue("reason")})
		return err
	})
}

func (s *Server) gardenOpHarvest(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	return s.opCommand(w, r, "harvest", func(key idem.Key) error {
		g, err := formInt(r, "weight_g", 0)
		if err != nil {
			return err
		}
		_, err = s.Garden.RecordHarvest(r.Context(), a, key, garden.HarvestRequest{Operator: a.CommunityID, Adoption: r.PathValue("id"),
			WeightG: g, PickedBy: garden.Party(r.PostFormValue("picked_by")), Note: r.PostFormValue("note"), Final: r.PostFormValue("final") == "1"})
		return err
	})
}
