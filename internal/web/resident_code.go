package web

import (
	"html/template"
	"net/http"
	"strconv"

	"civicpoints/internal/civic"
	"civicpoints/internal/credit"
)

// My code: the rotating QR code (信用码) to show at the station, activities
// and merchants. It changes every minute; the page reloads itself through
// the Refresh header, so it works without JavaScript.
func init() {
	AddPage(Page{Method: "GET", Path: "/resident/code", Roles: []civic.Role{civic.RoleResident}, Nav: "registry.ui.nav.code", Handler: (*Server).residentCode})
}

type residentCodeData struct {
	QR      template.HTML // an SVG we drew ourselves from the signed payload
	Expires string        // local time the code stops scanning
	Refresh int           // seconds until the page fetches the next code
}

func (s *Server) residentCode(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	if s.Codes == nil {
		return civic.Errorf(civic.Unavailable, "registry.ui.no_codes", "resident codes are not available on this installation")
	}
	payload, expires, err := s.Codes.Rotating(r.Context(), a.CommunityID, a.ResidentID)
	if err != nil {
		return err
	}
	svg, err := credit.QRSVG(payload)
	if err != nil {
		return err
	}
	// The code is issued at the start of a minute and scans until Grace after
	// the next one starts: reload at the next rotation.
	now := s.Clock.Now()
	refresh := int(now.Truncate(credit.Rotation).Add(credit.Rotation).Sub(now).Seconds()) + 1
	w.Header().Set("Refresh", strconv.Itoa(refresh))
	return s.Render(w, r, "resident_code", residentCodeData{QR: template.HTML(svg), Expires: expires.In(civic.Shanghai).Format("15:04:05"), Refresh: refresh})
}
