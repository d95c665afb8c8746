package credit

import (
	"context"

	"civicpoints/internal/civic"
)

// ResidentFromCode is the check a scanner runs (the station counter, a
// worker checking residents in at an activity): the resident a code names,
// or why it does not verify (expired, revoked, another community's, forged).
func (c *Codes) ResidentFromCode(ctx context.Context, communityID, code string) (residentID string, err error) {
	defer civic.Wrap(&err, "credit.ResidentFromCode")
	v, err := c.Verify(ctx, communityID, code)
	return v.ResidentID, err
}
