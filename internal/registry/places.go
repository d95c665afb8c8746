package registry

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
)

// Estate is a 小区.
type Estate struct {
	ID         string
	Name       string
	Address    string
	Households int
	Residents  int // active residents
}

// Tenure is how a household holds its home.
type Tenure string

const (
	TenureOwner  Tenure = "owner"
	TenureRental Tenure = "rental"
	TenureOther  Tenure = "other"
)

// tenureWords are the words a sheet may give for a tenure, as tenureKey
// reduces them: the app's own (the pages print 自有住房, 出租户, 其他 and
// owner-occupied, rental, other tenure, and a re-imported export must read
// back) and the common ways of writing them.
var tenureWords = map[string]Tenure{
	"":      TenureOwner,
	"owner": TenureOwner, "own": TenureOwner, "owned": TenureOwner, "owneroccupied": TenureOwner, "selfowned": TenureOwner,
	"自有": TenureOwner, "自有住房": TenureOwner, "自有房": TenureOwner, "自住": TenureOwner, "自住房": TenureOwner,
	"自购": TenureOwner, "自购房": TenureOwner, "产权": TenureOwner, "产权房": TenureOwner, "业主": TenureOwner,
	"rental": TenureRental, "rented": TenureRental, "rent": TenureRental, "renting": TenureRental, "tenant": TenureRental,
	"出租": TenureRental, "出租户": TenureRental, "出租房": TenureRental, "租住": TenureRental, "租赁": TenureRental,
	"承租": TenureRental, "租户": TenureRental, "租房": TenureRental,
	"other": TenureOther, "othertenure": TenureOther, "其他": TenureOther, "其它": TenureOther, "借住": TenureOther,
}

// tenureKey reduces a cell to its letters, lower case and narrow, so
// " Owner-occupied ", "ＲＥＮＴＡＬ" and "自有住房。" find their word.
func tenureKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(width.Fold.String(s)) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ParseTenure reads a tenure as a sheet gives it (tenureWords); an empty
// cell is an owner, anything else unknown (a lone "?" too) is refused by name.
func ParseTenure(s string) (_ Tenure, err error) {
	defer civic.Wrap(&err, "registry.ParseTenure")
	k := tenureKey(s)
	if t, ok := tenureWords[k]; ok && (k != "" || strings.TrimSpace(s) == "") {
		return t, nil
	}
	return "", civic.Errorf(civic.Invalid, "registry.tenure", "tenure %q must be owner (自有), rental (出租) or other (其他)", s)
}

// Household is a 户 at one address.
type Household struct {
	ID         string
	EstateID   string
	EstateName string
	Building   string
	Unit       string
	Room       string
	Tenure     Tenure
	Disability bool
	Members    int // active residents
}

// Address is the short form building-unit-room, such as 3-2-301.
func (h Household) Address() string {
	if h.Unit == "" {
		return h.Building + "-" + h.Room
	}
	return h.Building + "-" + h.Unit + "-" + h.Room
}

// CreateEstateRequest names an estate of the community.
type CreateEstateRequest struct {
	Community string `json:"community"`
	Name      string `json:"name"`
	Address   string `json:"address"`
}

// CreateEstate adds an estate, or returns the one with that name.
func (s *Service) CreateEstate(ctx context.Context, by civic.Actor, key idem.Key, r CreateEstateRequest) (e Estate, err error) {
	defer civic.Wrap(&err, "registry.CreateEstate(%s)", r.Name)
	if err := by.May(r.Community, civic.RoleWorker); err != nil {
		return e, err
	}
	return idem.Run(ctx, s.Idem, op(r.Community, key, "registry.create_estate", r), func(tx *db.Tx) (Estate, error) {
		return s.ensureEstate(ctx, tx, r.Community, r.Name, r.Address)
	})
}

func (s *Service) ensureEstate(ctx context.Context, tx *db.Tx, communityID, name, address string) (Estate, error) {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 60 {
		return Estate{}, civic.Errorf(civic.Invalid, "registry.estate_name", "an estate needs a name of 1 to 60 characters")
	}
	e := Estate{Name: name, Address: address}
	err := tx.QueryRow(ctx, "SELECT id, address FROM estates WHERE community_id = $1 AND name = $2", communityID, name).Scan(&e.ID, &e.Address)
	if err == nil || !errors.Is(err, sql.ErrNoRows) {
		return e, err
	}
	e.ID = civic.NewID()
	_, err = tx.Exec(ctx, "INSERT INTO estates (community_id, id, name, address, created_at) VALUES ($1, $2, $3, $4, $5)",
		communityID, e.ID, name, address, db.Millis(s.Clock.Now()))
	return e, err
}

// Estates lists a community's estates with their counts, kept exact in
// registry_counts (counting them here read every resident: 0.3 s at 400,000).
func (s *Service) Estates(ctx context.Context, communityID string) (out []Estate, err error) {
	defer civic.Wrap(&err, "registry.Estates(%s)", communityID)
	rows, err := s.DB.Query(ctx, `SELECT e.id, e.name, e.address, COALESCE(h.n, 0), COALESCE(r.n, 0)
		FROM estates e
		LEFT JOIN registry_counts h ON h.community_id = e.community_id AND h.estate_id = e.id AND h.colour = 'households'
		LEFT JOIN registry_counts r ON r.community_id = e.community_id AND r.estate_id = e.id AND r.colour = 'all'
		WHERE e.community_id = $1 ORDER BY e.name`, communityID)
	return db.Collect(rows, err, func(row db.Scanner) (e Estate, err error) {
		err = row.Scan(&e.ID, &e.Name, &e.Address, &e.Households, &e.Residents)
		return e, err
	})
}

// EstateByName finds an estate by its name.
func (s *Service) EstateByName(ctx context.Context, communityID, name string) (e Estate, err error) {
	defer civic.Wrap(&err, "registry.EstateByName(%s)", name)
	e.Name = name
	err = s.DB.QueryRow(ctx, "SELECT id, address FROM estates WHERE community_id = $1 AND name = $2", communityID, name).Scan(&e.ID, &e.Address)
	if errors.Is(err, sql.ErrNoRows) {
		return e, notFound("estate", name)
	}
	return e, err
}

// CreateHouseholdRequest is a household at an address of an estate.
type CreateHouseholdRequest struct {
	Community  string `json:"community"`
	Estate     string `json:"estate"`
	Building   string `json:"building"`
	Unit       string `json:"unit"`
	Room       string `json:"room"`
	Tenure     Tenure `json:"tenure"` // owner when empty
	Disability bool   `json:"disability"`
}

// CreateHousehold adds a household at an address, or returns the one there.
func (s *Service) CreateHousehold(ctx context.Context, by civic.Actor, key idem.Key, r CreateHouseholdRequest) (h Household, err error) {
	h = Household{EstateID: r.Estate, Building: r.Building, Unit: r.Unit, Room: r.Room, Tenure: r.Tenure, Disability: r.Disability}
	defer civic.Wrap(&err, "registry.CreateHousehold(%s)", h.Address())
	if err := by.May(r.Community, civic.RoleWorker); err != nil {
		return h, err
	}
	return idem.Run(ctx, s.Idem, op(r.Community, key, "registry.create_household", r), func(tx *db.Tx) (Household, error) {
		return s.ensureHousehold(ctx, tx, r.Community, h)
	})
}

func cleanPart(s string) string {
	s = strings.TrimSpace(s)
	for _, suf := range []string{"幢", "栋", "号楼", "单元", "室", "号"} {
		s = strings.TrimSuffix(s, suf)
	}
	return s
}

func (s *Service) ensureHousehold(ctx context.Context, tx *db.Tx, communityID string, h Household) (Household, error) {
	h.Building, h.Unit, h.Room = cleanPart(h.Building), cleanPart(h.Unit), cleanPart(h.Room)
	if h.Building == "" || h.Room == "" || len(h.Building) > 20 || len(h.Unit) > 20 || len(h.Room) > 20 {
		return h, civic.Errorf(civic.Invalid, "registry.address", "a household needs a building and a room number (each up to 20 characters)")
	}
	if h.Tenure == "" {
		h.Tenure = TenureOwner
	}
	if _, err := ParseTenure(string(h.Tenure)); err != nil {
		return h, err
	}
	var estate string
	err := tx.QueryRow(ctx, "SELECT name FROM estates WHERE community_id = $1 AND id = $2", communityID, h.EstateID).Scan(&estate)
	if errors.Is(err, sql.ErrNoRows) {
		return h, notFound("estate", h.EstateID)
	}
	if err != nil {
		return h, err
	}
	h.EstateName = estate
	var dis int64
	err = tx.QueryRow(ctx, "SELECT id, tenure, disability FROM households WHERE community_id = $1 AND estate_id = $2 AND building = $3 AND unit = $4 AND room = $5",
		communityID, h.EstateID, h.Building, h.Unit, h.Room).Scan(&h.ID, &h.Tenure, &dis)
	if err == nil {
		h.Disability = dis != 0
		return h, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return h, err
	}
	h.ID = civic.NewID()
	_, err = tx.Exec(ctx, `INSERT INTO households (community_id, id, estate_id, building, unit, room, tenure, disability, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		communityID, h.ID, h.EstateID, h.Building, h.Unit, h.Room, string(h.Tenure), boolInt(h.Disability), db.Millis(s.Clock.Now()))
	if err != nil {
		return h, err
	}
	cnt := counts{}
	cnt.households(h.EstateID, 1)
	return h, cnt.apply(ctx, tx, communityID)
}

// household reads one household of the community, tenure and disability
// flag included: callers hand it out through viewer.household.
func (s *Service) household(ctx context.Context, communityID, id string) (h Household, err error) {
	var dis int64
	err = s.DB.QueryRow(ctx, `SELECT h.id, h.estate_id, e.name, h.building, h.unit, h.room, h.tenure, h.disability,
		(SELECT COUNT(*) FROM residents r WHERE r.community_id = h.community_id AND r.household_id = h.id AND r.moved_out IS NULL)
		FROM households h JOIN estates e ON e.community_id = h.community_id AND e.id = h.estate_id
		WHERE h.community_id = $1 AND h.id = $2`, communityID, id).
		Scan(&h.ID, &h.EstateID, &h.EstateName, &h.Building, &h.Unit, &h.Room, &h.Tenure, &dis, &h.Members)
	if errors.Is(err, sql.ErrNoRows) {
		return h, notFound("household", id)
	}
	h.Disability = dis != 0
	return h, err
}

// Households lists an estate's households by address, with their tenure and
// disability flags, optionally those whose building-unit-room starts with
// prefix (such as "3-2"), by keyset cursor. Only workers of the community
// may; the list is audited.
func (s *Service) Households(ctx context.Context, actor civic.Actor, communityID, estateID, prefix, cursor string, limit int) (out []Household, next string, err error) {
	defer civic.Wrap(&err, "registry.Households(%s)", estateID)
	v := viewerOf(actor, communityID)
	if err := v.mustSee(); err != nil {
		return nil, "", err
	}
	limit = clampLimit(limit)
	parts := strings.SplitN(strings.TrimSpace(prefix), "-", 3)
	b, u, r := parts[0], "", ""
	if len(parts) > 1 {
		u = parts[1]
	}
	if len(parts) > 2 {
		r = parts[2]
	}
	cb, cu, cr := "", "", ""
	if cursor != "" {
		c := strings.SplitN(cursor, "\x1f", 3)
		if len(c) != 3 {
			return nil, "", badCursor()
		}
		cb, cu, cr = c[0], c[1], c[2]
	}
	rows, err := s.DB.Query(ctx, `SELECT h.id, h.building, h.unit, h.room, h.tenure, h.disability,
		(SELECT COUNT(*) FROM residents r WHERE r.community_id = h.community_id AND r.household_id = h.id AND r.moved_out IS NULL)
		FROM households h WHERE h.community_id = $1 AND h.estate_id = $2
		AND ($3 = '' OR h.building = $3) AND ($4 = '' OR h.unit = $4) AND ($5 = '' OR h.room LIKE $5 || '%')
		AND ($6 = '' OR (h.building, h.unit, h.room) > ($6, $7, $8))
		ORDER BY h.building, h.unit, h.room LIMIT $9`, communityID, estateID, b, u, r, cb, cu, cr, limit+1)
	out, err = db.Collect(rows, err, func(row db.Scanner) (h Household, err error) {
		var dis int64
		err = row.Scan(&h.ID, &h.Building, &h.Unit, &h.Room, &h.Tenure, &dis, &h.Members)
		h.EstateID, h.Disability = estateID, dis != 0
		return v.household(h), err
	})
	if err != nil {
		return nil, "", err
	}
	if len(out) > limit {
		out = out[:limit]
		l := out[limit-1]
		next = l.Building + "\x1f" + l.Unit + "\x1f" + l.Room
	}
	filter := ""
	if p := strings.TrimSpace(prefix); p != "" {
		filter = "addr=" + p
	}
	return out, next, s.disclose(ctx, v, shown{action: "registry.list_households", kind: "estate", subject: estateID, list: true, filter: filter,
		households: len(out), fields: []string{fieldTenure, fieldDisability}})
}

func clampLimit(n int) int {
	if n <= 0 {
		return 50
	}
	return min(n, 500)
}

func badCursor() error {
	return civic.Errorf(civic.Invalid, "registry.cursor", "the page cursor is not valid; start again from the first page")
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
