package registry

import (
	"context"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// importHouseholds finds or creates the household of every row, as
// ensureHousehold would, but writes the new ones in batches: the registry's
// households are already in ex, so no row needs a lookup of its own. The
// first row of a new address sets its tenure and disability flag.
func (s *Service) importHouseholds(ctx context.Context, tx *db.Tx, cnt counts, ex *existing, c string, ok []prepared, res *ImportResult, ms int64) ([]Household, error) {
	homes := make([]Household, len(ok))
	var b *batch
	for i := range ok {
		pr := &ok[i]
		if h, found := ex.households[pr.householdK]; found {
			homes[i] = h
			continue
		}
		eid, found := ex.estates[pr.estate]
		if !found {
			e, err := s.ensureEstate(ctx, tx, c, pr.estate, "")
			if err != nil {
				return nil, err
			}
			eid = e.ID
			ex.estates[pr.estate] = eid
			res.Estates++
		}
		if b == nil {
			var err error
			if b, err = newBatch(ctx, tx, "households", "community_id, id, estate_id, building, unit, room, tenure, disability, created_at"); err != nil {
				return nil, err
			}
			defer b.close()
		}
		h := pr.house
		h.ID, h.EstateID, h.EstateName = civic.NewID(), eid, pr.estate
		if h.Tenure == "" {
			h.Tenure = TenureOwner
		}
		if err := b.add(ctx, c, h.ID, h.EstateID, h.Building, h.Unit, h.Room, string(h.Tenure), boolInt(h.Disability), ms); err != nil {
			return nil, err
		}
		ex.households[pr.householdK] = h
		homes[i] = h
		res.Households++
		cnt.households(h.EstateID, 1)
	}
	if b == nil {
		return homes, nil
	}
	return homes, b.finish(ctx)
}
