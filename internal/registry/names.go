package registry

import (
	"context"
	"strconv"
	"strings"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// namesPerQuery bounds one IN list, well under either engine's limit on
// parameters, so a list of any length costs a query per few hundred names
// rather than one per name.
const namesPerQuery = 500

// MaskedNames maps each of ids to the resident's masked name (张*明), the
// only form of a name that lists of many residents show: a roster, a queue,
// a bulk award's results, the station's receipts. Ids the community does not
// know are left out, so the caller shows the id instead. A masked name is not
// sensitive (it is printed on receipts and read out at the counter), so it
// needs no viewer and is not audited.
func (s *Service) MaskedNames(ctx context.Context, communityID string, ids []string) (names map[string]string, err error) {
	defer civic.Wrap(&err, "registry.MaskedNames(%s, %d residents)", communityID, len(ids))
	names = make(map[string]string, len(ids))
	for len(ids) > 0 {
		n := min(len(ids), namesPerQuery)
		args := make([]any, 0, n+1)
		args = append(args, communityID)
		marks := make([]string, 0, n)
		for _, id := range ids[:n] {
			args = append(args, id)
			marks = append(marks, "$"+strconv.Itoa(len(args)))
		}
		rows, err := s.DB.Query(ctx, "SELECT id, name FROM residents WHERE community_id = $1 AND id IN ("+strings.Join(marks, ", ")+")", args...)
		list, err := db.Collect(rows, err, scanIDName)
		if err != nil {
			return nil, err
		}
		for _, r := range list {
			names[r[0]] = MaskName(r[1])
		}
		ids = ids[n:]
	}
	return names, nil
}

func scanIDName(row db.Scanner) (r [2]string, err error) {
	err = row.Scan(&r[0], &r[1])
	return r, err
}
