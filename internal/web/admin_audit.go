package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/i18n"
)

// The audit log of one community (or of the installation: district and
// admin users and tokens), newest first, keyset paginated: who did or saw
// what, when, about whom, and why. Reading it changes nothing.
func init() {
	AddPage(Page{Method: "GET", Path: "/admin/audit", Roles: adminRoles, Nav: "admin.nav.audit", Handler: (*Server).adminAuditLog})
}

type auditRow struct {
	auth.AuditEntry
	When, Action string
	Details      []auditDetail
}

// auditDetail is one thing an entry says a response showed, named in the
// page's language.
type auditDetail struct{ Key, Label, Value string }

type adminAuditData struct {
	Communities     adminCommunities
	Scope           string
	Entries         []auditRow
	Next, FirstPage string
}

// auditPage is how many entries one page shows.
const auditPage = 50

func (s *Server) adminAuditLog(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	d := adminAuditData{Scope: q.Get("community")}
	var err error
	if d.Communities, err = s.adminCommunities(r.Context()); err != nil {
		return err
	}
	if d.Scope == "" {
		d.Scope = scopeInstallation
		if len(d.Communities.List) > 0 {
			d.Scope = d.Communities.List[0].Slug
		}
	}
	id := ""
	if d.Scope != scopeInstallation {
		if id, err = d.Communities.communityID(d.Scope); err != nil {
			return err
		}
	}
	before := q.Get("before")
	entries, err := s.Auth.AuditLog(r.Context(), id, before, auditPage+1)
	if err != nil {
		return err
	}
	more := len(entries) > auditPage
	if more {
		entries = entries[:auditPage]
	}
	lang := LangFrom(r.Context())
	for _, e := range entries {
		d.Entries = append(d.Entries, auditRow{AuditEntry: e, When: e.At.In(civic.Shanghai).Format(time.DateTime),
			Action: auditAction(lang, e.Action), Details: auditDetails(lang, e)})
	}
	page := url.Values{"community": {d.Scope}}
	if before != "" {
		d.FirstPage = "/admin/audit?" + page.Encode()
	}
	if more {
		page.Set("before", entries[len(entries)-1].Cursor())
		d.Next = "/admin/audit?" + page.Encode()
	}
	return s.Render(w, r, "admin_audit", d)
}

// auditAction names an action in the page's language; an action this
// catalogue does not know yet shows as recorded.
func auditAction(lang i18n.Lang, action string) string {
	if key := "admin.action." + action; i18n.Has(key) {
		return i18n.T(lang, key)
	}
	return action
}

// auditDetails names an entry's details in the page's language: how many
// residents or households, the filter, and the fields shown (each named
// when the catalogue knows it, else as recorded).
func auditDetails(lang i18n.Lang, e auth.AuditEntry) []auditDetail {
	var out []auditDetail
	for _, p := range e.Details() {
		d := auditDetail{Key: p.Key, Label: p.Key, Value: p.Value}
		if key := "admin.audit.detail." + p.Key; i18n.Has(key) {
			d.Label = i18n.T(lang, key)
		}
		if p.Key == "shown" {
			var names []string
			for _, f := range strings.Split(p.Value, ",") {
				if key := "admin.audit.field." + f; i18n.Has(key) {
					f = i18n.T(lang, key)
				}
				names = append(names, f)
			}
			d.Value = strings.Join(names, i18n.T(lang, "admin.audit.list_sep"))
		}
		out = append(out, d)
	}
	return out
}
