package web

import (
	"net/http"

	"civicpoints/internal/civic"
)

func init() {
	AddPage(Page{Method: "POST", Path: "/lang", Handler: (*Server).setLang})
}

// setLang switches the page language: a long-lived cookie for this browser,
// and the user's saved choice when logged in. Then back to the page.
func (s *Server) setLang(w http.ResponseWriter, r *http.Request) error {
	l, ok := parseLang(r.PostFormValue("lang"))
	if !ok {
		return civic.Errorf(civic.Invalid, "auth.bad_lang", "unknown language %q: use zh-CN or en", r.PostFormValue("lang"))
	}
	s.setCookie(w, langCookie, string(l), langMaxAge)
	if a, ok := ActorFrom(r.Context()); ok && a.UserID != "" {
		if err := s.Auth.SetLang(r.Context(), a.UserID, string(l)); err != nil {
			return err
		}
	}
	http.Redirect(w, r, localPath(r.PostFormValue("back"), "/"), http.StatusSeeOther)
	return nil
}
