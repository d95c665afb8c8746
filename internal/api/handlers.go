package api

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"civicpoints/internal/civic"
	"civicpoints/internal/earning"
	"civicpoints/internal/i18n"
	"civicpoints/internal/idem"
	"civicpoints/internal/ledger"
	"civicpoints/internal/station"
)

func (s *Server) listResidents(w http.ResponseWriter, r *http.Request) error {
	limit := 50
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			return civic.Errorf(civic.Invalid, "api.bad_limit", "limit must be a whole number from 1 to 500, not %q", v)
		}
		limit = n
	}
	items, next, err := s.Residents.ListResidents(r.Context(), r.PathValue("community_id"), r.URL.Query().Get("cursor"), limit)
	if err != nil {
		return err
	}
	type item struct {
		ID         string `json:"id"`
		NameMasked string `json:"name_masked"`
		Estate     string `json:"estate"`
	}
	out := make([]item, 0, len(items))
	for _, it := range items {
		out = append(out, item{it.ID, it.NameMasked, it.Estate})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out, "next_cursor": next})
	return nil
}

func (s *Server) listGoods(w http.ResponseWriter, r *http.Request) error {
	goods, err := station.ListGoods(r.Context(), s.DB, r.PathValue("community_id"))
	if err != nil {
		return err
	}
	type item struct {
		ID       string `json:"id"`
		Name     string `json:"name"`
		Unit     string `json:"unit,omitempty"`
		Category string `json:"category,omitempty"`
		Points   int64  `json:"points"`
		Stock    int64  `json:"stock"`
	}
	out := make([]item, 0, len(goods))
	for _, g := range goods {
		out = append(out, item{g.ID, g.Name, g.Unit, g.Category, g.Points, g.Stock})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
	return nil
}

type awardRequest struct {
	ResidentID string `json:"resident_id"`
	Points     int64  `json:"points"`
	Indicator  string `json:"indicator"`
	Reason     string `json:"reason"`
}

func (s *Server) award(w http.ResponseWriter, r *http.Request) error {
	var req awardRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if err := required("resident_id", req.ResidentID, "indicator", req.Indicator, "reason", req.Reason); err != nil {
		return err
	}
	key, err := commandKey(r)
	if err != nil {
		return err
	}
	ctx, replayed := idem.WithReplayFlag(r.Context())
	res, err := s.Awards.Award(ctx, actorOf(r), key, earning.AwardRequest{Community: r.PathValue("community_id"),
		Resident: req.ResidentID, Indicator: req.Indicator, Points: req.Points, Reason: req.Reason})
	if err != nil {
		return err
	}
	if *replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	writeJSON(w, http.StatusCreated, res)
	return nil
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
	Items      []station.Item `json:"items"`
}

func (s *Server) redeem(w http.ResponseWriter, r *http.Request) error {
	var req redemptionRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if err := required("resident_id", req.ResidentID); err != nil {
		return err
	}
	key, err := idem.ParseKey(r.Header.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	ctx, replayed := idem.WithReplayFlag(r.Context())
	rc, err := s.Station.Redeem(ctx, actorOf(r), key, station.RedeemRequest{Community: r.PathValue("community_id"),
		Resident: req.ResidentID, Items: req.Items, Channel: station.ChannelAPI})
	if err != nil {
		return err
	}
	if *replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	writeJSON(w, http.StatusCreated, ledger.Result{TransferID: rc.TransferID, Balance: rc.Balance})
	return nil
}

type reversalRequest struct {
	TransferID string `json:"transfer_id"`
	Reason     string `json:"reason"`
}

func (s *Server) reverse(w http.ResponseWriter, r *http.Request) error {
	var req reversalRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if err := required("transfer_id", req.TransferID, "reason", req.Reason); err != nil {
		return err
	}
	key, err := idem.ParseKey(r.Header.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	ctx, replayed := idem.WithReplayFlag(r.Context())
	res, err := s.Ledger.ReverseTransfer(ctx, actorOf(r), key,
		ledger.ReverseRequest{Community: r.PathValue("community_id"), Transfer: req.TransferID, Reason: req.Reason})
	if err != nil {
		return err
	}
	if *replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	writeJSON(w, http.StatusCreated, map[string]string{"transfer_id": res.TransferID})
	return nil
}

func (s *Server) account(w http.ResponseWriter, r *http.Request) error {
	st, err := s.Credit.Standing(r.Context(), r.PathValue("community_id"), r.PathValue("id"))
	if err != nil {
		return err
	}
	lang := string(i18n.Parse(r.Header.Get("Accept-Language"), s.Lang))
	var next any // null at the top of the ladder
	if st.Next != nil {
		next = map[string]any{"code": st.Next.Code, "name": st.Next.Name(lang), "credit_points_needed": st.CreditPointsToNext}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"balance": st.Balance, "earned_total": st.Earned, "credit_points": st.CreditPoints, "level": st.Level.Code,
		"level_name": st.Level.Name(lang), "next_level": next,
	})
	return nil
}

func (s *Server) check(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.Check(r.Context(), r.PathValue("community_id"))
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
