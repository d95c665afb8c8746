package earning

import (
	"context"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

type categorySum struct {
	code   string
	points int64
}

func scanCategorySum(row db.Scanner) (c categorySum, err error) {
	err = row.Scan(&c.code, &c.points)
	return c, err
}

// CategoryPoints is what a resident earned in one category over a period.
type CategoryPoints struct {
	Category Category
	Points   int64
}

// MonthSummary is what a resident earned in the Shanghai month of at, by
// category (net of reversals), in catalogue order; categories with nothing
// earned are left out.
func (s *Service) MonthSummary(ctx context.Context, communityID, residentID string, at time.Time) (out []CategoryPoints, err error) {
	defer civic.Wrap(&err, "earning.MonthSummary(%s)", residentID)
	_, from, to, _, _ := periods(at)
	rows, err := s.DB.Query(ctx, `SELECT category, SUM(points) FROM earning_awards WHERE community_id = $1 AND resident_id = $2
		AND day >= $3 AND day < $4 AND reversed = 0 GROUP BY category`, communityID, residentID, from, to)
	earned, err := db.Collect(rows, err, scanCategorySum)
	if err != nil {
		return nil, err
	}
	sums := make(map[string]int64, len(earned))
	for _, e := range earned {
		sums[e.code] = e.points
	}
	cats, err := s.Categories(ctx, communityID)
	if err != nil {
		return nil, err
	}
	for _, c := range cats {
		if p := sums[c.Code]; p != 0 {
			out = append(out, CategoryPoints{Category: c, Points: p})
		}
	}
	return out, nil
}
