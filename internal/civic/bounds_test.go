package civic_test

import (
	"math"
	"math/big"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"civicpoints/internal/civic"
)

func TestCheckedArithmetic(t *testing.T) {
	const max, min = math.MaxInt64, math.MinInt64
	tests := []struct {
		a, b            int64
		sum, prod       int64
		sumOK, prodOK   bool
		satSum, satProd int64
	}{
		{2, 3, 5, 6, true, true, 5, 6},
		{max, 1, 0, max, false, true, max, max},
		{max, max, 0, 0, false, false, max, max},
		{min, -1, 0, 0, false, false, min, max},
		{min, 1, min + 1, min, true, true, min + 1, min},
		{4611686018427387905, 4, 4611686018427387909, 0, true, false, 4611686018427387909, max}, // the price that wrapped a basket of 4 to 4 points
		{-4611686018427387904, 2, -4611686018427387902, min, true, true, -4611686018427387902, min},
		{0, min, min, 0, true, true, min, 0},
	}
	for _, tt := range tests {
		if got, ok := civic.Add(tt.a, tt.b); ok != tt.sumOK || (ok && got != tt.sum) {
			t.Errorf("Add(%d, %d) = %d, %v; want %d, %v", tt.a, tt.b, got, ok, tt.sum, tt.sumOK)
		}
		if got, ok := civic.Mul(tt.a, tt.b); ok != tt.prodOK || (ok && got != tt.prod) {
			t.Errorf("Mul(%d, %d) = %d, %v; want %d, %v", tt.a, tt.b, got, ok, tt.prod, tt.prodOK)
		}
		if got := civic.SatAdd(tt.a, tt.b); got != tt.satSum {
			t.Errorf("SatAdd(%d, %d) = %d, want %d", tt.a, tt.b, got, tt.satSum)
		}
		if got := civic.SatMul(tt.a, tt.b); got != tt.satProd {
			t.Errorf("SatMul(%d, %d) = %d, want %d", tt.a, tt.b, got, tt.satProd)
		}
	}
}

// Mul and Add agree with exact arithmetic on every pair of int64s.
func TestCheckedArithmeticIsExact(t *testing.T) {
	lo, hi := big.NewInt(math.MinInt64), big.NewInt(math.MaxInt64)
	agree := func(t *rapid.T, name string, got int64, ok bool, exact *big.Int) {
		fits := exact.Cmp(lo) >= 0 && exact.Cmp(hi) <= 0
		if ok != fits || (ok && got != exact.Int64()) {
			t.Fatalf("%s = %d, %v; exact %s", name, got, ok, exact)
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		a, b := rapid.Int64().Draw(t, "a"), rapid.Int64().Draw(t, "b")
		sum, ok := civic.Add(a, b)
		agree(t, "Add", sum, ok, new(big.Int).Add(big.NewInt(a), big.NewInt(b)))
		prod, ok := civic.Mul(a, b)
		agree(t, "Mul", prod, ok, new(big.Int).Mul(big.NewInt(a), big.NewInt(b)))
	})
}

func TestTooLongCountsRunes(t *testing.T) {
	for _, tt := range []struct {
		in   string
		max  int
		want bool
	}{{"  大米  ", 2, false}, {"大米袋", 2, true}, {"ab", 2, false}, {"abc", 2, true}} {
		if s, long := civic.TooLong(tt.in, tt.max); long != tt.want || s != strings.TrimSpace(tt.in) {
			t.Errorf("TooLong(%q, %d) = %q, %v; want %v", tt.in, tt.max, s, long, tt.want)
		}
	}
}
