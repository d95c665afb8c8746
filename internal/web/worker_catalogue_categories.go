package web

import (
	"net/http"
	"net/url"
	"strings"

	"civicpoints/internal/civic"
	"civicpoints/internal/earning"
	"civicpoints/internal/idem"
)

// The catalogue's category forms: add a category, or rename one (its code
// stays, since indicators refer to it). A refused form is shown again on the
// catalogue with its values and the translated error.
func init() {
	wk := []civic.Role{civic.RoleWorker}
	AddPage(Page{Method: "POST", Path: "/worker/catalogue/categories", Roles: wk, Handler: (*Server).workerCategorySave})
}

// categoryForm is the new-category form, or the rename form of Code when
// New is false, as last submitted.
type categoryForm struct {
	New                            bool
	Code, NameZH, NameEN, Position string
	Key                            string // idempotency: a resent form saves once
}

func (s *Server) workerCategorySave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a, _ := ActorFrom(ctx)
	if err := parseForm(r, 0); err != nil {
		return err
	}
	f := categoryForm{New: r.PostFormValue("new") == "1", Code: strings.TrimSpace(r.PostFormValue("code")),
		NameZH: r.PostFormValue("name_zh"), NameEN: r.PostFormValue("name_en"), Position: r.PostFormValue("position")}
	pos, err := formInt(r, "position", 0)
	c := earning.Category{Code: f.Code, NameZH: f.NameZH, NameEN: f.NameEN, Position: int(pos)}
	var key idem.Key
	if err == nil {
		key, err = commandKey(r)
	}
	if err == nil {
		f.Key = string(key) // a refused form is shown again with its key
		// Adding must not overwrite a category with the same code; renaming
		// must name one that exists (the command refuses both).
		_, err = s.Earning.SaveCategory(ctx, a, key, earning.CategoryRequest{Community: a.CommunityID, New: f.New, Category: c})
	}
	if err != nil {
		d, derr := s.catalogueData(r, a)
		if derr != nil {
			return derr
		}
		if f.New {
			if f.Key == "" {
				f.Key = newFormKey()
			}
			d.NewCategory = f
		} else {
			d.Rename = f
		}
		return s.reshow(w, r, err, "worker_catalogue", d)
	}
	http.Redirect(w, r, "/worker/catalogue?category="+url.QueryEscape(c.Code), http.StatusSeeOther)
	return nil
}
