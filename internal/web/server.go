// Package web is the server-rendered HTML shell: login, language, sessions,
// role guard, one home page per role, and the pages each capability adds.
// Templates and static files are embedded; pages work without JavaScript.
// See README.md in this folder for how to add a page.
package web

import (
	"embed"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"slices"

	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/config"
	"civicpoints/internal/credit"
	"civicpoints/internal/db"
	"civicpoints/internal/district"
	"civicpoints/internal/earning"
	"civicpoints/internal/garden"
	"civicpoints/internal/i18n"
	"civicpoints/internal/ledger"
	"civicpoints/internal/registry"
	"civicpoints/internal/station"
)

//go:embed templates static
var files embed.FS

// Options is what the pages need from the application. A capability whose
// pages need its service adds a field here and sets it in app/http.go.
type Options struct {
	Cfg   *config.Config
	DB    *db.DB
	Auth  *auth.Service
	Clock civic.Clock
	Log   *slog.Logger

	// Earning pages: points, activities, suggestions, catalogue, awards.
	Earning *earning.Service
	// Ledger reverses transfers with every capability's undo wired.
	Ledger *ledger.Service

	// Station pages: masked names, and group commit for point-moving forms.
	Registry *registry.Service
	Batch    *db.Batcher

	// Station pages: the station's commands (counter, shop, stock,
	// donations, pickups, settings).
	Station *station.Service

	// Registry pages: the resident's rotating code and printed cards; the
	// counter checks scanned codes with it.
	Codes *credit.Codes

	// Credit pages: the credit card, "why is my level this", consent, and
	// the district office's rules; District: its communities.
	Credit   *credit.Service
	District *district.Service
	// Garden pages: operators, stewards and families of the shared garden.
	Garden *garden.Service
}

// Server renders the pages.
type Server struct {
	Options
	tmpl    map[i18n.Lang]map[string]*templateSet
	proxies []netip.Prefix // trusted reverse proxies (--trusted-proxies)
}

// New parses the embedded templates; a broken template stops the start.
func New(o Options) (*Server, error) {
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.Clock == nil {
		o.Clock = civic.SystemClock{}
	}
	if o.Cfg == nil {
		o.Cfg = &config.Config{}
	}
	s := &Server{Options: o}
	var err error
	if s.proxies, err = config.ParseProxies(o.Cfg.TrustedProxies); err != nil {
		return nil, err
	}
	if err := s.parseTemplates(); err != nil {
		return nil, err
	}
	return s, nil
}

// Page is one route of the HTML surface. Each page file registers its pages
// from init() with AddPage.
type Page struct {
	Method string // GET or POST
	Path   string // a net/http pattern path, such as /worker/residents/{id}
	// Roles may open the page; empty means anyone, logged in or not.
	Roles []civic.Role
	// Nav, when set, is the i18n key of a link to this page on the home page
	// (and in the menu) of each of Roles. Only GET pages without wildcards.
	Nav string
	// Upload, when set, is the largest file the page accepts: its body may
	// be that large and take --upload-timeout to arrive (edge.go).
	Upload int64
	// Long names the form fields that may hold up to edge.MaxLong bytes
	// (a pasted list) instead of edge.MaxField.
	Long []string
	// Handler renders the page or returns an error, which becomes the error
	// page (or a redirect to the login for unauthenticated).
	Handler func(s *Server, w http.ResponseWriter, r *http.Request) error
}

var pages []Page

// AddPage registers a page; call it from init() in the page's file.
func AddPage(p Page) {
	if p.Method == "" {
		p.Method = http.MethodGet
	}
	pages = append(pages, p)
}

// NavLink is a link on a role's home page and menu.
type NavLink struct {
	Key  string // i18n key of the label
	Path string
}

// navFor lists the nav links of a role, in registration order.
func navFor(role civic.Role) []NavLink {
	var out []NavLink
	for _, p := range pages {
		if p.Nav != "" && p.Method == http.MethodGet && slices.Contains(p.Roles, role) {
			out = append(out, NavLink{Key: p.Nav, Path: p.Path})
		}
	}
	return out
}

// homePaths is where each role lands after login.
var homePaths = map[civic.Role]string{
	civic.RoleResident: "/resident",
	civic.RoleWorker:   "/worker",
	civic.RoleClerk:    "/clerk",
	civic.RoleMerchant: "/merchant",
	civic.RoleDistrict: "/district",
	civic.RoleAdmin:    "/admin",

	civic.RoleGardenOperator: "/garden/op",
	civic.RoleGardenSteward:  "/garden/steward",
	civic.RoleGardenAdopter:  "/garden/me",
}

// HomePath is the home page of a role.
func HomePath(r civic.Role) string {
	if p, ok := homePaths[r]; ok {
		return p
	}
	return "/"
}

// Routes adds every page, the language switch and the static files to mux.
// Cross-origin protection, request ids and access logs wrap the whole handler
// in app/http.go.
func (s *Server) Routes(mux *http.ServeMux) {
	static, _ := fs.Sub(files, "static")
	fileServer := http.FileServerFS(static)
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		fileServer.ServeHTTP(w, r)
	})))
	for _, p := range pages {
		mux.Handle(p.Method+" "+p.Path, s.checkRequest(s.withSession(s.page(p))))
	}
}

// page wraps a page handler: security headers, role guard, the body's
// limits and the form's check (edge.go), error page.
func (s *Server) page(p Page) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		securityHeaders(w)
		if len(p.Roles) > 0 {
			a, ok := ActorFrom(r.Context())
			if !ok {
				s.fail(w, r, civic.Errorf(civic.Unauthenticated, "auth.no_session", "not logged in"))
				return
			}
			if !slices.Contains(p.Roles, a.Role) {
				s.fail(w, r, civic.Errorf(civic.Forbidden, "web.forbidden_role", "this page is not for the role %s", string(a.Role)))
				return
			}
		}
		// The audit entries written while serving the page name it.
		r = r.WithContext(auth.WithPage(r.Context(), p.Method+" "+p.Path))
		err := s.readForm(w, r, p)
		// The server removes the temporary files of a multipart form only
		// when the form hangs on its own request, not on this copy.
		if r.MultipartForm != nil {
			defer r.MultipartForm.RemoveAll()
		}
		if err == nil {
			err = p.Handler(s, w, r)
		}
		if err != nil {
			s.fail(w, r, err)
		}
	})
}
