package web

import (
	"net/http"

	"civicpoints/internal/civic"
	"civicpoints/internal/i18n"
)

func init() {
	AddPage(Page{Method: "GET", Path: "/{$}", Handler: (*Server).root})
	AddPage(Page{Method: "GET", Path: "/login", Handler: (*Server).loginPage})
	AddPage(Page{Method: "POST", Path: "/login", Handler: (*Server).login})
	AddPage(Page{Method: "POST", Path: "/logout", Handler: (*Server).logout})
	// Any other GET path: the translated not-found page.
	AddPage(Page{Method: "GET", Path: "/", Handler: func(*Server, http.ResponseWriter, *http.Request) error {
		return civic.Errorf(civic.NotFound, "web.page_not_found", "no such page")
	}})
}

type loginData struct {
	Username string
	Next     string
}

// flashes are the notices the login page shows for ?m=.
var flashes = map[string]string{
	"expired":    "auth.session_expired",
	"logged_out": "web.login.logged_out",
}

// root sends a logged-in user home and anyone else to the login page.
func (s *Server) root(w http.ResponseWriter, r *http.Request) error {
	if a, ok := ActorFrom(r.Context()); ok {
		http.Redirect(w, r, HomePath(a.Role), http.StatusSeeOther)
		return nil
	}
	loginRedirect(w, r)
	return nil
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) error {
	if a, ok := ActorFrom(r.Context()); ok {
		http.Redirect(w, r, HomePath(a.Role), http.StatusSeeOther)
		return nil
	}
	v := View{Data: loginData{Next: localPath(r.URL.Query().Get("next"), "")}}
	if key, ok := flashes[r.URL.Query().Get("m")]; ok {
		v.Flash = s.T(r, key)
	}
	return s.RenderStatus(w, r, http.StatusOK, "login", v)
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return civic.Errorf(civic.Invalid, "web.bad_form", "cannot read the form: %v", err)
	}
	username, next := r.PostFormValue("username"), localPath(r.PostFormValue("next"), "")
	login := username
	if s.Garden != nil {
		login = s.Garden.LoginName(r.Context(), username) // a garden family logs in with its phone number
	}
	u, err := s.Auth.Login(r.Context(), login, r.PostFormValue("password"), s.clientIP(r))
	if code := civic.ErrorCode(err); code == civic.Unauthenticated || code == civic.TooManyRequests {
		s.Log.InfoContext(r.Context(), "login failed", "username", login, "ip", s.clientIP(r), "code", string(code))
		v := View{Error: i18n.Error(LangFrom(r.Context()), err), Data: loginData{Username: username, Next: next}}
		return s.RenderStatus(w, r, HTTPStatus(code), "login", v)
	} else if err != nil {
		return err
	}
	sess, err := s.Auth.CreateSession(r.Context(), u)
	if err != nil {
		return err
	}
	s.setCookie(w, sessionCookie, sess.Token, 0)
	// The language a user chose before follows them to a new browser.
	if _, err := r.Cookie(langCookie); err != nil {
		if l, ok := parseLang(u.Lang); ok {
			s.setCookie(w, langCookie, string(l), langMaxAge)
		}
	}
	s.Log.InfoContext(r.Context(), "login", "user_id", u.ID, "role", string(u.Role))
	http.Redirect(w, r, localPath(next, HomePath(u.Role)), http.StatusSeeOther)
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if err := s.Auth.Logout(r.Context(), c.Value); err != nil {
			return err
		}
	}
	s.clearSession(w)
	http.Redirect(w, r, "/login?m=logged_out", http.StatusSeeOther)
	return nil
}
