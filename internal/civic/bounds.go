package civic

import (
	"math"
	"math/bits"
	"strings"
	"unicode/utf8"
)

// Bounds on every figure a person or another system enters. They sit far
// above what a community really has (Chunjiang's station backs 10,000 points
// with some thirty goods) and far enough below the int64 range that products
// and sums of bounded figures cannot overflow: a full shelf of the dearest
// good is MaxStock × MaxPrice = 10¹¹ points, a thousand such goods 10¹⁴.
const (
	MaxPoints   = 100_000       // points in one transfer, award or rule figure (the ledger's limit)
	MaxStock    = 1_000_000     // units of one good on the shelf, or in one move, donation, purchase or basket line
	MaxPrice    = 100_000       // the points price of one good
	MaxFen      = 100_000_000   // one money amount, in fen: ¥1,000,000
	MaxFundsFen = 1_000_000_000 // donated funds one station may hold, in fen: ¥10,000,000
)

// Lengths of free text, in runes: a Chinese character counts one, as a
// person counts it, not three as UTF-8 stores it.
const (
	MaxName   = 60   // a good, a donor, an activity, a catalogue entry
	MaxLabel  = 20   // a unit or a category
	MaxReason = 200  // a reason or a note
	MaxText   = 2000 // a description or a suggestion
)

// Runes counts the characters of s as a person sees them.
func Runes(s string) int { return utf8.RuneCountInString(s) }

// TooLong trims s and reports whether it has more than max runes.
func TooLong(s string, max int) (string, bool) {
	s = strings.TrimSpace(s)
	return s, Runes(s) > max
}

// Mul returns a×b and whether it fits an int64.
func Mul(a, b int64) (int64, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	neg := (a < 0) != (b < 0)
	hi, lo := bits.Mul64(abs(a), abs(b))
	if hi != 0 || (!neg && lo > math.MaxInt64) || (neg && lo > 1<<63) {
		return 0, false
	}
	if neg {
		return int64(-lo), true // two's complement; lo == 1<<63 gives MinInt64
	}
	return int64(lo), true
}

// Add returns a+b and whether it fits an int64.
func Add(a, b int64) (int64, bool) {
	s := a + b
	if (b > 0 && s < a) || (b < 0 && s > a) {
		return 0, false
	}
	return s, true
}

// SatAdd is a+b held at the int64 limits instead of wrapping: for totals a
// page shows, where a figure pinned at its limit beats a failed page.
func SatAdd(a, b int64) int64 {
	if s, ok := Add(a, b); ok {
		return s
	}
	if b > 0 {
		return math.MaxInt64
	}
	return math.MinInt64
}

// SatMul is a×b held at the int64 limits instead of wrapping.
func SatMul(a, b int64) int64 {
	if p, ok := Mul(a, b); ok {
		return p
	}
	if (a < 0) != (b < 0) {
		return math.MinInt64
	}
	return math.MaxInt64
}

func abs(a int64) uint64 {
	if a < 0 {
		return uint64(-a) // MinInt64 wraps to itself, which as uint64 is 1<<63: right
	}
	return uint64(a)
}
