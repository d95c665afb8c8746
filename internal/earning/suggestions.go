package earning

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
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

// SubmitRequest is a resident's suggestion, with an optional photo (JPEG,
// PNG or WebP); the photo is part of the request, so one key cannot carry
// two photos.
type SubmitRequest struct {
	Community string `json:"community"`
	Resident  string `json:"resident"`
	Title     string `json:"title"`
	Body      string `json:"body"`
	Photo     []byte `json:"photo,omitempty"`
}

// Submit records a suggestion. The resident submits for themself, or a
// worker of the community on their behalf (a suggestion told at the desk).
func (s *Service) Submit(ctx context.Context, by civic.Actor, key idem.Key, r SubmitRequest) (g Suggestion, err error) {
	defer civic.Wrap(&err, "earning.Submit(%s)", r.Resident)
	if err := requireSelf(by, r.Community, r.Resident); err != nil {
		return g, err
	}
	return idem.Run(ctx, s.Idem, idem.Op{Community: r.Community, Key: key, Command: "earning.submit",
		Shard: idem.Resident(r.Community, r.Resident), Request: r},
		func(tx *db.Tx) (Suggestion, error) {
			return s.submitTx(ctx, tx, r.Community, r.Resident, r.Title, r.Body, r.Photo)
		})
}

func (s *Service) submitTx(ctx context.Context, tx *db.Tx, communityID, residentID, title, body string, photo []byte) (g Suggestion, err error) {
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
	defer civic.Wrap(&err, "earning.Photo(%s)", id)
	err = s.DB.QueryRow(ctx, "SELECT data, content_type FROM earning_photos WHERE community_id = $1 AND id = $2", communityID, id).Scan(&data, &ctype)
	if errors.Is(err, sql.ErrNoRows) {
		err = civic.Errorf(civic.NotFound, "earning.no_photo", "no such photo")
	}
	return data, ctype, err
}

// Suggestion reads one suggestion.
func (s *Service) Suggestion(ctx context.Context, communityID, id string) (_ Suggestion, err error) {
	defer civic.Wrap(&err, "earning.Suggestion(%s)", id)
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
func (s *Service) Suggestions(ctx context.Context, communityID, status string, limit int) (_ []Suggestion, err error) {
	defer civic.Wrap(&err, "earning.Suggestions(%s)", communityID)
	return s.suggestions(ctx, "WHERE community_id = $1 AND ($2 = '' OR status = $2) ORDER BY created_at DESC, id DESC LIMIT $3", communityID, status, clampLimit(limit))
}

// SuggestionsOf lists a resident's suggestions, newest first.
func (s *Service) SuggestionsOf(ctx context.Context, communityID, residentID string) (_ []Suggestion, err error) {
	defer civic.Wrap(&err, "earning.SuggestionsOf(%s)", residentID)
	return s.suggestions(ctx, "WHERE community_id = $1 AND resident_id = $2 ORDER BY created_at DESC LIMIT 100", communityID, residentID)
}

func (s *Service) suggestions(ctx context.Context, where string, args ...any) (out []Suggestion, err error) {
	defer civic.Wrap(&err, "earning.suggestions")
	rows, err := s.DB.Query(ctx, "SELECT "+suggestionCols+" FROM earning_suggestions "+where, args...)
	return db.Collect(rows, err, scanSuggestion)
}

// ReviewRequest is a worker's decision on a suggestion: "adopted" with
// Points, "implemented" with an optional bonus (0 for none), or
// "not_adopted"; always with a Reason the resident sees.
type ReviewRequest struct {
	Community  string `json:"community"`
	Suggestion string `json:"suggestion"`
	Decision   string `json:"decision"`
	Points     int64  `json:"points"`
	Reason     string `json:"reason"`
}

// Review decides a suggestion. "adopted" awards points (within the
// suggestion_adopted range) with the worker's reason; "implemented" marks an
// adopted suggestion done and may add a bonus (suggestion_implemented; 0 for
// none); "not_adopted" needs a reason. The resident sees status and reasons.
// Only a worker of the community may. A review may move the author's
// points, so every review runs through the group committer on the author's
// writer.
func (s *Service) Review(ctx context.Context, by civic.Actor, key idem.Key, r ReviewRequest) (g Suggestion, err error) {
	defer civic.Wrap(&err, "earning.Review(%s, %s)", r.Suggestion, r.Decision)
	if err := requireWorker(by, r.Community); err != nil {
		return g, err
	}
	if _, err := text(r.Reason, 200, "earning.reason_required", "a reason is required; the resident sees it"); err != nil {
		return g, err
	}
	// A bonus of 0 means none; a negative one is a mistake, not none.
	if r.Points != 0 || r.Decision == "adopted" {
		if err := checkAmount(r.Points); err != nil {
			return g, err
		}
	}
	// The author never changes: reading them first names the writer.
	cur, err := getSuggestion(ctx, s.DB, r.Community, r.Suggestion)
	if err != nil {
		return g, err
	}
	return idem.Run(ctx, s.Idem, idem.Op{Community: r.Community, Key: key, Command: "earning.review",
		Shard: idem.Resident(r.Community, cur.ResidentID), Request: r, Batch: true},
		func(tx *db.Tx) (Suggestion, error) { return s.reviewTx(ctx, tx, by, r) })
}

func (s *Service) reviewTx(ctx context.Context, tx *db.Tx, actor civic.Actor, r ReviewRequest) (g Suggestion, err error) {
	communityID, id, decision, points, reason := r.Community, r.Suggestion, r.Decision, r.Points, strings.TrimSpace(r.Reason)
	now := s.now()
	err = func() error {
		g, err = getSuggestion(ctx, tx, communityID, id)
		if err != nil {
			return err
		}
		src := ledger.Source{Kind: "suggestion", ID: id}
		switch {
		case decision == "adopted" && g.Status == "submitted":
			t, err := s.awardTx(ctx, tx, actor, communityID, grant{ResidentID: g.ResidentID, Indicator: SuggestionAdopted,
				Points: points, Reason: reason, Source: src, At: now})
			if err != nil {
				return err
			}
			g.Points, g.TransferID = points, t.TransferID
		case decision == "implemented" && g.Status == "adopted":
			if points > 0 {
				t, err := s.awardTx(ctx, tx, actor, communityID, grant{ResidentID: g.ResidentID, Indicator: SuggestionImplemented,
					Points: points, Reason: reason, Source: src, At: now})
				if err != nil {
					return err
				}
				g.Bonus = points
				if _, err := tx.Exec(ctx, "UPDATE earning_suggestions SET bonus_transfer_id = $3 WHERE community_id = $1 AND id = $2", communityID, id, t.TransferID); err != nil {
					return err
				}
			}
		case decision == "not_adopted" && g.Status == "submitted":
		case decision != "adopted" && decision != "implemented" && decision != "not_adopted":
			return civic.Errorf(civic.Invalid, "earning.bad_decision", "unknown decision %q", decision)
		default:
			return civic.Errorf(civic.Conflict, "earning.bad_transition", "a suggestion that is %s cannot become %s", g.Status, decision)
		}
		from := g.Status
		g.Status, g.Reason, g.ReviewedBy = decision, reason, actor.Name
		// Guarded on the status read above, so a review that lost a race
		// rolls its award back rather than moving the suggestion twice.
		res, err := tx.Exec(ctx, `UPDATE earning_suggestions SET status = $3, reason = $4, points = $5, transfer_id = $6, bonus_points = $7,
			reviewed_by = $8, reviewed_at = $9 WHERE community_id = $1 AND id = $2 AND status = $10`,
			communityID, id, g.Status, g.Reason, g.Points, g.TransferID, g.Bonus, g.ReviewedBy, db.Millis(now), from)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err != nil {
				return err
			}
			return civic.Errorf(civic.Conflict, "earning.bad_transition", "a suggestion that is %s cannot become %s", from, decision)
		}
		return nil
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
