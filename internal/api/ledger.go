package api

// The first routes: residents, awards, redemptions, reversals, accounts,
// histories and the ledger check (DESIGN.md §7).

import (
	"context"
	"net/http"
	"strings"
	"unicode/utf8"

	"civicpoints/internal/civic"
	"civicpoints/internal/earning"
	"civicpoints/internal/i18n"
	"civicpoints/internal/idem"
	"civicpoints/internal/ledger"
	"civicpoints/internal/registry"
	"civicpoints/internal/station"
)

// residentItem is a resident as every reader of the community may see them.
type residentItem struct {
	ID         string `json:"id"`
	NameMasked string `json:"name_masked" jsonschema:"example=张*华"`
	Estate     string `json:"estate" jsonschema:"example=春江花园"`
}

func (s *Server) listResidents(w http.ResponseWriter, r *http.Request) error {
	limit, cursor, err := pageArgs(r, 500)
	if err != nil {
		return err
	}
	items, next, err := s.Residents.ListResidents(r.Context(), community(r), cursor, limit)
	if err != nil {
		return err
	}
	return writeList(w, mapList(items, func(it registry.ResidentSummary) residentItem {
		return residentItem{it.ID, it.NameMasked, it.Estate}
	}), next)
}

type awardRequest struct {
	ResidentID string `json:"resident_id"`
	Points     int64  `json:"points" jsonschema:"minimum=1"`
	Indicator  string `json:"indicator" jsonschema_description:"the indicator's code, such as volunteer_hours or suggestion_adopted"`
	Reason     string `json:"reason" jsonschema_description:"shown to the resident in their history"`
}

func (s *Server) award(w http.ResponseWriter, r *http.Request) error {
	req, err := readJSON[awardRequest](r)
	if err != nil {
		return err
	}
	if err := required("resident_id", req.ResidentID, "indicator", req.Indicator, "reason", req.Reason); err != nil {
		return err
	}
	return runCommand(w, r, func(ctx context.Context, by civic.Actor, key idem.Key) (ledger.Result, error) {
		return s.Awards.Award(ctx, by, key, earning.AwardRequest{Community: community(r),
			Resident: req.ResidentID, Indicator: req.Indicator, Points: req.Points, Reason: req.Reason})
	}, func(res ledger.Result) any { return res })
}

// commandKey is the Idempotency-Key a command runs under, judged by the one
// rule the pages judge their forms' keys by (idem.Judge), in words that name
// the header.
func commandKey(r *http.Request) (idem.Key, error) {
	key := r.Header.Get("Idempotency-Key")
	switch idem.Judge(key) {
	case idem.KeyOK:
		return idem.Key(key), nil
	case idem.KeyMissing:
		return "", civic.Errorf(civic.Invalid, "ledger.key_missing", "an Idempotency-Key header is required on requests that move points or stock")
	case idem.KeyTooLong:
		return "", civic.Errorf(civic.Invalid, "ledger.key_long", "the Idempotency-Key is longer than %d characters", idem.MaxKeyLen)
	}
	return "", civic.Errorf(civic.Invalid, "ledger.key_chars", "the Idempotency-Key must be printable ASCII characters, not blank and without a space at either end")
}

type redemptionRequest struct {
	ResidentID string         `json:"resident_id"`
	Items      []station.Item `json:"items" jsonschema:"minItems=1"`
}

func (s *Server) redeem(w http.ResponseWriter, r *http.Request) error {
	req, err := readJSON[redemptionRequest](r)
	if err != nil {
		return err
	}
	if err := required("resident_id", req.ResidentID); err != nil {
		return err
	}
	return runCommand(w, r, func(ctx context.Context, by civic.Actor, key idem.Key) (station.Receipt, error) {
		return s.Station.Redeem(ctx, by, key, station.RedeemRequest{Community: community(r),
			Resident: req.ResidentID, Items: req.Items, Channel: station.ChannelAPI})
	}, func(rc station.Receipt) any { return ledger.Result{TransferID: rc.TransferID, Balance: rc.Balance} })
}

type reversalRequest struct {
	TransferID string `json:"transfer_id"`
	Reason     string `json:"reason"`
}

func (s *Server) reverse(w http.ResponseWriter, r *http.Request) error {
	req, err := readJSON[reversalRequest](r)
	if err != nil {
		return err
	}
	if err := required("transfer_id", req.TransferID, "reason", req.Reason); err != nil {
		return err
	}
	return runCommand(w, r, func(ctx context.Context, by civic.Actor, key idem.Key) (ledger.Result, error) {
		return s.Ledger.ReverseTransfer(ctx, by, key, ledger.ReverseRequest{Community: community(r), Transfer: req.TransferID, Reason: req.Reason})
	}, func(res ledger.Result) any { return reversalAnswer{res.TransferID} })
}

func (s *Server) account(w http.ResponseWriter, r *http.Request) error {
	st, err := s.Credit.Standing(r.Context(), community(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	lang := string(i18n.Parse(r.Header.Get("Accept-Language"), s.Lang))
	ans := accountAnswer{Balance: st.Balance, EarnedTotal: st.Earned, CreditPoints: st.CreditPoints, Level: st.Level.Code, LevelName: st.Level.Name(lang)}
	if st.Next != nil { // null at the top of the ladder
		ans.NextLevel = &nextLevel{Code: st.Next.Code, Name: st.Next.Name(lang), CreditPointsNeeded: st.CreditPointsToNext}
	}
	writeJSON(w, http.StatusOK, ans)
	return nil
}

func (s *Server) check(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.Check(r.Context(), community(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}

// required checks name/value pairs and names the first missing field.
func required(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		v := strings.TrimSpace(pairs[i+1])
		if v == "" {
			return civic.Errorf(civic.Invalid, "api.required", "%s is required", pairs[i])
		}
		if utf8.RuneCountInString(v) > 500 {
			return civic.Errorf(civic.Invalid, "api.too_long", "%s is longer than %d characters", pairs[i], 500)
		}
	}
	return nil
}

// accountAnswer is a resident's standing.
type accountAnswer struct {
	Balance      int64  `json:"balance"`
	EarnedTotal  int64  `json:"earned_total"`
	CreditPoints int64  `json:"credit_points"`
	Level        string `json:"level"`
	LevelName    string `json:"level_name"`
	// NextLevel is the next rung of the ladder, null at the top.
	NextLevel *nextLevel `json:"next_level"`
}

type nextLevel struct {
	Code               string `json:"code"`
	Name               string `json:"name"`
	CreditPointsNeeded int64  `json:"credit_points_needed"`
}

type reversalAnswer struct {
	TransferID string `json:"transfer_id"`
}

func ledgerRoutes() []route {
	c := "/api/v1/communities/{c}"
	return []route{
		{"GET", c + "/residents", readers, "registry:read", (*Server).listResidents, doc{tag: "registry",
			summary: "List residents (masked names)", desc: "Active residents by id, masked as every reader may see them.",
			list: 500, answer: page[residentItem]{}}},
		{"POST", c + "/awards", workers, "awards:write", (*Server).award, doc{tag: "ledger",
			summary: "Award points to one resident", desc: "Checks the indicator's rule, its caps and the resident; the same key and body answers the first award again.",
			body: awardRequest{}, answer: ledger.Result{}, status: 201,
			example: awardRequest{ResidentID: "0191f3a2c4d5e6f708192a3b4c", Points: 30, Indicator: "suggestion_adopted", Reason: "金点子：滨江健身步道无障碍通道"}}},
		{"POST", c + "/redemptions", staff, "redemptions:write", (*Server).redeem, doc{tag: "ledger",
			summary: "Redeem goods at the counter", desc: "Debits the resident's points and the station's stock in one step.",
			body: redemptionRequest{}, answer: ledger.Result{}, status: 201,
			example: redemptionRequest{ResidentID: "0191f3a2c4d5e6f708192a3b4c", Items: []station.Item{{GoodID: "0191f3a2c4d5e6f708192a3b4d", Quantity: 1}}}}},
		{"POST", c + "/reversals", workers, "reversals:write", (*Server).reverse, doc{tag: "ledger",
			summary: "Reverse a transfer", desc: "Once per transfer; a redemption's reversal restores the stock.",
			body: reversalRequest{}, answer: reversalAnswer{}, status: 201,
			example: reversalRequest{TransferID: "0191f3a2c4d5e6f708192a3b4e", Reason: "returned unopened"}}},
		{"GET", c + "/residents/{id}/account", readers, "ledger:read", (*Server).account, doc{tag: "ledger",
			summary: "A resident's balance, earned total and credit level", answer: accountAnswer{}}},
		{"GET", c + "/residents/{id}/history", workers, "ledger:read", (*Server).history, doc{tag: "ledger",
			summary: "A resident's history, newest first", desc: "Reasons the system composed are in the language of Accept-Language.",
			list: historyMax, answer: page[historyItem]{}}},
		{"GET", c + "/ledger/check", []civic.Role{civic.RoleWorker, civic.RoleDistrict, civic.RoleAdmin}, "ledger:read", (*Server).check, doc{tag: "ledger",
			summary: "Recompute the community's points and stock", answer: ledger.Report{}}},
	}
}
