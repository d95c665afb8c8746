package station

import (
	"math"

	"civicpoints/internal/civic"
)

// MaxFenPerPoint is the dearest backing rate a community may set: ¥1,000 a point.
const MaxFenPerPoint = 100_000

// MaxBasketLines is the most different goods one basket may hold (a station
// offers tens of goods; a basket of more is a mistake or an attack).
const MaxBasketLines = 100

// checkQuantity refuses a quantity below 1 or above what one move may carry.
func checkQuantity(q int64) error {
	if q <= 0 {
		return badQuantity(q)
	}
	if q > civic.MaxStock {
		return civic.Errorf(civic.Invalid, "station.quantity_too_many", "%d units is more than one move may carry (%d)", q, civic.MaxStock)
	}
	return nil
}

func checkAmount(fen int64) error {
	if fen <= 0 {
		return civic.Errorf(civic.Invalid, "station.bad_amount", "an amount must be above zero")
	}
	if fen > civic.MaxFen {
		return civic.Errorf(civic.Invalid, "station.amount_too_large", "¥%s is more than one amount may be (¥%s)", Yuan(fen), Yuan(civic.MaxFen))
	}
	return nil
}

// checkGood trims a good's texts and refuses a price, an opening stock or a
// text beyond the bounds (an empty name or a price of 0 is bad_good's).
func checkGood(g *Good) error {
	var long [3]bool
	g.Name, long[0] = civic.TooLong(g.Name, civic.MaxName)
	g.Unit, long[1] = civic.TooLong(g.Unit, civic.MaxLabel)
	g.Category, long[2] = civic.TooLong(g.Category, civic.MaxLabel)
	switch {
	case g.Name == "" || g.Points <= 0 || g.Stock < 0:
		return civic.Errorf(civic.Invalid, "station.bad_good", "a good needs a name, a price above zero and a stock of zero or more")
	case long[0]:
		return civic.Errorf(civic.Invalid, "station.good_name_long", "a good's name may have at most %d characters, not %d", civic.MaxName, civic.Runes(g.Name))
	case long[1]:
		return civic.Errorf(civic.Invalid, "station.unit_long", "a unit may have at most %d characters, not %d", civic.MaxLabel, civic.Runes(g.Unit))
	case long[2]:
		return civic.Errorf(civic.Invalid, "station.category_long", "a category may have at most %d characters, not %d", civic.MaxLabel, civic.Runes(g.Category))
	case g.Points > civic.MaxPrice:
		return civic.Errorf(civic.Invalid, "station.price_too_high", "%d points is more than a good may cost (%d)", g.Points, civic.MaxPrice)
	case g.Stock > civic.MaxStock:
		return stockTooMany(g.Stock)
	}
	return nil
}

func stockTooMany(n int64) error {
	return civic.Errorf(civic.Invalid, "station.stock_too_many", "a stock of %d is more than a station may keep of one good (%d)", n, civic.MaxStock)
}

// lineValue is q units of g in points. A price from before the bounds is
// refused rather than multiplied, so a total can never wrap around.
func lineValue(g Good, q int64) (int64, error) {
	if g.Points > civic.MaxPrice {
		return 0, civic.Errorf(civic.Invalid, "station.price_out_of_bounds", "%s costs %d points, more than a good may cost (%d): correct its price first",
			g.Name, g.Points, civic.MaxPrice)
	}
	if err := checkQuantity(q); err != nil {
		return 0, err
	}
	return g.Points * q, nil // at most MaxPrice × MaxStock
}

// noteOf trims a reason or a note and refuses one longer than civic.MaxReason.
func noteOf(s string) (string, error) {
	s, long := civic.TooLong(s, civic.MaxReason)
	if long {
		return s, civic.Errorf(civic.Invalid, "station.note_long", "a reason or note may have at most %d characters, not %d", civic.MaxReason, civic.Runes(s))
	}
	return s, nil
}

// stockRange is the stock a good must hold for a move of delta to land
// between 0 and civic.MaxStock. A stock already beyond the bound (from before
// it) may still come down, and no bound is computed by an overflowing sum.
func stockRange(delta int64) (lo, hi int64) {
	lo, hi = 0, math.MaxInt64
	if delta < 0 {
		lo = -delta
	}
	if delta > 0 {
		hi = civic.MaxStock - delta
	}
	return lo, hi
}
