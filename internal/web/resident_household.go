package web

import (
	"net/http"

	"civicpoints/internal/civic"
	"civicpoints/internal/registry"
)

// My household: the address and the members registered there. Residents
// never see colours, tenure or the disability flag (the registry redacts;
// the template shows none of them either).
func init() {
	AddPage(Page{Method: "GET", Path: "/resident/household", Roles: []civic.Role{civic.RoleResident}, Nav: "registry.ui.nav.household", Handler: (*Server).residentHousehold})
}

type residentHouseholdData struct {
	Household registry.Household
	Members   []residentMember
}

// residentMember is what a resident's page shows of a household member:
// deliberately no field that could carry a colour.
type residentMember struct {
	Name, Gender, Relation string
	Age                    int
	Me                     bool
}

func (s *Server) residentHousehold(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	ctx := r.Context()
	h, err := s.Registry.HouseholdOf(ctx, a, a.CommunityID, a.ResidentID)
	if err != nil {
		return err
	}
	members, err := s.Registry.Members(ctx, a, a.CommunityID, h.ID)
	if err != nil {
		return err
	}
	d := residentHouseholdData{Household: h}
	for _, m := range members {
		d.Members = append(d.Members, residentMember{Name: m.Name, Gender: m.Gender, Relation: m.Relation, Age: m.Age, Me: m.ID == a.ResidentID})
	}
	return s.Render(w, r, "resident_household", d)
}
