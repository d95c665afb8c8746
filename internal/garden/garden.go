// Package garden is the shared vegetable garden (共享菜园) of a village and its
// operating company: gardens of plots on a grid and seedlings in an expo,
// seasons and crops, the three hosting modes as a contract (自理 self-managed,
// 半托管 half-hosted, 全托管 fully hosted), adoptions, the steward's tasks with
// photo evidence, reminders, picking times, events, name plates and reports.
//
// A garden operator is not a community: its rows lead with operator_id, the
// garden's shard key, and its operators and stewards carry its id as their
// actor's CommunityID. Adopters (园主) are families who need not live in any
// community; a district resident may link an adoption to their resident
// account. Every state change is one command through internal/idem, in the
// key namespace "garden:<operator>" (adopters' registrations in
// "garden:adopters"). Nothing here moves points: a community that lets
// residents pay part of an adoption with points does it as a station
// redemption of a "garden adoption" good.
package garden

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
)

// Sealer encrypts and hashes a family's phone number (registry.Keys).
type Sealer interface {
	Seal(plain string) string
	Open(sealed string) (string, error)
	Hash(s string) string
}

// Users makes a family's login (auth.Service).
type Users interface {
	HashNewPassword(password string) (string, error)
	CreateUserHashed(ctx context.Context, tx *db.Tx, nu auth.NewUser, hash string) (auth.User, error)
}

// Residents says whether a resident is registered (registry.Service), before
// an adoption is linked to their account.
type Residents interface {
	ResidentActive(ctx context.Context, communityID, residentID string) error
}

// Service is the garden capability.
type Service struct {
	DB        *db.DB
	Idem      *idem.Store
	Clock     civic.Clock
	Keys      func(ctx context.Context) (Sealer, error)
	Users     Users
	Residents Residents
}

// New builds the service.
func New(d *db.DB, st *idem.Store, clock civic.Clock, keys func(ctx context.Context) (Sealer, error), users Users, residents Residents) *Service {
	return &Service{DB: d, Idem: st, Clock: clock, Keys: keys, Users: users, Residents: residents}
}

// Party is who does, bears or picks something under a mode's terms.
type Party string

const (
	Adopter Party = "adopter"
	Steward Party = "steward"
	Farm    Party = "farm"   // the operator, when it bears a failed crop
	Either  Party = "either" // the adopter, or the steward on the family's behalf
)

// Limits of what an operator sets up and a family writes.
const (
	MaxGridSide   = 20 // rows or columns of one garden: at most 400 plots
	MaxMaturity   = 365
	MaxWindow     = 60
	MaxPeople     = 10 // one family's places at one event
	MaxCapacity   = 1000
	MaxWeightG    = 1_000_000 // one harvest record: a tonne
	MaxFamilyName = 20
	MaxNickname   = 10
	listLimit     = 50
)

func namespace(operatorID string) string { return "garden:" + operatorID }

// adopterKeys is the key namespace of a family's registration, which names
// no operator.
const adopterKeys = "garden:adopters"

// op is the idem operation of a command of an operator's garden.
func op(operatorID string, key idem.Key, command string, req any) idem.Op {
	return idem.Op{Community: namespace(operatorID), Key: key, Command: command,
		Shard: idem.Community(namespace(operatorID)), Request: req}
}

// Day is a calendar date in Asia/Shanghai, as stored (YYYY-MM-DD).
const dayLayout = "2006-01-02"

// Today is the Shanghai calendar date of t.
func Today(t time.Time) string { return t.In(civic.Shanghai).Format(dayLayout) }

// ParseDay reads a YYYY-MM-DD date as midnight in Shanghai.
func ParseDay(s string) (time.Time, error) {
	t, err := time.ParseInLocation(dayLayout, strings.TrimSpace(s), civic.Shanghai)
	if err != nil {
		return t, civic.Errorf(civic.Invalid, "garden.bad_day", "%q is not a date (YYYY-MM-DD)", s)
	}
	return t, nil
}

// addDays moves a Shanghai date by n calendar days.
func addDays(day string, n int) string {
	t, err := time.ParseInLocation(dayLayout, day, civic.Shanghai)
	if err != nil {
		return day
	}
	return t.AddDate(0, 0, n).Format(dayLayout)
}

// daysBetween counts calendar days from a to b (negative when b is earlier).
func daysBetween(a, b string) int {
	ta, err1 := time.ParseInLocation(dayLayout, a, civic.Shanghai)
	tb, err2 := time.ParseInLocation(dayLayout, b, civic.Shanghai)
	if err1 != nil || err2 != nil {
		return 0
	}
	// Noon to noon: a day is 24 hours in Shanghai (no daylight saving), but
	// rounding keeps the count right whatever the zone database says.
	return int(tb.Add(12*time.Hour).Sub(ta.Add(12*time.Hour)).Round(24*time.Hour) / (24 * time.Hour))
}

// at is a Shanghai date at a clock hour, as an instant.
func at(day string, hour int) time.Time {
	t, _ := time.ParseInLocation(dayLayout, day, civic.Shanghai)
	return t.Add(time.Duration(hour) * time.Hour).UTC()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// text trims s and checks it is present (when required) and not too long;
// field names it in the messages (fields.go), in each language's own words.
func text(s string, max int, required bool, field string) (string, error) {
	s, long := civic.TooLong(s, max)
	switch {
	case required && s == "":
		return s, missing(field)
	case long:
		return s, tooLong(field, max)
	}
	return s, nil
}

// staff lets the operator's own staff through: its operators, and its
// stewards when steward is set.
func staff(by civic.Actor, operatorID string, steward bool) error {
	roles := []civic.Role{civic.RoleGardenOperator}
	if steward {
		roles = append(roles, civic.RoleGardenSteward)
	}
	return by.May(operatorID, roles...)
}

// adopter lets a family through (or the platform itself, for the demo).
func adopter(by civic.Actor) error {
	if by.Role == civic.RoleGardenAdopter || isSystem(by) {
		return nil
	}
	return civic.Errorf(civic.Forbidden, "civic.role_refused", "a %s may not do this", string(by.Role))
}

func isSystem(by civic.Actor) bool {
	return by.UserID == civic.System.UserID && by.Role == civic.System.Role
}

func noRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
