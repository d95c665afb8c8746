package web

import (
	"net/http"

	"civicpoints/internal/civic"
	"civicpoints/internal/i18n"
)

// HTTPStatus maps an error code to its HTTP status (civic.Code.HTTPStatus).
func HTTPStatus(c civic.Code) int { return c.HTTPStatus() }

// fail turns a handler's error into the response: unauthenticated goes to
// the login page; anything else is the error page with a translated message
// and the status of its code. Unexpected errors are logged, not shown.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := civic.ErrorCode(err)
	if code == civic.Unauthenticated {
		loginRedirect(w, r)
		return
	}
	status := HTTPStatus(code)
	lang := LangFrom(r.Context())
	msg := i18n.Error(lang, err)
	if status >= 500 {
		s.Log.ErrorContext(r.Context(), "page failed", "method", r.Method, "path", r.URL.Path, "err", err)
		msg = i18n.T(lang, "error."+string(code))
	}
	v := View{Error: msg, Data: errorData{Status: status}}
	if rerr := s.RenderStatus(w, r, status, "error", v); rerr != nil {
		s.Log.ErrorContext(r.Context(), "error page failed", "err", rerr)
		http.Error(w, msg, status)
	}
}

type errorData struct{ Status int }
