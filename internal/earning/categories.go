package earning

import (
	"context"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// SaveCategory creates a category or renames one (and moves it in the
// order). The code is the category's lasting name: indicators refer to it,
// so it never changes; only the names and position do.
func (s *Service) SaveCategory(ctx context.Context, actor civic.Actor, communityID string, c Category) (out Category, err error) {
	defer civic.Wrap(&err, "earning.SaveCategory(%s)", c.Code)
	if err := requireWorker(actor, communityID); err != nil {
		return out, err
	}
	if c, err = validateCategory(c); err != nil {
		return out, err
	}
	err = s.DB.WithTx(ctx, func(tx *db.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO earning_categories (community_id, code, name_zh, name_en, position) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (community_id, code) DO UPDATE SET name_zh = $3, name_en = $4, position = $5`,
			communityID, c.Code, c.NameZH, c.NameEN, c.Position)
		return err
	})
	return c, err
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
