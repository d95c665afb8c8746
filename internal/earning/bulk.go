package earning

import (
	"context"
	"strconv"
	"strings"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
	"civicpoints/internal/ledger"
)

// MaxBulk is the most residents one bulk award may name.
const MaxBulk = 2000

// BulkAwardRequest is one award given to many residents: a pasted list, or
// the attendees of Activity (everyone who checked in) when Residents is empty.
type BulkAwardRequest struct {
	Community string   `json:"community"`
	Residents []string `json:"residents"`
	Activity  string   `json:"activity,omitempty"` // the source of the award, when it is for an activity
	Indicator string   `json:"indicator"`
	Points    int64    `json:"points"`
	Reason    string   `json:"reason"`
}

// BulkItem is the outcome for one resident: a transfer, or why not.
type BulkItem struct {
	ResidentID string       `json:"resident_id"`
	TransferID string       `json:"transfer_id,omitempty"`
	Balance    int64        `json:"balance,omitempty"`
	Error      *civic.Error `json:"error,omitempty"`
}

// BulkResult lists one item per resident, in the order given.
type BulkResult struct {
	Awarded int        `json:"awarded"`
	Failed  int        `json:"failed"`
	Items   []BulkItem `json:"items"`
}

// ParseResidentList splits a pasted list (lines, commas, spaces) into ids.
func ParseResidentList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == '，' || r == ';' || r == '；' || r == ' ' || r == '\n' || r == '\r' || r == '\t'
	})
}

// BulkAward gives each resident the same award in one request under one
// key. Each resident succeeds or fails alone (a savepoint each) and gets an
// item in the result; the same request again returns the same result
// without awarding again. Only a worker of the community may.
func (s *Service) BulkAward(ctx context.Context, by civic.Actor, key idem.Key, r BulkAwardRequest) (out BulkResult, err error) {
	defer civic.Wrap(&err, "earning.BulkAward(%d residents)", len(r.Residents))
	if err := requireWorker(by, r.Community); err != nil {
		return out, err
	}
	if _, err := text(r.Reason, 200, "earning.reason_required", "a reason is required; the resident sees it"); err != nil {
		return out, err
	}
	if err := checkAmount(r.Points); err != nil {
		return out, err
	}
	if len(r.Residents) > 0 || r.Activity == "" {
		if _, err := bulkList(r.Residents); err != nil {
			return out, err
		}
	}
	// One bulk award moves many residents' points, so no resident's shard
	// is its own: every bulk award of a community runs on the community's
	// writer, one after another, so two lists naming the same residents in
	// another order never hold each other's accounts.
	out, err = idem.Run(ctx, s.Idem, idem.Op{Community: r.Community, Key: key, Command: "earning.bulk_award",
		Shard: idem.Community(r.Community), Request: r, Batch: true},
		func(tx *db.Tx) (BulkResult, error) { return s.bulkAwardTx(ctx, tx, by, key, r) })
	for i := range out.Items {
		if e := out.Items[i].Error; e != nil {
			e.Args = wholeNumbers(e.Args)
		}
	}
	return out, err
}

func (s *Service) bulkAwardTx(ctx context.Context, tx *db.Tx, by civic.Actor, key idem.Key, r BulkAwardRequest) (BulkResult, error) {
	ids, src := r.Residents, ledger.Source{}
	if r.Activity != "" {
		src = ledger.Source{Kind: "activity", ID: r.Activity}
		if _, err := getActivity(ctx, tx, r.Community, r.Activity); err != nil {
			return BulkResult{}, err
		}
		if len(ids) == 0 {
			var err error
			if ids, err = attendees(ctx, tx, r.Community, r.Activity); err != nil {
				return BulkResult{}, err
			}
		}
	}
	ids, err := bulkList(ids)
	if err != nil {
		return BulkResult{}, err
	}
	at := s.now()
	res := BulkResult{Items: make([]BulkItem, 0, len(ids))}
	for i, id := range ids {
		item := BulkItem{ResidentID: id}
		err := tx.Savepoint(ctx, func() error {
			g, err := s.awardTx(ctx, tx, by, r.Community, grant{ResidentID: id, Indicator: r.Indicator, Points: r.Points,
				Reason: r.Reason, Source: src, At: at, IdemKey: string(key) + "#" + strconv.Itoa(i)})
			item.TransferID, item.Balance = g.TransferID, g.Balance
			return err
		})
		if err != nil {
			e := civic.AsError(err)
			if e == nil {
				return BulkResult{}, err // the database failed: fail the whole request
			}
			item.TransferID, item.Balance, item.Error = "", 0, e
			res.Failed++
		} else {
			res.Awarded++
		}
		res.Items = append(res.Items, item)
	}
	return res, nil
}

// bulkList is the list without blanks and repeats, refused when empty or
// longer than MaxBulk.
func bulkList(list []string) ([]string, error) {
	ids := dedupe(list)
	if len(ids) == 0 {
		return nil, civic.Errorf(civic.Invalid, "earning.bulk_empty", "list at least one resident")
	}
	if len(ids) > MaxBulk {
		return nil, civic.Errorf(civic.Invalid, "earning.bulk_large", "a bulk award may name at most %d residents, not %d", MaxBulk, len(ids))
	}
	return ids, nil
}

// wholeNumbers turns the float64s JSON gives back into int64s so %d verbs
// still format after a replay.
func wholeNumbers(args []any) []any {
	for i, a := range args {
		if f, ok := a.(float64); ok && f == float64(int64(f)) {
			args[i] = int64(f)
		}
	}
	return args
}

func dedupe(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		id = strings.TrimSpace(id)
		if id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
