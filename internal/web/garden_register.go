package web

import (
	"net/http"

	"civicpoints/internal/civic"
	"civicpoints/internal/garden"
	"civicpoints/internal/i18n"
)

// A family registers for the shared garden with a phone number and a
// password (public; throttled per address like logins), and is logged in.
func init() {
	AddPage(Page{Method: "GET", Path: "/garden/register", Handler: (*Server).gardenRegister})
	AddPage(Page{Method: "POST", Path: "/garden/register", Handler: (*Server).gardenRegisterPost})
}

// registerLimit is how many registrations one address may try within the
// logins' window (a household or a village office shares one address).
const registerLimit = 10

type gardenRegisterData struct {
	Phone, Name, Key string
}

func (s *Server) gardenRegister(w http.ResponseWriter, r *http.Request) error {
	if a, ok := ActorFrom(r.Context()); ok {
		http.Redirect(w, r, HomePath(a.Role), http.StatusSeeOther)
		return nil
	}
	return s.Render(w, r, "garden_register", gardenRegisterData{Key: newFormKey()})
}

func (s *Server) gardenRegisterPost(w http.ResponseWriter, r *http.Request) error {
	d := gardenRegisterData{Phone: r.PostFormValue("phone"), Name: r.PostFormValue("name"), Key: r.PostFormValue("key")}
	err := s.registerFamily(w, r, d)
	if err == nil {
		return nil
	}
	if civic.ErrorCode(err) == civic.Internal {
		return err
	}
	if d.Key == "" {
		d.Key = newFormKey()
	}
	return s.RenderStatus(w, r, HTTPStatus(civic.ErrorCode(err)), "garden_register",
		View{Error: i18n.Error(LangFrom(r.Context()), err), Data: d})
}

func (s *Server) registerFamily(w http.ResponseWriter, r *http.Request, d gardenRegisterData) error {
	password := r.PostFormValue("password")
	if password != r.PostFormValue("password2") {
		return civic.Errorf(civic.Invalid, "garden_pages.register.mismatch", "the two passwords differ")
	}
	key, err := commandKey(r)
	if err != nil {
		return err
	}
	if err := s.Auth.CountAttempt(r.Context(), "garden_register:"+s.clientIP(r), registerLimit); err != nil {
		if e := civic.AsError(err); e != nil && e.Code == civic.TooManyRequests {
			return civic.Errorf(civic.TooManyRequests, "garden.register_throttled", "too many registrations from here; try again in %d minutes", e.Args...)
		}
		return err
	}
	if _, err := s.Garden.Register(r.Context(), key, garden.RegisterRequest{Phone: d.Phone, Name: d.Name, Password: password}); err != nil {
		return err
	}
	u, err := s.Auth.Login(r.Context(), s.Garden.LoginName(r.Context(), d.Phone), password, s.clientIP(r))
	if err != nil {
		return err
	}
	sess, err := s.Auth.CreateSession(r.Context(), u)
	if err != nil {
		return err
	}
	s.setCookie(w, sessionCookie, sess.Token, 0)
	return gardenDone(w, r, "/garden/browse", "welcome")
}
