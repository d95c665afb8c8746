package web

import (
	"net/http"
	"strings"

	"civicpoints/internal/civic"
	"civicpoints/internal/registry"
)

// Finding a resident for the award form by name: the worker types the start
// of a name, picks one of the residents listed (masked name, estate and
// address, so namesakes can be told apart) and the form takes their id.
// Residents who have left are not listed: they cannot be awarded.

// findLimit is how many residents a name search lists; more means the
// worker should type more of the name.
const findLimit = 20

type foundResident struct {
	ID, NameMasked, Estate, Address string
}

// findResidents searches the registry by name prefix (audited there, as
// every registry list is).
func (s *Server) findResidents(r *http.Request, a civic.Actor, d *workerAwardData) error {
	d.Find = strings.TrimSpace(d.Find)
	if d.Find == "" || s.Registry == nil {
		return nil
	}
	if len([]rune(d.Find)) > 20 {
		return civic.Errorf(civic.Invalid, "earning.too_long", "a text is longer than %d characters", 20)
	}
	list, next, err := s.Registry.Search(r.Context(), a, a.CommunityID, registry.Filter{Name: d.Find}, "", findLimit)
	if err != nil {
		return err
	}
	d.Searched, d.More = true, next != ""
	d.Found = d.Found[:0]
	for _, res := range list {
		d.Found = append(d.Found, foundResident{ID: res.ID, NameMasked: res.NameMasked, Estate: res.EstateName, Address: res.Address})
	}
	return nil
}

// chosenLabel names the resident the single form is for, so the worker sees
// whom the id stands for before awarding.
func (s *Server) chosenLabel(r *http.Request, a civic.Actor, d *workerAwardData) {
	if d.Form.Resident != "" && d.Form.Mode != "bulk" {
		if l := s.label(r.Context(), a.CommunityID, d.Form.Resident); l != "" {
			d.Chosen = l
		}
	}
}
