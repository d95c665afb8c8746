package api

import (
	"net/http"
	"strconv"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/i18n"
	"civicpoints/internal/ledger"
)

// historyMax is the longest page ledger.History serves.
const historyMax = 200

type historyItem struct {
	TransferID string        `json:"transfer_id"`
	Kind       string        `json:"kind"`
	Points     int64         `json:"points"`
	Reason     string        `json:"reason"`
	Source     historySource `json:"source"`
	Indicator  string        `json:"indicator"`
	At         time.Time     `json:"at"`
	Reversed   bool          `json:"reversed"`
	Reversal   string        `json:"reversal_reason,omitempty"`
}

type historySource struct {
	Kind string `json:"kind"`
	ID   string `json:"id"`
}

// history lists a resident's entries, newest first; a reason earning
// composed is given in the language of Accept-Language, a typed one as typed.
func (s *Server) history(w http.ResponseWriter, r *http.Request) error {
	limit := 50
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > historyMax {
			return civic.Errorf(civic.Invalid, "api.bad_page_limit", "limit must be a whole number from 1 to %d, not %q", historyMax, v)
		}
		limit = n
	}
	cid, rid := r.PathValue("community_id"), r.PathValue("id")
	if _, err := ledger.GetAccount(r.Context(), s.DB, cid, rid); err != nil {
		return err
	}
	hist, next, err := ledger.History(r.Context(), s.DB, cid, rid, r.URL.Query().Get("cursor"), limit)
	if err != nil {
		return err
	}
	lang := i18n.Parse(r.Header.Get("Accept-Language"), s.Lang)
	out := make([]historyItem, 0, len(hist))
	for _, h := range hist {
		out = append(out, historyItem{TransferID: h.TransferID, Kind: string(h.Kind), Points: h.Points,
			Reason: i18n.Say(lang, h.ReasonMsg, h.Reason), Source: historySource{h.Source.Kind, h.Source.ID},
			Indicator: h.Indicator, At: h.At.UTC(), Reversed: h.Reversed, Reversal: h.Reversal})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out, "next_cursor": next})
	return nil
}
