package credit

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"strings"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/registry"

	qrcode "github.com/yeqown/go-qrcode/v2"
)

// Card is a printed code.
type Card struct {
	ID, ResidentID, Payload string
	Revoked                 bool
}

// IssueCard prints a new static card for a resident, revoking any earlier
// card in the same transaction. Only workers of the community may.
func (c *Codes) IssueCard(ctx context.Context, actor civic.Actor, communityID, residentID string) (card Card, err error) {
	defer civic.Wrap(&err, "credit.IssueCard(%s)", residentID)
	if !registry.SeesSensitive(actor, communityID) {
		return card, civic.Errorf(civic.Forbidden, "registry.workers_only", "only workers of this community may do this")
	}
	if err := c.Reg.ResidentActive(ctx, communityID, residentID); err != nil {
		return card, err
	}
	k, err := c.key(ctx, communityID)
	if err != nil {
		return card, err
	}
	card = Card{ID: civic.NewID(), ResidentID: residentID}
	body := "CPC1." + communityID + "." + card.ID
	card.Payload = body + "." + enc.EncodeToString(ed25519.Sign(k, []byte(body)))
	now := db.Millis(c.Clock.Now())
	err = c.DB.WithTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE credit_code_cards SET revoked_at = $3, revoked_by = $4, reason = 'reissued'
			WHERE community_id = $1 AND resident_id = $2 AND revoked_at IS NULL`, communityID, residentID, now, actor.UserID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "INSERT INTO credit_code_cards (community_id, id, resident_id, issued_at, issued_by) VALUES ($1, $2, $3, $4, $5)",
			communityID, card.ID, residentID, now, actor.UserID)
		return err
	})
	return card, err
}

// RevokeCards revokes every card of a resident (lost or stolen), with a reason.
func (c *Codes) RevokeCards(ctx context.Context, actor civic.Actor, communityID, residentID, reason string) (err error) {
	defer civic.Wrap(&err, "credit.RevokeCards(%s)", residentID)
	if !registry.SeesSensitive(actor, communityID) {
		return civic.Errorf(civic.Forbidden, "registry.workers_only", "only workers of this community may do this")
	}
	if strings.TrimSpace(reason) == "" {
		return civic.Errorf(civic.Invalid, "registry.reason_required", "give a reason (up to 500 characters)")
	}
	return c.DB.WithTx(ctx, func(tx *db.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE credit_code_cards SET revoked_at = $3, revoked_by = $4, reason = $5
			WHERE community_id = $1 AND resident_id = $2 AND revoked_at IS NULL`,
			communityID, residentID, db.Millis(c.Clock.Now()), actor.UserID, reason)
		return err
	})
}

// QRSVG renders a payload as an SVG QR code, scalable for phone and print.
func QRSVG(payload string) (_ string, err error) {
	defer civic.Wrap(&err, "credit.QRSVG")
	q, err := qrcode.NewWith(payload, qrcode.WithErrorCorrectionLevel(qrcode.ErrorCorrectionMedium))
	if err != nil {
		return "", err
	}
	w := &svgWriter{}
	if err := q.Save(w); err != nil {
		return "", err
	}
	return w.b.String(), nil
}

// svgWriter draws the matrix the encoder produced, one path, 4-module quiet zone.
type svgWriter struct{ b strings.Builder }

func (w *svgWriter) Write(m qrcode.Matrix) error {
	size := m.Width() + 8
	fmt.Fprintf(&w.b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges" role="img"><rect width="100%%" height="100%%" fill="#fff"/><path fill="#000" d="`, size, size)
	m.Iterate(qrcode.IterDirection_ROW, func(x, y int, v qrcode.QRValue) {
		if v.IsSet() {
			fmt.Fprintf(&w.b, "M%d %dh1v1h-1z", x+4, y+4)
		}
	})
	w.b.WriteString(`"/></svg>`)
	return nil
}

func (w *svgWriter) Close() error { return nil }
