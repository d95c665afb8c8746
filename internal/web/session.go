package web

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/edge"
	"civicpoints/internal/i18n"
)

const (
	sessionCookie = "cp_session"
	langCookie    = "lang"
	langMaxAge    = 400 * 24 * time.Hour // the longest browsers keep a cookie
)

// withSession puts the logged-in actor (if any) and the page language in the
// request context. A cookie naming an expired or unknown session is cleared
// and remembered, so a page that needs a login says "session expired".
func (s *Server) withSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		userLang := ""
		if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			sess, err := s.Auth.SessionUser(ctx, c.Value)
			switch civic.ErrorCode(err) {
			case "":
				ctx = WithActor(ctx, sess.User.Actor())
				userLang = sess.User.Lang
			case civic.Unauthenticated:
				s.clearSession(w)
				ctx = context.WithValue(ctx, expiredKey, true)
			default:
				s.fail(w, r.WithContext(context.WithValue(ctx, langKey, s.lang(r, ""))), err)
				return
			}
		}
		ctx = context.WithValue(ctx, langKey, s.lang(r, userLang))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// lang picks the page language: the lang cookie, then the user's saved
// choice, then the configured default (zh-CN unless set otherwise).
func (s *Server) lang(r *http.Request, userLang string) i18n.Lang {
	if c, err := r.Cookie(langCookie); err == nil {
		if l, ok := parseLang(c.Value); ok {
			return l
		}
	}
	if l, ok := parseLang(userLang); ok {
		return l
	}
	if l, ok := parseLang(s.Cfg.Lang); ok {
		return l
	}
	return i18n.ZH
}

func parseLang(v string) (i18n.Lang, bool) {
	switch v {
	case string(i18n.ZH):
		return i18n.ZH, true
	case string(i18n.EN):
		return i18n.EN, true
	}
	return "", false
}

func (s *Server) setCookie(w http.ResponseWriter, name, value string, maxAge time.Duration) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: value, Path: "/", MaxAge: int(maxAge / time.Second),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.Cfg.CookieHTTPS,
	})
}

func (s *Server) clearSession(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.Cfg.CookieHTTPS})
}

// loginRedirect sends the browser to the login page, coming back to the
// page it asked for (GET only) after logging in.
func loginRedirect(w http.ResponseWriter, r *http.Request) {
	q := url.Values{}
	if expired, _ := r.Context().Value(expiredKey).(bool); expired {
		q.Set("m", "expired")
	}
	if r.Method == http.MethodGet && r.URL.Path != "/" {
		q.Set("next", r.URL.RequestURI())
	}
	target := "/login"
	if len(q) > 0 {
		target += "?" + q.Encode()
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// clientIP is the address a login attempt is counted against: the real
// client behind --trusted-proxies (edge.ClientIP).
func (s *Server) clientIP(r *http.Request) string { return edge.ClientIP(r, s.proxies) }
