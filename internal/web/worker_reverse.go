package web

import (
	"net/http"
	"strings"

	"civicpoints/internal/civic"
	"civicpoints/internal/idem"
	"civicpoints/internal/ledger"
)

// Reversing an award: the worker looks the transfer up, gives a reason the
// resident sees, and the points go back; the caps the award used are freed.
// The form carries a hidden idempotency key, so a resent form returns the
// first reversal instead of an error or a second one; the reversal itself is
// ledger.Service.ReverseTransfer, the API's too.
func init() {
	wk := []civic.Role{civic.RoleWorker}
	AddPage(Page{Method: "GET", Path: "/worker/reverse", Roles: wk, Handler: (*Server).workerReverse})
	AddPage(Page{Method: "POST", Path: "/worker/reverse", Roles: wk, Handler: (*Server).workerReversePost})
}

type reverseData struct {
	Key, TransferID, Reason string
	Found                   bool
	T                       ledger.Transfer
	When, Resident          string
	Points                  int64
	Done                    *ledger.Result
}

func (s *Server) reverseData(r *http.Request, a civic.Actor, d *reverseData) error {
	if d.Key == "" {
		d.Key = newFormKey()
	}
	d.TransferID = strings.TrimSpace(d.TransferID)
	if d.TransferID == "" {
		return nil
	}
	t, err := ledger.GetTransfer(r.Context(), s.DB, a.CommunityID, d.TransferID)
	if err != nil {
		return err
	}
	d.Found, d.T, d.When = true, t, shanghai(t.CreatedAt)
	for _, p := range t.Postings {
		if p.AccountID != ledger.Issuance && p.Amount > 0 {
			d.Resident, d.Points = s.residentLabel(r, a.CommunityID, p.AccountID), p.Amount
		}
	}
	return nil
}

func (s *Server) workerReverse(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	d := reverseData{TransferID: r.URL.Query().Get("transfer")}
	if err := s.reverseData(r, a, &d); err != nil {
		if civic.ErrorCode(err) == civic.NotFound {
			return s.reshow(w, r, err, "worker_reverse", reverseData{Key: newFormKey(), TransferID: d.TransferID})
		}
		return err
	}
	return s.Render(w, r, "worker_reverse", d)
}

func (s *Server) workerReversePost(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a, _ := ActorFrom(ctx)
	if err := parseForm(r, 0); err != nil {
		return err
	}
	d := reverseData{TransferID: strings.TrimSpace(r.PostFormValue("transfer")), Reason: strings.TrimSpace(r.PostFormValue("reason"))}
	// Without its key the form is refused and shown again with a fresh one.
	key, err := formKey(r)
	if err == nil {
		d.Key = key
	}
	if derr := s.reverseData(r, a, &d); err == nil {
		err = derr
	}
	var res ledger.Result
	if err == nil {
		res, err = s.Ledger.ReverseTransfer(ctx, a, idem.Key(key), ledger.ReverseRequest{Community: a.CommunityID, Transfer: d.TransferID, Reason: d.Reason})
	}
	if err != nil {
		return s.reshow(w, r, err, "worker_reverse", d)
	}
	d.Done = &res
	return s.RenderStatus(w, r, http.StatusOK, "worker_reverse", View{Flash: s.T(r, "earning_pages.reverse.done"), Data: d})
}
