package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"civicpoints/internal/civic"
	"civicpoints/internal/i18n"
)

type templateSet = template.Template

// View is what every template receives; the page's own data is in .Data.
type View struct {
	Lang      i18n.Lang
	OtherLang i18n.Lang // the language the switch offers
	Actor     *civic.Actor
	Home      string    // the actor's home page
	Nav       []NavLink // the actor's menu
	Path      string    // this page, for the language switch to return to
	Flash     string    // a translated notice
	Error     string    // a translated error
	Data      any
}

// parseTemplates builds, per language, one template per page file: the page
// over layout.html and partials.html, with t translating into that language.
func (s *Server) parseTemplates() error {
	names, err := fs.Glob(files, "templates/*.html")
	if err != nil {
		return err
	}
	s.tmpl = map[i18n.Lang]map[string]*templateSet{}
	for _, lang := range i18n.Langs {
		base, err := template.New("layout.html").Funcs(funcs(lang)).ParseFS(files, "templates/layout.html", "templates/partials.html")
		if err != nil {
			return fmt.Errorf("web: templates: %w", err)
		}
		s.tmpl[lang] = map[string]*templateSet{}
		for _, n := range names {
			name := strings.TrimSuffix(path.Base(n), ".html")
			if name == "layout" || name == "partials" {
				continue
			}
			t, err := template.Must(base.Clone()).ParseFS(files, n)
			if err != nil {
				return fmt.Errorf("web: template %s: %w", n, err)
			}
			s.tmpl[lang][name] = t
		}
	}
	return nil
}

func funcs(lang i18n.Lang) template.FuncMap {
	return template.FuncMap{
		"t":        func(key string, args ...any) string { return i18n.T(lang, key, args...) },
		"roleName": func(r civic.Role) string { return i18n.T(lang, "role."+string(r)) },
	}
}

// Render writes the page template name (templates/NAME.html) with data as
// .Data, status 200.
func (s *Server) Render(w http.ResponseWriter, r *http.Request, name string, data any) error {
	return s.RenderStatus(w, r, http.StatusOK, name, View{Data: data})
}

// RenderStatus writes a page with a status and a prepared view (Flash and
// Error may be set; the rest is filled in here).
func (s *Server) RenderStatus(w http.ResponseWriter, r *http.Request, status int, name string, v View) error {
	lang := LangFrom(r.Context())
	t, ok := s.tmpl[lang][name]
	if !ok {
		return fmt.Errorf("web: no template %q", name)
	}
	v.Lang, v.OtherLang, v.Path = lang, i18n.EN, r.URL.RequestURI()
	if lang == i18n.EN {
		v.OtherLang = i18n.ZH
	}
	if a, ok := ActorFrom(r.Context()); ok {
		v.Actor, v.Home, v.Nav = &a, HomePath(a.Role), navFor(a.Role)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// T translates key into the language of the request.
func (s *Server) T(r *http.Request, key string, args ...any) string {
	return i18n.T(LangFrom(r.Context()), key, args...)
}
