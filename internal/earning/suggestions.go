package earning

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/ledger"
)

// Suggestion is a resident's idea (金点子) and how workers judged it.
type Suggestion struct {
	ID         string
	ResidentID string
	Title      string
	Body       string
	PhotoID    string
	Status     string // submitted, adopted, implemented, not_adopted
	Reason     string
	Points     int64
	TransferID string
	Bonus      int64
	ReviewedBy string
	CreatedAt  time.Time
}

// MaxPhoto is the largest photo a suggestion may carry.
const MaxPhoto = 4 << 20

const suggestionCols = `id, resident_id, title, body, photo_id, status, reason, points, transfer_id, bonus_points, reviewed_by, created_at`

func scanSuggestion(row interface{ Scan(...any) error }) (g Suggestion, err error) {
	var created int64
	err = row.Scan(&g.ID, &g.ResidentID, &g.Title, &g.Body, &g.PhotoID, &g.Status, &g.Reason, &g.Points, &g.TransferID,
		&g.Bonus, &g.ReviewedBy, &created)
	g.CreatedAt = db.FromMillis(created)
	return g, err
}

// Submit records a suggestion with an optional photo (JPEG, PNG or WebP).
func (s *Service) Submit(ctx context.Context, actor civic.Actor, communityID, residentID, title, body string, photo []byte) (g Suggestion, err error) {
	err = s.DB.WithTx(ctx, func(tx *db.Tx) error {
		g, err = s.SubmitTx(ctx, tx, actor, communityID, residentID, title, body, photo)
		return err
	})
	return g, err
}

// SubmitTx is Submit inside tx, for callers that make it idempotent.
func (s *Service) SubmitTx(ctx context.Context, tx *db.Tx, actor civic.Actor, communityID, residentID, title, body string, photo []byte) (g Suggestion, err error) {
	defer civic.Wrap(&err, "earning.Submit(%s)", residentID)
	if err := requireSelf(actor, communityID, residentID); err != nil {
		return g, err
	}
	if title, err = text(title, 60, "earning.title_required", "a title is required"); err != nil {
		return g, err
	}
	if body, err = text(body, 2000, "earning.body_required", "say what you suggest"); err != nil {
		return g, err
	}
	ctype := ""
	if len(photo) > 0 {
		if len(photo) > MaxPhoto {
			return g, civic.Errorf(civic.Invalid, "earning.photo_large", "the photo is larger than %d MB", MaxPhoto>>20)
		}
		if ctype = photoType(photo); ctype == "" {
			return g, civic.Errorf(civic.Invalid, "earning.photo_type", "the photo must be a JPEG, PNG or WebP image")
		}
	}
	if err := s.Residents.ResidentActive(ctx, communityID, residentID); err != nil {
		return g, err
	}
	now := s.now()
	g = Suggestion{ID: civic.NewID(), ResidentID: residentID, Title: title, Body: body, Status: "submitted", CreatedAt: now}
	err = func() error {
		if ctype != "" {
			g.PhotoID = civic.NewID()
			if _, err := tx.Exec(ctx, "INSERT INTO earning_photos (community_id, id, content_type, data, created_at) VALUES ($1, $2, $3, $4, $5)",
				communityID, g.PhotoID, ctype, photo, db.Millis(now)); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, `INSERT INTO earning_suggestions (community_id, id, resident_id, title, body, photo_id, status, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, 'submitted', $7)`, communityID, g.ID, residentID, title, body, g.PhotoID, db.Millis(now))
		return err
	}()
	return g, err
}

// Photo returns a suggestion photo and its content type.
func (s *Service) Photo(ctx context.Context, communityID, id string) (data []byte, ctype string, err error) {
	err = s.DB.QueryRow(ctx, "SELECT data, content_type FROM earning_photos WHERE community_id = $1 AND id = $2", communityID, id).Scan(&data, &ctype)
	if errors.Is(err, sql.ErrNoRows) {
		err = civic.Errorf(civic.NotFound, "earning.no_photo", "no such photo")
	}
	return data, ctype, err
}

// Suggestion reads one suggestion.
func (s *Service) Suggestion(ctx context.Context, communityID, id string) (Suggestion, error) {
	return getSuggestion(ctx, s.DB, communityID, id)
}

func getSuggestion(ctx context.Context, q db.Querier, communityID, id string) (g Suggestion, err error) {
	g, err = scanSuggestion(q.QueryRow(ctx, "SELECT "+suggestionCols+" FROM earning_suggestions WHERE community_id = $1 AND id = $2", communityID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return g, civic.Errorf(civic.NotFound, "earning.no_suggestion", "no suggestion %s in this community", id)
	}
	return g, err
}

// Suggestions lists suggestions with a status ("" for all), newest first.
func (s *Service) Suggestions(ctx context.Context, communityID, status string, limit int) ([]Suggestion, error) {
	return s.suggestions(ctx, "WHERE community_id = $1 AND ($2 = '' OR status = $2) ORDER BY created_at DESC, id DESC LIMIT $3", communityID, status, clampLimit(limit))
}

// SuggestionsOf lists a resident's suggestions, newest first.
func (s *Service) SuggestionsOf(ctx context.Context, communityID, residentID string) ([]Suggestion, error) {
	return s.suggestions(ctx, "WHERE community_id = $1 AND resident_id = $2 ORDER BY created_at DESC LIMIT 100", communityID, residentID)
}

func (s *Service) suggestions(ctx context.Context, where string, args ...any) (out []Suggestion, err error) {
	defer civic.Wrap(&err, "earning.suggestions")
	rows, err := s.DB.Query(ctx, "SELECT "+suggestionCols+" FROM earning_suggestions "+where, args...)
	return db.Collect(rows, err, scanSuggestion)
}

// Review decides a suggestion. "adopted" awards points (within the
// suggestion_adopted range) with the worker's reason; "implemented" marks an
// adopted suggestion done and may add a bonus (suggestion_implemented; 0 for
// none); "not_adopted" needs a reason. The resident sees status and reasons.
func (s *Service) Review(ctx context.Context, actor civic.Actor, communityID, id, decision string, points int64, reason string) (g Suggestion, err error) {
	err = s.DB.WithTx(ctx, func(tx *db.Tx) error {
		g, err = s.ReviewTx(ctx, tx, actor, communityID, id, decision, points, reason)
		return err
	})
	return g, err
}

// ReviewTx is Review inside tx, for callers that make it idempotent.
func (s *Service) ReviewTx(ctx context.Context, tx *db.Tx, actor civic.Actor, communityID, id, decision string, points int64, reason string) (g Suggestion, err error) {
	defer civic.Wrap(&err, "earning.Review(%s, %s)", id, decision)
	if err := requireWorker(actor, communityID); err != nil {
		return g, err
	}
	if reason, err = text(reason, 200, "earning.reason_required", "a reason is required; the resident sees it"); err != nil {
		return g, err
	}
	// A bonus of 0 means none; a negative one is a mistake, not none.
	if points != 0 || decision == "adopted" {
		if err := checkAmount(points); err != nil {
			return g, err
		}
	}
	now := s.now()
	err = func() error {
		g, err = getSuggestion(ctx, tx, communityID, id)
		if err != nil {
			return err
		}
		src := ledger.Source{Kind: "suggestion", ID: id}
		switch {
		case decision == "adopted" && g.Status == "submitted":
			r, err := s.AwardTx(ctx, tx, actor, communityID, AwardRequest{ResidentID: g.ResidentID, Indicator: SuggestionAdopted,
				Points: points, Reason: reason, Source: src, At: now})
			if err != nil {
				return err
			}
			g.Points, g.TransferID = points, r.TransferID
		case decision == "implemented" && g.Status == "adopted":
			if points > 0 {
				r, err := s.AwardTx(ctx, tx, actor, communityID, AwardRequest{ResidentID: g.ResidentID, Indicator: SuggestionImplemented,
					Points: points, Reason: reason, Source: src, At: now})
				if err != nil {
					return err
				}
				g.Bonus = points
				if _, err := tx.Exec(ctx, "UPDATE earning_suggestions SET bonus_transfer_id = $3 WHERE community_id = $1 AND id = $2", communityID, id, r.TransferID); err != nil {
					return err
				}
			}
		case decision == "not_adopted" && g.Status == "submitted":
		case decision != "adopted" && decision != "implemented" && decision != "not_adopted":
			return civic.Errorf(civic.Invalid, "earning.bad_decision", "unknown decision %q", decision)
		default:
			return civic.Errorf(civic.Conflict, "earning.bad_transition", "a suggestion that is %s cannot become %s", g.Status, decision)
		}
		g.Status, g.Reason, g.ReviewedBy = decision, reason, actor.Name
		_, err = tx.Exec(ctx, `UPDATE earning_suggestions SET status = $3, reason = $4, points = $5, transfer_id = $6, bonus_points = $7,
			reviewed_by = $8, reviewed_at = $9 WHERE community_id = $1 AND id = $2`,
			communityID, id, g.Status, g.Reason, g.Points, g.TransferID, g.Bonus, g.ReviewedBy, db.Millis(now))
		return err
	}()
	return g, err
}

// photoType names a JPEG, PNG or WebP image by its signature, "" for anything
// else (sniffed here rather than with net/http, which capabilities do not import).
func photoType(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("\xff\xd8\xff")):
		return "image/jpeg"
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return "image/webp"
	}
	return ""
}
