package registry

import (
	"time"

	"civicpoints/internal/civic"
)

// Colour is one of the six groups (六色三类).
type Colour string

const (
	Red    Colour = "red"    // 重点人群, key persons: set by hand, with a reason
	Purple Colour = "purple" // 残疾户, the household's disability flag
	Yellow Colour = "yellow" // 出租户, the household's tenure is rental
	Green  Colour = "green"  // 未成年人, under 18
	Blue   Colour = "blue"   // 老年人, from the community's elderly age
	White  Colour = "white"  // everyone else
)

// Colours lists the groups by priority: the first a resident holds is primary.
var Colours = []Colour{Red, Purple, Yellow, Green, Blue, White}

// GrantRed is the actor grant that lets a worker see and set the red group.
const GrantRed = "red_group"

// ParseColour accepts a colour name.
func ParseColour(s string) (_ Colour, err error) {
	defer civic.Wrap(&err, "registry.ParseColour")
	for _, c := range Colours {
		if string(c) == s {
			return c, nil
		}
	}
	return "", civic.Errorf(civic.Invalid, "registry.colour", "unknown colour %q", s)
}

// Class is the care class of a colour: priority care, regular visits or none.
type Class string

const (
	ClassPriority Class = "priority"
	ClassRegular  Class = "regular"
	ClassNone     Class = "none"
)

// ClassOf returns the care class of a colour.
func ClassOf(c Colour) Class {
	switch c {
	case Red, Purple:
		return ClassPriority
	case Yellow, Green, Blue:
		return ClassRegular
	}
	return ClassNone
}

func (c Colour) bit() int {
	for i, x := range Colours {
		if x == c {
			return 1 << i
		}
	}
	return 0
}

// Set is a resident's colours as a bit mask (the order of Colours).
type Set int

// Has reports whether the set holds c.
func (s Set) Has(c Colour) bool { return int(s)&c.bit() != 0 }

// List returns the colours held, by priority; white when none.
func (s Set) List() []Colour {
	var out []Colour
	for _, c := range Colours[:5] {
		if s.Has(c) {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		out = []Colour{White}
	}
	return out
}

// Primary is the highest-priority colour held.
func (s Set) Primary() Colour { return s.List()[0] }

// Without drops red, for viewers without the red grant.
func (s Set) Without(c Colour) Set { return Set(int(s) &^ c.bit()) }

// derive computes the colours that follow from the data.
func derive(birth, today time.Time, elderlyAge int, tenure Tenure, disability, red bool) Set {
	var s int
	if red {
		s |= Red.bit()
	}
	if disability {
		s |= Purple.bit()
	}
	if tenure == TenureRental {
		s |= Yellow.bit()
	}
	age := ageOn(birth, today)
	if age < 18 {
		s |= Green.bit()
	}
	if age >= elderlyAge {
		s |= Blue.bit()
	}
	return Set(s)
}

// Settings are what a community decides about colours and visits.
type Settings struct {
	ElderlyAge   int // blue from this age; default 60
	PriorityDays int // visit cadence of red and purple; default 14
	RegularDays  int // visit cadence of yellow, green and blue; default 90
}

// DefaultSettings are used until a community sets its own.
var DefaultSettings = Settings{ElderlyAge: 60, PriorityDays: 14, RegularDays: 90}

// Cadence is the number of days between visits for a primary colour; 0 for none.
func (st Settings) Cadence(c Colour) int {
	switch ClassOf(c) {
	case ClassPriority:
		return st.PriorityDays
	case ClassRegular:
		return st.RegularDays
	}
	return 0
}

// Validate checks the ranges the database also enforces.
func (st Settings) Validate() (err error) {
	defer civic.Wrap(&err, "registry.Settings.Validate")
	if st.ElderlyAge < 40 || st.ElderlyAge > 100 {
		return civic.Errorf(civic.Invalid, "registry.elderly_age", "the elderly age must be between 40 and 100, not %d", st.ElderlyAge)
	}
	if st.PriorityDays < 1 || st.PriorityDays > 366 || st.RegularDays < 1 || st.RegularDays > 366 {
		return civic.Errorf(civic.Invalid, "registry.cadence", "visit cadences must be between 1 and 366 days")
	}
	return nil
}
