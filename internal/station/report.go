package station

import (
	"context"
	"sort"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// MonthRow is one Shanghai calendar month of station activity.
type MonthRow struct {
	Month           string // 2025-03
	Orders          int64  // orders placed that stand (not returned or released)
	PointsRedeemed  int64
	Undone          int64 // orders returned or released
	UnitsOut        int64 // units handed over or held for pickup, net of returns
	UnitsWrittenOff int64
	DonatedPoints   int64 // goods and funds, in points of backing
	DonatedFen      int64
	PurchasedFen    int64
}

// GoodRow is one good's movements over the period.
type GoodRow struct {
	GoodID     string
	Name       string
	Unit       string
	Points     int64
	In         int64 // donated, bought or opening stock
	Out        int64 // redeemed, net of returns and releases
	WrittenOff int64
	Counted    int64 // stock-take adjustments, net
	Stock      int64 // now
}

// DonorRow is one donor's gifts over the period.
type DonorRow struct {
	DonorID   string
	Name      string
	Kind      DonorKind
	Donations int64
	Points    int64
	FundsFen  int64
}

// Report is the station report for [From, To).
type Report struct {
	From, To time.Time
	Months   []MonthRow
	Goods    []GoodRow
	Donors   []DonorRow
}

// MonthRange is the year of Shanghai months ending with the month of now:
// the default report period.
func MonthRange(now time.Time, months int) (from, to time.Time) {
	n := now.In(civic.Shanghai)
	to = time.Date(n.Year(), n.Month()+1, 1, 0, 0, 0, 0, civic.Shanghai)
	return to.AddDate(0, -months, 0), to
}

func monthOf(ms int64) string { return db.FromMillis(ms).In(civic.Shanghai).Format("2006-01") }

// BuildReport gathers the station report for a period by month, by good and
// by donor. Its sums are held at the int64 limit (civic.SatAdd), so rows from
// before the bounds cannot wrap a figure round to nonsense.
func BuildReport(ctx context.Context, d *db.DB, communityID string, from, to time.Time) (r Report, err error) {
	defer civic.Wrap(&err, "station.BuildReport(%s)", communityID)
	r.From, r.To = from, to
	lo, hi := db.Millis(from), db.Millis(to)
	months := map[string]*MonthRow{}
	for m := from.In(civic.Shanghai); m.Before(to); m = m.AddDate(0, 1, 0) {
		key := m.Format("2006-01")
		months[key] = &MonthRow{Month: key}
	}
	month := func(ms int64) *MonthRow {
		k := monthOf(ms)
		if months[k] == nil {
			months[k] = &MonthRow{Month: k}
		}
		return months[k]
	}
	all, err := AllGoods(ctx, d, communityID)
	if err != nil {
		return r, err
	}
	goods := map[string]*GoodRow{}
	for _, g := range all {
		goods[g.ID] = &GoodRow{GoodID: g.ID, Name: g.Name, Unit: g.Unit, Points: g.Points, Stock: g.Stock}
	}
	err = scan(ctx, d, `SELECT good_id, kind, delta, created_at FROM station_stock_moves WHERE community_id = $1 AND created_at >= $2 AND created_at < $3`,
		[]any{communityID, lo, hi}, func(s func(...any) error) error {
			var id, kind string
			var delta, at int64
			if err := s(&id, &kind, &delta, &at); err != nil {
				return err
			}
			g, m := goods[id], month(at)
			if g == nil {
				return nil
			}
			switch MoveKind(kind) {
			case MoveInitial, MoveDonation, MovePurchase:
				g.In = civic.SatAdd(g.In, delta)
			case MoveRedemption, MoveReturn, MoveRelease:
				g.Out = civic.SatAdd(g.Out, -delta)
				m.UnitsOut = civic.SatAdd(m.UnitsOut, -delta)
			case MoveWriteOff:
				g.WrittenOff = civic.SatAdd(g.WrittenOff, -delta)
				m.UnitsWrittenOff = civic.SatAdd(m.UnitsWrittenOff, -delta)
			case MoveStockTake:
				g.Counted = civic.SatAdd(g.Counted, delta)
			}
			return nil
		})
	if err != nil {
		return r, err
	}
	err = scan(ctx, d, `SELECT status, points, created_at FROM station_orders WHERE community_id = $1 AND created_at >= $2 AND created_at < $3`,
		[]any{communityID, lo, hi}, func(s func(...any) error) error {
			var status string
			var points, at int64
			if err := s(&status, &points, &at); err != nil {
				return err
			}
			m := month(at)
			if status == StatusReturned || status == StatusReleased {
				m.Undone++
				return nil
			}
			m.Orders++
			m.PointsRedeemed = civic.SatAdd(m.PointsRedeemed, points)
			return nil
		})
	if err != nil {
		return r, err
	}
	donors := map[string]*DonorRow{}
	err = scan(ctx, d, `SELECT n.donor_id, d.name, d.kind, n.points, n.amount_fen, n.created_at FROM station_donations n
		JOIN station_donors d ON d.community_id = n.community_id AND d.id = n.donor_id
		WHERE n.community_id = $1 AND n.created_at >= $2 AND n.created_at < $3`,
		[]any{communityID, lo, hi}, func(s func(...any) error) error {
			var row DonorRow
			var kind string
			var at int64
			if err := s(&row.DonorID, &row.Name, &kind, &row.Points, &row.FundsFen, &at); err != nil {
				return err
			}
			dr := donors[row.DonorID]
			if dr == nil {
				dr = &DonorRow{DonorID: row.DonorID, Name: row.Name, Kind: DonorKind(kind)}
				donors[row.DonorID] = dr
			}
			dr.Donations++
			dr.Points = civic.SatAdd(dr.Points, row.Points)
			dr.FundsFen = civic.SatAdd(dr.FundsFen, row.FundsFen)
			m := month(at)
			m.DonatedPoints = civic.SatAdd(m.DonatedPoints, row.Points)
			m.DonatedFen = civic.SatAdd(m.DonatedFen, row.FundsFen)
			return nil
		})
	if err != nil {
		return r, err
	}
	err = scan(ctx, d, `SELECT amount_fen, created_at FROM station_purchases WHERE community_id = $1 AND created_at >= $2 AND created_at < $3`,
		[]any{communityID, lo, hi}, func(s func(...any) error) error {
			var fen, at int64
			if err := s(&fen, &at); err != nil {
				return err
			}
			m := month(at)
			m.PurchasedFen = civic.SatAdd(m.PurchasedFen, fen)
			return nil
		})
	if err != nil {
		return r, err
	}
	for _, m := range months {
		r.Months = append(r.Months, *m)
	}
	sort.Slice(r.Months, func(i, j int) bool { return r.Months[i].Month < r.Months[j].Month })
	for _, g := range goods {
		r.Goods = append(r.Goods, *g)
	}
	sort.Slice(r.Goods, func(i, j int) bool {
		if r.Goods[i].Out != r.Goods[j].Out {
			return r.Goods[i].Out > r.Goods[j].Out
		}
		return r.Goods[i].Name < r.Goods[j].Name
	})
	for _, dn := range donors {
		r.Donors = append(r.Donors, *dn)
	}
	sort.Slice(r.Donors, func(i, j int) bool { return r.Donors[i].Points > r.Donors[j].Points })
	return r, nil
}

// scan runs a query and hands each row to fn, which adds it up (the rows
// themselves are not kept).
func scan(ctx context.Context, d *db.DB, query string, args []any, fn func(scan func(...any) error) error) error {
	rows, err := d.Query(ctx, query, args...)
	_, err = db.Collect(rows, err, func(s db.Scanner) (struct{}, error) { return struct{}{}, fn(s.Scan) })
	return err
}
