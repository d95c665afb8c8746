package web

import (
	"context"
	"net/http"

	"civicpoints/internal/civic"
	"civicpoints/internal/credit"
	"civicpoints/internal/i18n"
)

// Consent to credit use (信用授权): the resident grants or withdraws it per
// use on this page, and sees every change they (or a worker, on paper) made.
// A minor sees why they cannot grant it.
func init() {
	res := []civic.Role{civic.RoleResident}
	AddPage(Page{Method: "GET", Path: "/resident/consent", Roles: res, Nav: "credit.nav.consent", Handler: (*Server).residentConsent})
	AddPage(Page{Method: "POST", Path: "/resident/consent", Roles: res, Handler: (*Server).residentConsentPost})
}

type consentPurpose struct {
	Purpose credit.Purpose
	Label   string
	Granted bool
	Since   string
}

type consentEntry struct {
	When, Purpose, By, Reason string
	Granted, Paper            bool
}

type consentData struct {
	Key       string
	Minor     bool
	Adult     int
	Purposes  []consentPurpose
	History   []consentEntry
	Resident  string // for the worker's page
	Name      string
	Action    string
	Reason    string
	ForWorker bool
}

// consentData gathers the consent in force per use and the history.
func (s *Server) consentData(ctx context.Context, communityID, residentID string) (consentData, error) {
	lang := LangFrom(ctx)
	d := consentData{Key: newFormKey(), Adult: credit.AdultAge, Resident: residentID}
	age, err := s.Registry.AgeOf(ctx, communityID, residentID, s.Clock.Now())
	if err != nil {
		return d, err
	}
	d.Minor = age < credit.AdultAge
	cs, err := s.Credit.Consents(ctx, communityID, residentID)
	if err != nil {
		return d, err
	}
	for _, p := range credit.Purposes {
		c := cs[p]
		cp := consentPurpose{Purpose: p, Label: i18n.T(lang, "credit.purpose."+string(p)), Granted: c.Granted}
		if !c.At.IsZero() {
			cp.Since = c.At.In(civic.Shanghai).Format("2006-01-02 15:04")
		}
		d.Purposes = append(d.Purposes, cp)
	}
	hist, err := s.Credit.ConsentHistory(ctx, communityID, residentID, 50)
	if err != nil {
		return d, err
	}
	for _, h := range hist {
		by := h.ActorName
		if h.ActorRole != string(civic.RoleResident) {
			by = i18n.T(lang, "role."+h.ActorRole) + " " + h.ActorName
		}
		d.History = append(d.History, consentEntry{When: h.At.In(civic.Shanghai).Format("2006-01-02 15:04"),
			Purpose: i18n.T(lang, "credit.purpose_short."+string(h.Purpose)), By: by, Reason: h.Reason, Granted: h.Granted, Paper: h.Paper})
	}
	return d, nil
}

func (s *Server) residentConsent(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	d, err := s.consentData(r.Context(), a.CommunityID, a.ResidentID)
	if err != nil {
		return err
	}
	d.Action = "/resident/consent"
	v := View{Data: d}
	if r.URL.Query().Get("done") == "1" {
		v.Flash = s.T(r, "credit.consent.saved")
	}
	return s.RenderStatus(w, r, http.StatusOK, "resident_consent", v)
}

func (s *Server) residentConsentPost(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a, _ := ActorFrom(ctx)
	key, err := commandKey(r)
	if err == nil {
		_, err = s.Credit.SetConsent(ctx, a, key, credit.ConsentRequest{Community: a.CommunityID, Resident: a.ResidentID,
			Purpose: credit.Purpose(r.PostFormValue("purpose")), Grant: r.PostFormValue("grant") == "1"})
	}
	if err != nil {
		d, derr := s.consentData(ctx, a.CommunityID, a.ResidentID)
		if derr != nil {
			return derr
		}
		d.Action = "/resident/consent"
		return s.reshow(w, r, err, "resident_consent", d)
	}
	http.Redirect(w, r, "/resident/consent?done=1", http.StatusSeeOther)
	return nil
}
