package web

import (
	"html/template"
	"net/http"

	"civicpoints/internal/civic"
	"civicpoints/internal/credit"
	"civicpoints/internal/registry"
)

// A resident's printed card (for residents without a smartphone): issue or
// reissue one (the earlier card stops working) and print it, or revoke every
// card of the resident with a reason. The card's code is shown only on the
// page that issued it.
func init() {
	AddPage(Page{Method: "GET", Path: "/worker/registry/residents/{id}/card", Roles: workerOnly, Handler: (*Server).workerCard})
	AddPage(Page{Method: "POST", Path: "/worker/registry/residents/{id}/card", Roles: workerOnly, Handler: (*Server).workerCardIssue})
	AddPage(Page{Method: "POST", Path: "/worker/registry/residents/{id}/card/revoke", Roles: workerOnly, Handler: (*Server).workerCardRevoke})
}

type workerCardData struct {
	Resident  registry.Resident
	Community string
	QR        template.HTML // set right after issuing
}

func (s *Server) cardPage(w http.ResponseWriter, r *http.Request, d workerCardData, flash string) error {
	a, _ := ActorFrom(r.Context())
	var err error
	if d.Resident, err = s.Registry.Resident(r.Context(), a, a.CommunityID, r.PathValue("id")); err != nil {
		return err
	}
	if c, err := registry.CommunityByID(r.Context(), s.DB, a.CommunityID); err == nil {
		d.Community = c.Name
	}
	if r.URL.Query().Get("done") == "revoked" {
		flash = s.T(r, "registry.ui.card.revoked")
	}
	return s.RenderStatus(w, r, http.StatusOK, "worker_card", View{Flash: flash, Data: d})
}

func (s *Server) workerCard(w http.ResponseWriter, r *http.Request) error {
	return s.cardPage(w, r, workerCardData{}, "")
}

func (s *Server) codes() (*credit.Codes, error) {
	if s.Codes == nil {
		return nil, civic.Errorf(civic.Unavailable, "registry.ui.no_codes", "resident codes are not available on this installation")
	}
	return s.Codes, nil
}

func (s *Server) workerCardIssue(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	codes, err := s.codes()
	if err != nil {
		return err
	}
	card, err := codes.IssueCard(r.Context(), a, a.CommunityID, r.PathValue("id"))
	if err != nil {
		return err
	}
	svg, err := credit.QRSVG(card.Payload)
	if err != nil {
		return err
	}
	return s.cardPage(w, r, workerCardData{QR: template.HTML(svg)}, s.T(r, "registry.ui.card.issued"))
}

func (s *Server) workerCardRevoke(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	codes, err := s.codes()
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	if err := codes.RevokeCards(r.Context(), a, a.CommunityID, id, r.PostFormValue("reason")); err != nil {
		return err
	}
	http.Redirect(w, r, "/worker/registry/residents/"+id+"/card?done=revoked", http.StatusSeeOther)
	return nil
}
