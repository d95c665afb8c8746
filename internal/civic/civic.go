package civic

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"sync"
	"time"
)

// Clock is injected wherever time matters, so tests can fix it.
type Clock interface{ Now() time.Time }

// SystemClock is the real wall clock.
type SystemClock struct{}

func (SystemClock) Now() time.Time { return time.Now().UTC() }

// FixedClock is a settable clock for tests.
type FixedClock struct {
	mu sync.Mutex
	t  time.Time
}

func NewFixedClock(t time.Time) *FixedClock { return &FixedClock{t: t.UTC()} }

func (c *FixedClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// Advance moves the clock forward by d.
func (c *FixedClock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// Shanghai is the zone in which months and days are calendar periods.
var Shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}()

// NewID returns a 26-character, time-ordered, globally unique identifier
// (48-bit milliseconds then 80 random bits, hex). IDs are never sequences
// shared across communities, so rows shard cleanly by community_id.
func NewID() string {
	var b [13]byte
	ms := uint64(time.Now().UnixMilli())
	var ts [8]byte
	binary.BigEndian.PutUint64(ts[:], ms)
	copy(b[:6], ts[2:])
	_, _ = rand.Read(b[6:])
	return hex.EncodeToString(b[:])
}

// Role is what a user may do.
type Role string

const (
	RoleResident Role = "resident"
	RoleWorker   Role = "worker"
	RoleClerk    Role = "clerk"
	RoleMerchant Role = "merchant"
	RoleDistrict Role = "district"
	RoleAdmin    Role = "admin"

	// The shared garden's roles (internal/garden). Operators and stewards
	// work inside one garden operator (a village or its company), whose id
	// they carry as CommunityID; adopters belong to none.
	RoleGardenOperator Role = "garden_operator"
	RoleGardenSteward  Role = "garden_steward"
	RoleGardenAdopter  Role = "garden_adopter"
)

// Roles lists every role in display order.
var Roles = []Role{RoleResident, RoleWorker, RoleClerk, RoleMerchant, RoleDistrict, RoleAdmin}

// GardenRoles are the shared garden's roles, kept apart from Roles: the
// garden is not a community, and nothing of a community is theirs.
var GardenRoles = []Role{RoleGardenOperator, RoleGardenSteward, RoleGardenAdopter}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range append(Roles[:len(Roles):len(Roles)], GardenRoles...) {
		if r == x {
			return true
		}
	}
	return false
}

// Actor is who performs an action: a logged-in user or an API token.
type Actor struct {
	UserID      string // user or token id
	Name        string
	Role        Role
	CommunityID string // empty for district and admin
	DistrictID  string // set for district users and tokens: the one district they see
	ResidentID  string // set for residents
	Grants      []string
}

// Has reports whether the actor holds a named grant (such as "red_group").
func (a Actor) Has(grant string) bool {
	for _, g := range a.Grants {
		if g == grant {
			return true
		}
	}
	return false
}

// System is the actor for work the platform does itself (demo seeding, expiry).
var System = Actor{UserID: "system", Name: "system", Role: RoleAdmin}

// May is the first line of every command: it lets through an actor of the
// community in one of roles (and the platform itself), and refuses anyone
// else with forbidden. Finer rules (a resident acting only for themself, the
// red grant) stay with the command.
func (a Actor) May(communityID string, roles ...Role) error {
	if a.UserID == System.UserID && a.Role == System.Role {
		return nil
	}
	if a.CommunityID != communityID {
		return Errorf(Forbidden, "civic.other_community", "this belongs to another community")
	}
	for _, r := range roles {
		if a.Role == r {
			return nil
		}
	}
	return Errorf(Forbidden, "civic.role_refused", "a %s may not do this", string(a.Role))
}

// MayDistrict is May for a district's own business (its communities, its
// credit rules): it lets through the platform itself and an actor of
// districtID in one of roles; a district office never reaches another
// district.
func (a Actor) MayDistrict(districtID string, roles ...Role) error {
	if a.UserID == System.UserID && a.Role == System.Role {
		return nil
	}
	if districtID == "" || a.DistrictID != districtID {
		return Errorf(Forbidden, "civic.other_district", "this belongs to another district")
	}
	for _, r := range roles {
		if a.Role == r {
			return nil
		}
	}
	return Errorf(Forbidden, "civic.role_refused", "a %s may not do this", string(a.Role))
}
