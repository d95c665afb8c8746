package earning

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/ledger"
)

// MaxBulk is the most residents one bulk award may name.
const MaxBulk = 2000

// Bulk is one award given to many residents: an activity's attendees or a
// pasted list.
type Bulk struct {
	ResidentIDs []string
	Indicator   string
	Points      int64
	Reason      string
	Source      ledger.Source
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

// Award gives one resident points under one idempotency key: a replay
// returns the first answer, a different request with the key is refused.
func (s *Service) Award(ctx context.Context, actor civic.Actor, communityID string, r AwardRequest) (res ledger.Result, err error) {
	defer civic.Wrap(&err, "earning.Award(%s)", r.ResidentID)
	if err := requireWorker(actor, communityID); err != nil {
		return res, err
	}
	if err := ledger.CheckKey(r.IdemKey); err != nil {
		return res, err
	}
	hash := ledger.HashRequest([]byte("award"), []byte(r.ResidentID), []byte(r.Indicator),
		[]byte(strconv.FormatInt(r.Points, 10)), []byte(r.Reason), []byte(r.Source.Kind), []byte(r.Source.ID))
	st, _, err := ledger.Idempotent(ctx, s.Batcher, s.DB, r.ResidentID, communityID, r.IdemKey, hash,
		func(tx *db.Tx) (ledger.Stored, error) {
			res, err := s.AwardTx(ctx, tx, actor, communityID, r)
			if err != nil {
				return ledger.Stored{}, err
			}
			body, err := json.Marshal(res)
			return ledger.Stored{Status: 201, Body: body}, err
		})
	if err != nil {
		return res, err
	}
	err = json.Unmarshal(st.Body, &res)
	return res, err
}

// AwardBulk gives each listed resident the same award in one request under
// one idempotency key. Each resident succeeds or fails alone (a savepoint
// each) and gets an item in the result; replaying the key returns the same
// result without awarding again.
func (s *Service) AwardBulk(ctx context.Context, actor civic.Actor, communityID string, b Bulk, idemKey string) (out BulkResult, replayed bool, err error) {
	defer civic.Wrap(&err, "earning.AwardBulk(%d residents)", len(b.ResidentIDs))
	if err := requireWorker(actor, communityID); err != nil {
		return out, false, err
	}
	if err := ledger.CheckKey(idemKey); err != nil {
		return out, false, err
	}
	if _, err := text(b.Reason, 200, "earning.reason_required", "a reason is required; the resident sees it"); err != nil {
		return out, false, err
	}
	if err := checkAmount(b.Points); err != nil {
		return out, false, err
	}
	ids := dedupe(b.ResidentIDs)
	if len(ids) == 0 {
		return out, false, civic.Errorf(civic.Invalid, "earning.bulk_empty", "list at least one resident")
	}
	if len(ids) > MaxBulk {
		return out, false, civic.Errorf(civic.Invalid, "earning.bulk_large", "a bulk award may name at most %d residents, not %d", MaxBulk, len(ids))
	}
	parts := [][]byte{[]byte("bulk"), []byte(b.Indicator), []byte(strconv.FormatInt(b.Points, 10)), []byte(b.Reason),
		[]byte(b.Source.Kind), []byte(b.Source.ID)}
	for _, id := range ids {
		parts = append(parts, []byte(id))
	}
	at := s.now()
	st, replayed, err := ledger.Idempotent(ctx, s.Batcher, s.DB, communityID+"/bulk", communityID, idemKey, ledger.HashRequest(parts...),
		func(tx *db.Tx) (ledger.Stored, error) {
			res := BulkResult{Items: make([]BulkItem, 0, len(ids))}
			for i, id := range ids {
				item := BulkItem{ResidentID: id}
				err := tx.Savepoint(ctx, func() error {
					r, err := s.AwardTx(ctx, tx, actor, communityID, AwardRequest{
						ResidentID: id, Indicator: b.Indicator, Points: b.Points, Reason: b.Reason, Source: b.Source, At: at,
						IdemKey: idemKey + "#" + strconv.Itoa(i)})
					item.TransferID, item.Balance = r.TransferID, r.Balance
					return err
				})
				if err != nil {
					e := civic.AsError(err)
					if e == nil {
						return ledger.Stored{}, err // the database failed: fail the whole request
					}
					item.TransferID, item.Balance, item.Error = "", 0, e
					res.Failed++
				} else {
					res.Awarded++
				}
				res.Items = append(res.Items, item)
			}
			body, err := json.Marshal(res)
			return ledger.Stored{Status: 200, Body: body}, err
		})
	if err != nil {
		return out, false, err
	}
	if err := json.Unmarshal(st.Body, &out); err != nil {
		return out, replayed, err
	}
	for i := range out.Items {
		if e := out.Items[i].Error; e != nil {
			e.Args = wholeNumbers(e.Args)
		}
	}
	return out, replayed, nil
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
