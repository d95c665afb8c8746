package api

// The registry as the worker's registry pages show it: residents,
// households, estates, colours and visits. Every read goes through the
// registry's viewer functions, which decide what the token may see (a
// token holds no red grant, so a red resident reads as one who was never
// red) and write the audit log; the API adds nothing to what they answer.

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/i18n"
	"civicpoints/internal/idem"
	"civicpoints/internal/registry"
)

// residentRecord is a resident as a worker of the community sees them; ID
// number and phone are masked.
type residentRecord struct {
	ID          string   `json:"id"`
	HouseholdID string   `json:"household_id"`
	EstateID    string   `json:"estate_id"`
	Estate      string   `json:"estate"`
	Address     string   `json:"address" jsonschema:"example=3-2-301"`
	Name        string   `json:"name"`
	NameMasked  string   `json:"name_masked"`
	Gender      string   `json:"gender,omitempty"`
	Relation    string   `json:"relation,omitempty"`
	BirthDate   string   `json:"birth_date,omitempty" jsonschema:"format=date"`
	Age         int      `json:"age,omitempty"`
	MovedIn     string   `json:"moved_in,omitempty" jsonschema:"format=date"`
	MovedOut    string   `json:"moved_out,omitempty" jsonschema:"format=date"`
	IDMasked    string   `json:"id_masked,omitempty"`
	PhoneMasked string   `json:"phone_masked,omitempty"`
	Colours     []string `json:"colours" jsonschema_description:"the colour groups the token may see; white when none"`
	Primary     string   `json:"primary,omitempty"`
	Tenure      string   `json:"tenure,omitempty"`
	Disability  bool     `json:"disability"`
	LastVisit   string   `json:"last_visit,omitempty" jsonschema:"format=date"`
	VisitDue    string   `json:"visit_due,omitempty" jsonschema:"format=date"`
}

func recordOf(r registry.Resident) residentRecord {
	out := residentRecord{ID: r.ID, HouseholdID: r.HouseholdID, EstateID: r.EstateID, Estate: r.EstateName, Address: r.Address,
		Name: r.Name, NameMasked: r.NameMasked, Gender: r.Gender, Relation: r.Relation, Age: r.Age, MovedIn: r.MovedIn,
		MovedOut: r.MovedOut, IDMasked: r.IDMasked, PhoneMasked: r.PhoneMasked, Colours: []string{}, Primary: string(r.Primary),
		Tenure: string(r.Tenure), Disability: r.Disability, LastVisit: r.LastVisit, VisitDue: r.VisitDue}
	if !r.BirthDate.IsZero() {
		out.BirthDate = r.BirthDate.Format(time.DateOnly)
	}
	if r.Primary != "" {
		for _, c := range r.Colours.List() {
			out.Colours = append(out.Colours, string(c))
		}
	}
	return out
}

// searchResidents is the registry page's search: filters by estate,
// household, colour, name prefix, ID tail, overdue, and those who left.
func (s *Server) searchResidents(w http.ResponseWriter, r *http.Request) error {
	limit, cursor, err := pageArgs(r, 500)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := registry.Filter{EstateID: q.Get("estate"), HouseholdID: q.Get("household"), Name: q.Get("name"),
		IDTail: q.Get("id_tail"), Overdue: q.Get("overdue") == "true", IncludeLeft: q.Get("include_left") == "true"}
	if v := q.Get("colour"); v != "" {
		if f.Colour, err = registry.ParseColour(v); err != nil {
			return err
		}
	}
	list, next, err := s.Registry.Search(r.Context(), actorOf(r), community(r), f, cursor, limit)
	if err != nil {
		return err
	}
	return writeList(w, mapList(list, recordOf), next)
}

func (s *Server) getResident(w http.ResponseWriter, r *http.Request) error {
	res, err := s.Registry.Resident(r.Context(), actorOf(r), community(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, recordOf(res))
	return nil
}

type colourChangeItem struct {
	Colour string    `json:"colour"`
	Added  bool      `json:"added"`
	Reason string    `json:"reason"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
}

// colourHistory is a resident's colour changes; reasons the system wrote
// are given in the language of Accept-Language.
func (s *Server) colourHistory(w http.ResponseWriter, r *http.Request) error {
	hist, err := s.Registry.ColourHistory(r.Context(), actorOf(r), community(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	lang := s.lang(r)
	return writeList(w, mapList(hist, func(c registry.ColourChange) colourChangeItem {
		return colourChangeItem{string(c.Colour), c.Added, i18n.T(lang, c.Reason), c.ActorName, c.At.UTC()}
	}), "")
}

type newResidentRequest struct {
	HouseholdID string `json:"household_id"`
	Name        string `json:"name"`
	Gender      string `json:"gender,omitempty" jsonschema_description:"M or F (男 or 女)"`
	BirthDate   string `json:"birth_date,omitempty" jsonschema:"format=date" jsonschema_description:"taken from the ID number when one is given"`
	IDNumber    string `json:"id_number,omitempty" jsonschema:"writeOnly=true" jsonschema_description:"18 characters (GB 11643); stored sealed, never answered"`
	Phone       string `json:"phone,omitempty" jsonschema:"writeOnly=true" jsonschema_description:"stored sealed, answered masked"`
	Relation    string `json:"relation,omitempty" jsonschema:"example=户主"`
	MovedIn     string `json:"moved_in,omitempty" jsonschema:"format=date" jsonschema_description:"today when left out"`
}

func changeOf(c registry.Change) any { return changed{c.ID, c.At.UTC().Format(time.RFC3339)} }

func (s *Server) createResident(w http.ResponseWriter, r *http.Request) error {
	req, err := readJSON[newResidentRequest](r)
	if err != nil {
		return err
	}
	return runCommand(w, r, func(ctx context.Context, by civic.Actor, key idem.Key) (registry.Change, error) {
		return s.Registry.CreateResident(ctx, by, key, registry.CreateResidentRequest{Community: community(r), NewResident: registry.NewResident{
			HouseholdID: req.HouseholdID, Name: req.Name, Gender: req.Gender, BirthDate: req.BirthDate, IDNumber: req.IDNumber,
			Phone: req.Phone, Relation: req.Relation, MovedIn: req.MovedIn}})
	}, changeOf)
}

type moveRequest struct {
	ToHouseholdID string `json:"to_household_id"`
	Date          string `json:"date,omitempty" jsonschema:"format=date" jsonschema_description:"today when left out"`
	Reason        string `json:"reason"`
}

func (s *Server) moveResident(w http.ResponseWriter, r *http.Request) error {
	req, err := readJSON[moveRequest](r)
	if err != nil {
		return err
	}
	return runCommand(w, r, func(ctx context.Context, by civic.Actor, key idem.Key) (registry.Change, error) {
		return s.Registry.MoveResident(ctx, by, key, registry.MoveResidentRequest{Community: community(r), Resident: r.PathValue("id"),
			ToHousehold: req.ToHouseholdID, Date: req.Date, Reason: req.Reason})
	}, changeOf)
}

type leaveRequest struct {
	Date   string `json:"date,omitempty" jsonschema:"format=date" jsonschema_description:"today when left out"`
	Reason string `json:"reason"`
}

func (s *Server) leaveResident(w http.ResponseWriter, r *http.Request) error {
	req, err := readJSON[leaveRequest](r)
	if err != nil {
		return err
	}
	return runCommand(w, r, func(ctx context.Context, by civic.Actor, key idem.Key) (registry.Change, error) {
		return s.Registry.LeaveResident(ctx, by, key, registry.LeaveResidentRequest{Community: community(r), Resident: r.PathValue("id"),
			Date: req.Date, Reason: req.Reason})
	}, changeOf)
}

type householdItem struct {
	ID         string `json:"id"`
	EstateID   string `json:"estate_id"`
	Estate     string `json:"estate"`
	Building   string `json:"building"`
	Unit       string `json:"unit,omitempty"`
	Room       string `json:"room"`
	Address    string `json:"address"`
	Tenure     string `json:"tenure,omitempty" jsonschema:"enum=owner,enum=rental,enum=other"`
	Disability bool   `json:"disability"`
	Members    int    `json:"members"`
}

func householdOf(h registry.Household) householdItem {
	return householdItem{h.ID, h.EstateID, h.EstateName, h.Building, h.Unit, h.Room, h.Address(), string(h.Tenure), h.Disability, h.Members}
}

func (s *Server) listHouseholds(w http.ResponseWriter, r *http.Request) error {
	limit, cursor, err := pageArgs(r, 500)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	if err := required("estate", q.Get("estate")); err != nil {
		return err
	}
	list, next, err := s.Registry.Households(r.Context(), actorOf(r), community(r), q.Get("estate"), q.Get("prefix"), cursor, limit)
	if err != nil {
		return err
	}
	return writeList(w, mapList(list, householdOf), next)
}

type householdRecord struct {
	householdItem
	Residents  []residentRecord `json:"residents"`
	Visits     []visitItem      `json:"visits"`
	NextVisits string           `json:"next_visits" jsonschema_description:"the cursor of the household's next visits (GET visits?household=)"`
}

func (s *Server) getHousehold(w http.ResponseWriter, r *http.Request) error {
	rec, err := s.Registry.HouseholdRecord(r.Context(), actorOf(r), community(r), r.PathValue("id"), "")
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, householdRecord{householdOf(rec.Household), mapList(rec.Members, recordOf),
		mapList(rec.Visits, visitOf), rec.NextVisits})
	return nil
}

type householdRequest struct {
	EstateID   string `json:"estate_id,omitempty" jsonschema_description:"new households only"`
	Building   string `json:"building,omitempty" jsonschema_description:"new households only"`
	Unit       string `json:"unit,omitempty" jsonschema_description:"new households only"`
	Room       string `json:"room,omitempty" jsonschema_description:"new households only"`
	Tenure     string `json:"tenure,omitempty" jsonschema:"enum=owner,enum=rental,enum=other" jsonschema_description:"owner when left out"`
	Disability bool   `json:"disability"`
	Reason     string `json:"reason,omitempty" jsonschema_description:"edits only: why the tenure or the disability flag changed"`
}

func (s *Server) createHousehold(w http.ResponseWriter, r *http.Request) error {
	req, err := readJSON[householdRequest](r)
	if err != nil {
		return err
	}
	return runCommand(w, r, func(ctx context.Context, by civic.Actor, key idem.Key) (registry.Household, error) {
		return s.Registry.CreateHousehold(ctx, by, key, registry.CreateHouseholdRequest{Community: community(r), Estate: req.EstateID,
			Building: req.Building, Unit: req.Unit, Room: req.Room, Tenure: registry.Tenure(req.Tenure), Disability: req.Disability})
	}, func(h registry.Household) any { return householdOf(h) })
}

func (s *Server) updateHousehold(w http.ResponseWriter, r *http.Request) error {
	req, err := readJSON[householdRequest](r)
	if err != nil {
		return err
	}
	if req.EstateID != "" || req.Building != "" || req.Unit != "" || req.Room != "" {
		return civic.Errorf(civic.Invalid, "api.address_fixed", "a household's address does not change; move its residents to another household")
	}
	return runCommand(w, r, func(ctx context.Context, by civic.Actor, key idem.Key) (registry.Change, error) {
		return s.Registry.UpdateHousehold(ctx, by, key, registry.UpdateHouseholdRequest{Community: community(r), Household: r.PathValue("id"),
			Tenure: registry.Tenure(req.Tenure), Disability: req.Disability, Reason: req.Reason})
	}, changeOf)
}

type estateItem struct {
	ID         string `json:"id"`
	Name       string `json:"name" jsonschema:"example=春江花园"`
	Address    string `json:"address,omitempty"`
	Households int    `json:"households"`
	Residents  int    `json:"residents"`
}

// listEstates lists the community's estates (a handful) with their counts.
func (s *Server) listEstates(w http.ResponseWriter, r *http.Request) error {
	es, err := s.Registry.Estates(r.Context(), community(r))
	if err != nil {
		return err
	}
	return writeList(w, mapList(es, func(e registry.Estate) estateItem {
		return estateItem{e.ID, e.Name, e.Address, e.Households, e.Residents}
	}), "")
}

type estateRequest struct {
	Name    string `json:"name"`
	Address string `json:"address,omitempty"`
}

func (s *Server) createEstate(w http.ResponseWriter, r *http.Request) error {
	req, err := readJSON[estateRequest](r)
	if err != nil {
		return err
	}
	return runCommand(w, r, func(ctx context.Context, by civic.Actor, key idem.Key) (registry.Estate, error) {
		return s.Registry.CreateEstate(ctx, by, key, registry.CreateEstateRequest{Community: community(r), Name: req.Name, Address: req.Address})
	}, func(e registry.Estate) any { return estateItem{e.ID, e.Name, e.Address, e.Households, e.Residents} })
}

type countsAnswer struct {
	Estates []estateCounts `json:"estates"`
}

type estateCounts struct {
	EstateID string         `json:"estate_id"`
	Counts   map[string]int `json:"counts" jsonschema_description:"active residents per colour the token may see"`
}

func (s *Server) colourCounts(w http.ResponseWriter, r *http.Request) error {
	counts, err := s.Registry.ColourCounts(r.Context(), actorOf(r), community(r))
	if err != nil {
		return err
	}
	out := countsAnswer{Estates: []estateCounts{}}
	for e, m := range counts {
		ec := estateCounts{EstateID: e, Counts: map[string]int{}}
		for c, n := range m {
			ec.Counts[string(c)] = n
		}
		out.Estates = append(out.Estates, ec)
	}
	slices.SortFunc(out.Estates, func(a, b estateCounts) int { return strings.Compare(a.EstateID, b.EstateID) })
	writeJSON(w, http.StatusOK, out)
	return nil
}
