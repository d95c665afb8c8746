package garden

import (
	"context"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
)

// ConsentRequest is the guardian's choice for a plate: whether the child's
// nickname and photo may appear on it and on the plot's public page.
// Consent can be withdrawn at any time, and takes effect at once; it is
// given again only for a nickname or photo the adoption still holds.
type ConsentRequest struct {
	Operator string `json:"operator"`
	Adoption string `json:"adoption"`
	Nickname bool   `json:"nickname"`
	Photo    bool   `json:"photo"`
}

// SetConsent records the guardian's choice. Only the family may.
func (s *Service) SetConsent(ctx context.Context, by civic.Actor, key idem.Key, r ConsentRequest) (a Adoption, err error) {
	defer civic.Wrap(&err, "garden.SetConsent(%s)", r.Adoption)
	if by.Role != civic.RoleGardenAdopter {
		return a, civic.Errorf(civic.Forbidden, "civic.role_refused", "a %s may not do this", string(by.Role))
	}
	return idem.Run(ctx, s.Idem, op(r.Operator, key, "garden.set_consent", r), func(tx *db.Tx) (Adoption, error) {
		a, err := getAdoption(ctx, tx, r.Operator, r.Adoption)
		if err != nil {
			return a, err
		}
		if a.Adopter != by.UserID {
			return a, notFound("adoption", r.Adoption)
		}
		a.NicknameConsent = r.Nickname && a.ChildNickname != ""
		a.PhotoConsent = r.Photo && a.PhotoID != ""
		_, err = tx.Exec(ctx, `UPDATE garden_adoptions SET nickname_consent = $3, photo_consent = $4 WHERE operator_id = $1 AND id = $2`,
			a.Operator, a.ID, boolInt(a.NicknameConsent), boolInt(a.PhotoConsent))
		return a, err
	})
}
