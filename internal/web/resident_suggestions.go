package web

import (
	"errors"
	"io"
	"net/http"
	"strconv"

	"civicpoints/internal/civic"
	"civicpoints/internal/earning"
	"civicpoints/internal/idem"
)

// My suggestions (金点子): submit a title, text and an optional photo; see
// each one's status, the worker's reasons and any points. The photo route
// serves a suggestion's photo to its author and to the community's workers.
func init() {
	res := []civic.Role{civic.RoleResident}
	AddPage(Page{Method: "GET", Path: "/resident/suggestions", Roles: res, Nav: "earning_pages.nav.suggestions", Handler: (*Server).residentSuggestions})
	AddPage(Page{Method: "POST", Path: "/resident/suggestions", Roles: res, Upload: earning.MaxPhoto, Handler: (*Server).residentSuggestionsPost})
	AddPage(Page{Method: "GET", Path: "/suggestions/{id}/photo", Roles: []civic.Role{civic.RoleResident, civic.RoleWorker}, Handler: (*Server).suggestionPhoto})
}

type suggestionRow struct {
	earning.Suggestion
	When string
}

type residentSuggestionsData struct {
	Title, Body string
	Key         string // idempotency: a resent suggestion is recorded once
	MaxPhotoMB  int
	List        []suggestionRow
}

func (s *Server) residentSuggestionsData(r *http.Request, a civic.Actor, d *residentSuggestionsData) error {
	list, err := s.Earning.SuggestionsOf(r.Context(), a.CommunityID, a.ResidentID)
	if err != nil {
		return err
	}
	for _, g := range list {
		d.List = append(d.List, suggestionRow{Suggestion: g, When: shanghai(g.CreatedAt)})
	}
	d.MaxPhotoMB = earning.MaxPhoto >> 20
	if d.Key == "" {
		d.Key = newFormKey()
	}
	return nil
}

func (s *Server) residentSuggestions(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	var d residentSuggestionsData
	if err := s.residentSuggestionsData(r, a, &d); err != nil {
		return err
	}
	v := View{Data: d}
	if r.URL.Query().Get("done") == "1" {
		v.Flash = s.T(r, "earning_pages.suggestions.done")
	}
	return s.RenderStatus(w, r, http.StatusOK, "resident_suggestions", v)
}

func (s *Server) residentSuggestionsPost(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	d := residentSuggestionsData{}
	err := parseForm(r, 1<<20)
	var photo []byte
	if err == nil {
		d.Title, d.Body, d.Key = r.PostFormValue("title"), r.PostFormValue("body"), r.PostFormValue("key")
		photo, err = formFile(r, "photo")
	}
	var key idem.Key
	if err == nil {
		key, err = commandKey(r)
	}
	if err == nil {
		_, err = s.Earning.Submit(r.Context(), a, key, earning.SubmitRequest{Community: a.CommunityID, Resident: a.ResidentID,
			Title: d.Title, Body: d.Body, Photo: photo})
	}
	if err != nil {
		if derr := s.residentSuggestionsData(r, a, &d); derr != nil {
			return derr
		}
		return s.reshow(w, r, err, "resident_suggestions", d)
	}
	http.Redirect(w, r, "/resident/suggestions?done=1", http.StatusSeeOther)
	return nil
}

// formFile reads an optional uploaded file; none chosen reads as nil.
func formFile(r *http.Request, name string) ([]byte, error) {
	f, _, err := r.FormFile(name)
	if errors.Is(err, http.ErrMissingFile) {
		return nil, nil
	}
	if err != nil {
		return nil, civic.Errorf(civic.Invalid, "earning.photo_large", "the photo is larger than %d MB", earning.MaxPhoto>>20)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, earning.MaxPhoto+1))
	if err != nil {
		return nil, civic.Errorf(civic.Invalid, "web.bad_form", "cannot read the form: %v", err)
	}
	return b, nil
}

func (s *Server) suggestionPhoto(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	g, err := s.Earning.Suggestion(r.Context(), a.CommunityID, r.PathValue("id"))
	if err != nil {
		return err
	}
	if (a.Role == civic.RoleResident && g.ResidentID != a.ResidentID) || g.PhotoID == "" {
		return civic.Errorf(civic.NotFound, "earning.no_photo", "no such photo")
	}
	data, ctype, err := s.Earning.Photo(r.Context(), a.CommunityID, g.PhotoID)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Header().Set("Cache-Control", "private, max-age=3600")
	_, err = w.Write(data)
	return err
}
