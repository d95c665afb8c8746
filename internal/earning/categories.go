package earning

import (
	"context"
	"database/sql"
	"errors"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
)

// CategoryRequest adds a category (New) or renames one and moves it in the order.
type CategoryRequest struct {
	Community string   `json:"community"`
	New       bool     `json:"new"` // adding: refused when the code is taken by another category; else the code must exist
	Category  Category `json:"category"`
}

// SaveCategory creates a category or renames one (and moves it in the
// order). The code is the category's lasting name: indicators refer to it,
// so it never changes; only the names and position do. Adding the very same
// category again changes nothing and is answered as saved. Only a worker of
// the community may.
func (s *Service) SaveCategory(ctx context.Context, by civic.Actor, key idem.Key, r CategoryRequest) (out Category, err error) {
	defer civic.Wrap(&err, "earning.SaveCategory(%s)", r.Category.Code)
	if err := requireWorker(by, r.Community); err != nil {
		return out, err
	}
	c, err := validateCategory(r.Category)
	if err != nil {
		return out, err
	}
	return idem.Run(ctx, s.Idem, idem.Op{Community: r.Community, Key: key, Command: "earning.save_category",
		Shard: idem.Community(r.Community), Request: r},
		func(tx *db.Tx) (Category, error) {
			cur, err := scanCategory(tx.QueryRow(ctx, "SELECT code, name_zh, name_en, position FROM earning_categories WHERE community_id = $1 AND code = $2",
				r.Community, c.Code))
			switch {
			case errors.Is(err, sql.ErrNoRows) && !r.New:
				return out, civic.Errorf(civic.NotFound, "earning.no_category", "no category %q in this community", c.Code)
			case errors.Is(err, sql.ErrNoRows):
			case err != nil:
				return out, err
			case r.New && cur != c:
				return out, civic.Errorf(civic.Conflict, "earning.category_exists", "there is already a category %q", c.Code)
			}
			_, err = tx.Exec(ctx, `INSERT INTO earning_categories (community_id, code, name_zh, name_en, position) VALUES ($1, $2, $3, $4, $5)
				ON CONFLICT (community_id, code) DO UPDATE SET name_zh = $3, name_en = $4, position = $5`,
				r.Community, c.Code, c.NameZH, c.NameEN, c.Position)
			return c, err
		})
}

// Category reads one category of the community.
func (s *Service) Category(ctx context.Context, communityID, code string) (c Category, err error) {
	defer civic.Wrap(&err, "earning.Category(%s)", code)
	cats, err := s.Categories(ctx, communityID)
	if err != nil {
		return c, err
	}
	for _, c := range cats {
		if c.Code == code {
			return c, nil
		}
	}
	return c, civic.Errorf(civic.NotFound, "earning.no_category", "no category %q in this community", code)
}

func validateCategory(c Category) (Category, error) {
	if !codeRE.MatchString(c.Code) {
		return c, civic.Errorf(civic.Invalid, "earning.bad_category_code", "category code %q must be 2–40 lower-case letters, digits or _", c.Code)
	}
	var err error
	if c.NameZH, err = text(c.NameZH, 30, "earning.name_required", "a name is required in both languages"); err != nil {
		return c, err
	}
	if c.NameEN, err = text(c.NameEN, 60, "earning.name_required", "a name is required in both languages"); err != nil {
		return c, err
	}
	if c.Position < 0 || c.Position > 1000 {
		return c, civic.Errorf(civic.Invalid, "earning.bad_position", "the position must be between 0 and 1000, not %d", c.Position)
	}
	return c, nil
}
