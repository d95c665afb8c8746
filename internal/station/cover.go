package station

import (
	"context"
	"fmt"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/ledger"
)

// Cover compares what the station owes residents (their outstanding points)
// with what backs it: the points value of the goods on the shelf and the
// unspent donated funds.
type Cover struct {
	Outstanding  int64 // points residents hold (ledger.Check)
	StockPoints  int64 // Σ stock × points price
	FundsFen     int64
	FundsPoints  int64 // funds at the community's rate
	Backing      int64 // StockPoints + FundsPoints
	Percent      int64 // Backing / Outstanding, in whole percent (100 when nothing is outstanding)
	ThresholdPct int64
	Warn         bool // Percent below ThresholdPct
	FenPerPoint  int64
}

// GetCover computes the station's liability cover.
func GetCover(ctx context.Context, d *db.DB, communityID string) (c Cover, err error) {
	defer civic.Wrap(&err, "station.GetCover(%s)", communityID)
	rep, err := ledger.Check(ctx, d, communityID)
	if err != nil {
		return c, err
	}
	s, err := GetSettings(ctx, d, communityID)
	if err != nil {
		return c, err
	}
	// Shelf value is multiplied and added here, held at the int64 limit: in
	// SQL, stock × points overflows (an error on PostgreSQL, a REAL no int64
	// scan takes on SQLite) for a stock or price from before the bounds, and
	// the report would fail until someone repaired the row by hand.
	rows, err := d.Query(ctx, "SELECT stock, points FROM station_goods WHERE community_id = $1 AND active = 1", communityID)
	values, err := db.Collect(rows, err, func(s db.Scanner) (int64, error) {
		var stock, points int64
		err := s.Scan(&stock, &points)
		return civic.SatMul(stock, points), err
	})
	if err != nil {
		return c, err
	}
	for _, v := range values {
		c.StockPoints = civic.SatAdd(c.StockPoints, v)
	}
	c.Outstanding, c.FundsFen, c.FundsPoints = rep.Outstanding, s.FundsFen, s.FundsPoints()
	c.Backing, c.ThresholdPct, c.FenPerPoint = civic.SatAdd(c.StockPoints, c.FundsPoints), s.CoverThresholdPct, s.FenPerPoint
	c.Percent = 100
	if c.Outstanding > 0 {
		c.Percent = civic.SatMul(c.Backing, 100) / c.Outstanding
	}
	c.Warn = c.Percent < c.ThresholdPct
	return c, nil
}

// Yuan formats fen as yuan with two decimals.
func Yuan(fen int64) string {
	sign := ""
	if fen < 0 {
		sign, fen = "-", -fen
	}
	return fmt.Sprintf("%s%d.%02d", sign, fen/100, fen%100)
}

// ParseYuan reads "12", "12.5" or "12.50" yuan as fen; anything else, a
// negative amount or more than two decimals is refused.
func ParseYuan(s string) (_ int64, err error) {
	defer civic.Wrap(&err, "station.ParseYuan(%q)", s)
	bad := civic.Errorf(civic.Invalid, "station.bad_yuan", "%q is not an amount in yuan (such as 200 or 199.50)", s)
	var whole, frac int64
	var digits, fracDigits int
	seenDot := false
	for _, r := range s {
		switch {
		case r == '.' && !seenDot:
			seenDot = true
		case r >= '0' && r <= '9' && !seenDot:
			whole, digits = whole*10+int64(r-'0'), digits+1
		case r >= '0' && r <= '9' && fracDigits < 2:
			frac, fracDigits = frac*10+int64(r-'0'), fracDigits+1
		default:
			return 0, bad
		}
		if whole > 1e12 {
			return 0, bad
		}
	}
	if digits == 0 && fracDigits == 0 {
		return 0, bad
	}
	if fracDigits == 1 {
		frac *= 10
	}
	return whole*100 + frac, nil
}
