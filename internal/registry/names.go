package registry

import (
	"context"
	"fmt"
	"strings"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// MaxNames is the most residents one MaskedNames call looks up.
const MaxNames = 500

// MaskedNames returns the masked names (毛*波) of residents of a community,
// by id, in one query; an id not registered there is left out. A masked name
// is not sensitive (it is printed on receipts and read out at the station
// counter), so it needs no viewer and is not audited.
func (s *Service) MaskedNames(ctx context.Context, communityID string, ids []string) (out map[string]string, err error) {
	defer civic.Wrap(&err, "registry.MaskedNames(%s)", communityID)
	if len(ids) > MaxNames {
		return nil, fmt.Errorf("registry: %d names asked for at once, at most %d", len(ids), MaxNames)
	}
	out = make(map[string]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	args, marks := []any{communityID}, make([]string, len(ids))
	for i, id := range ids {
		args, marks[i] = append(args, id), fmt.Sprintf("$%d", i+2)
	}
	rows, err := s.DB.Query(ctx, "SELECT id, name FROM residents WHERE community_id = $1 AND id IN ("+strings.Join(marks, ", ")+")", args...)
	pairs, err := db.Collect(rows, err, func(r db.Scanner) (p [2]string, err error) {
		err = r.Scan(&p[0], &p[1])
		return p, err
	})
	for _, p := range pairs {
		out[p[0]] = MaskName(p[1])
	}
	return out, err
}
