package web

import (
	"net/http"

	"civicpoints/internal/civic"
	"civicpoints/internal/importer"
	"civicpoints/internal/registry"
)

// Export the registry, or a list filtered by estate, colour or overdue
// visits, to xlsx: only what the exporting worker may see (masked ID numbers
// and phones; red and red-group care only with the grant), read through the
// registry's export, which audits it once.
func init() {
	AddPage(Page{Method: "GET", Path: "/worker/export", Roles: workerOnly, Nav: "registry.ui.nav.export", Handler: (*Server).workerExportForm})
	AddPage(Page{Method: "GET", Path: "/worker/export/residents.xlsx", Roles: workerOnly, Handler: (*Server).workerExportXLSX})
}

type workerExportData struct {
	Estates []registry.Estate
	Colours []registry.Colour
}

func (s *Server) workerExportForm(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	cached, err := s.counts(r.Context(), a)
	if err != nil {
		return err
	}
	return s.Render(w, r, "worker_export", workerExportData{Estates: cached.Estates, Colours: visibleColours(a)})
}

func (s *Server) workerExportXLSX(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	q := r.URL.Query()
	f := registry.Filter{EstateID: q.Get("estate"), Overdue: q.Get("overdue") == "1"}
	if c := q.Get("colour"); c != "" {
		colour, err := registry.ParseColour(c)
		if err != nil {
			return err
		}
		f.Colour = colour
	}
	all, err := s.Registry.Export(r.Context(), a, a.CommunityID, f)
	if err != nil {
		return err
	}
	if len(all) == 0 {
		return civic.Errorf(civic.NotFound, "registry.ui.export_empty", "no resident matches this filter: nothing to export")
	}
	name := "residents-" + s.Clock.Now().In(civic.Shanghai).Format("20060102-1504") + ".xlsx"
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	s.Log.InfoContext(r.Context(), "registry exported", "rows", len(all), "filter", f.String())
	return importer.WriteExport(w, LangFrom(r.Context()), all)
}
