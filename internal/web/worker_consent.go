package web

import (
	"net/http"

	"civicpoints/internal/credit"
)

// A worker records a consent (or its withdrawal) that a resident gave on
// paper at the desk, with a reason; it is audited.
func init() {
	AddPage(Page{Method: "GET", Path: "/worker/registry/residents/{id}/consent", Roles: workerOnly, Handler: (*Server).workerConsent})
	AddPage(Page{Method: "POST", Path: "/worker/registry/residents/{id}/consent", Roles: workerOnly, Handler: (*Server).workerConsentPost})
}

func (s *Server) workerConsentData(r *http.Request) (consentData, error) {
	ctx := r.Context()
	a, _ := ActorFrom(ctx)
	id := r.PathValue("id")
	res, err := s.Registry.Resident(ctx, a, a.CommunityID, id)
	if err != nil {
		return consentData{}, err
	}
	d, err := s.consentData(ctx, a.CommunityID, id)
	d.Name, d.ForWorker, d.Action = res.Name, true, "/worker/registry/residents/"+id+"/consent"
	return d, err
}

func (s *Server) workerConsent(w http.ResponseWriter, r *http.Request) error {
	d, err := s.workerConsentData(r)
	if err != nil {
		return err
	}
	v := View{Data: d}
	if r.URL.Query().Get("done") == "1" {
		v.Flash = s.T(r, "credit.consent.recorded")
	}
	return s.RenderStatus(w, r, http.StatusOK, "resident_consent", v)
}

func (s *Server) workerConsentPost(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a, _ := ActorFrom(ctx)
	id := r.PathValue("id")
	key, err := commandKey(r)
	if err == nil {
		_, err = s.Credit.SetConsent(ctx, a, key, credit.ConsentRequest{Community: a.CommunityID, Resident: id,
			Purpose: credit.Purpose(r.PostFormValue("purpose")), Grant: r.PostFormValue("grant") == "1",
			Paper: r.PostFormValue("paper") == "1", Reason: r.PostFormValue("reason")})
	}
	if err != nil {
		d, derr := s.workerConsentData(r)
		if derr != nil {
			return derr
		}
		d.Reason = r.PostFormValue("reason")
		return s.reshow(w, r, err, "resident_consent", d)
	}
	http.Redirect(w, r, "/worker/registry/residents/"+id+"/consent?done=1", http.StatusSeeOther)
	return nil
}
