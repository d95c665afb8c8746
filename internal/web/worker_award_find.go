package web

import (
	"net/http"
	"strings"

	"civicpoints/internal/civic"
	"civicpoints/internal/registry"
)

// Finding a resident by name, for the award form and an activity's "sign up
// a resident" form: the worker types the start of a name, picks one of the
// residents listed (masked name, estate and address, so namesakes can be
// told apart) and the form takes their id. Residents who have left are not
// listed: they can be neither awarded nor signed up.

// findLimit is how many residents a name search lists; more means the
// worker should type more of the name.
const findLimit = 20

type foundResident struct {
	ID, NameMasked, Estate, Address string
}

// ResidentFind is a page's find-by-name box: what was typed (?q=) and who
// was found. Pages embed it in their data.
type ResidentFind struct {
	Action   string // the page the box searches on and links back to
	Find     string
	Found    []foundResident
	Searched bool
	More     bool
	Chosen   string // masked name of the resident the page's form is for
}

// findResidents searches the registry by name prefix (audited there, as
// every registry list is).
func (s *Server) findResidents(r *http.Request, a civic.Actor, f *ResidentFind) error {
	f.Find = strings.TrimSpace(f.Find)
	if f.Find == "" || s.Registry == nil {
		return nil
	}
	if len([]rune(f.Find)) > 20 {
		return civic.Errorf(civic.Invalid, "earning.too_long", "a text is longer than %d characters", 20)
	}
	list, next, err := s.Registry.Search(r.Context(), a, a.CommunityID, registry.Filter{Name: f.Find}, "", findLimit)
	if err != nil {
		return err
	}
	f.Searched, f.More = true, next != ""
	f.Found = f.Found[:0]
	for _, res := range list {
		f.Found = append(f.Found, foundResident{ID: res.ID, NameMasked: res.NameMasked, Estate: res.EstateName, Address: res.Address})
	}
	return nil
}

// choose names the resident a form is for, so the worker sees whom the id
// stands for before sending it.
func (s *Server) choose(r *http.Request, a civic.Actor, f *ResidentFind, residentID string) {
	f.Chosen = ""
	if residentID != "" && s.Registry != nil {
		names, err := s.Registry.MaskedNames(r.Context(), a.CommunityID, []string{residentID})
		if err != nil {
			s.Log.WarnContext(r.Context(), "earning pages: masked names", "err", err)
		}
		f.Chosen = names[residentID] // none for an unknown id: the form says so
	}
}

// chosenLabel names the resident the award's single form is for.
func (s *Server) chosenLabel(r *http.Request, a civic.Actor, d *workerAwardData) {
	if d.Form.Mode != "bulk" {
		s.choose(r, a, &d.ResidentFind, d.Form.Resident)
	}
}
