package credit

// Level is a credit level (信用等级): reaching MinCreditPoints unlocks the
// level's credit policies.
type Level struct {
	Code            string
	MinCreditPoints int64
}

// Levels is a ladder of levels, lowest first.
type Levels []Level

// DefaultLevels is the ladder a community starts with; the district office
// will configure its own (the credit issue).
var DefaultLevels = Levels{
	{Code: "basic", MinCreditPoints: 0},
	{Code: "good", MinCreditPoints: 5},
	{Code: "excellent", MinCreditPoints: 15},
	{Code: "model", MinCreditPoints: 30},
}

// For returns the highest level whose threshold creditPoints reaches.
func (ls Levels) For(creditPoints int64) Level {
	best := ls[0]
	for _, l := range ls {
		if creditPoints >= l.MinCreditPoints {
			best = l
		}
	}
	return best
}
