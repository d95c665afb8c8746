package api

import (
	"net/http"
	"time"

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
	limit, cursor, err := pageArgs(r, historyMax)
	if err != nil {
		return err
	}
	cid, rid := community(r), r.PathValue("id")
	if _, err := ledger.GetAccount(r.Context(), s.DB, cid, rid); err != nil {
		return err
	}
	hist, next, err := ledger.History(r.Context(), s.DB, cid, rid, cursor, limit)
	if err != nil {
		return err
	}
	lang := s.lang(r)
	out := make([]historyItem, 0, len(hist))
	for _, h := range hist {
		out = append(out, historyItem{TransferID: h.TransferID, Kind: string(h.Kind), Points: h.Points,
			Reason: i18n.Say(lang, h.ReasonMsg, h.Reason), Source: historySource{h.Source.Kind, h.Source.ID},
			Indicator: h.Indicator, At: h.At.UTC(), Reversed: h.Reversed, Reversal: h.Reversal})
	}
	return writeList(w, out, next)
}
