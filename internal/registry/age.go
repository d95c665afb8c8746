package registry

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"civicpoints/internal/civic"
)

// AgeOf is a resident's age in whole years on the Shanghai day of at, from
// the registry's birth date: what credit asks before an adult's consent
// (minors cannot grant it). It reveals no field, so it is not audited.
func (s *Service) AgeOf(ctx context.Context, communityID, residentID string, at time.Time) (age int, err error) {
	defer civic.Wrap(&err, "registry.AgeOf(%s)", residentID)
	var birth string
	err = s.DB.QueryRow(ctx, "SELECT birth_date FROM residents WHERE community_id = $1 AND id = $2", communityID, residentID).Scan(&birth)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, notFound("resident", residentID)
	}
	if err != nil {
		return 0, err
	}
	b, err := time.Parse(dateLayout, birth)
	if err != nil {
		return 0, err
	}
	return ageOn(b, Today(at)), nil
}
