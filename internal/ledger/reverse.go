package ledger

import (
	"context"
	"errors"
	"strings"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
)

// ReverseRequest asks for a transfer to be undone, with a reason the
// resident sees: from the worker's page, the API or a job.
type ReverseRequest struct {
	Community string `json:"community"`
	Transfer  string `json:"transfer"`
	Reason    string `json:"reason"`
}

// normal trims what a form or a JSON body may pad, so a page and the API
// sending one reversal under one key send one request.
func (r ReverseRequest) normal() ReverseRequest {
	r.Transfer, r.Reason = strings.TrimSpace(r.Transfer), strings.TrimSpace(r.Reason)
	return r
}

func (r ReverseRequest) validate() error {
	if r.Transfer == "" {
		return civic.Errorf(civic.Invalid, "ledger.transfer_required", "say which transfer to reverse")
	}
	if r.Reason == "" {
		return civic.Errorf(civic.Invalid, "ledger.reason_required", "a reason is required; the resident sees it")
	}
	if s, long := civic.TooLong(r.Reason, civic.MaxReason); long {
		return civic.Errorf(civic.Invalid, "ledger.reason_long", "a reason may have at most %d characters, not %d", civic.MaxReason, civic.Runes(s))
	}
	return nil
}

// ReverseTransfer is the one way a person or the platform reverses a
// transfer: a worker of the community (or civic.System) undoes it with its
// mirror image and the Undo wired for its source (a redemption's goods go
// back on the shelf, an award's caps are freed). It runs once per key; it
// shards on the station and batches, since undoing a redemption restores
// stock, which only the station's writer touches.
func (s *Service) ReverseTransfer(ctx context.Context, by civic.Actor, key idem.Key, r ReverseRequest) (res Result, err error) {
	defer civic.Wrap(&err, "ledger.ReverseTransfer(%s)", r.Transfer)
	if err := by.May(r.Community, civic.RoleWorker); err != nil {
		return res, err
	}
	r = r.normal()
	if err := r.validate(); err != nil {
		return res, err
	}
	if s.Idem == nil {
		return res, errors.New("ledger: Service.Idem is not wired (ledger.New in app.New)")
	}
	return idem.Run(ctx, s.Idem, idem.Op{Community: r.Community, Key: key, Command: "ledger.reverse",
		Shard: idem.Station(r.Community), Request: r, Batch: true},
		func(tx *db.Tx) (Result, error) {
			res, _, err := s.Reverse(ctx, tx, r.Community, r.Transfer, r.Reason, by, string(key))
			return res, err
		})
}
