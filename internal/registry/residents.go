package registry

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
	"civicpoints/internal/ledger"
)

// NewResident is what a worker or an import row gives to register someone.
type NewResident struct {
	HouseholdID string `json:"household"`
	Name        string `json:"name"`
	Gender      string `json:"gender"`     // M/F, 男/女
	BirthDate   string `json:"birth_date"` // YYYY-MM-DD; taken from the ID number when one is given
	IDNumber    string `json:"id_number"`  // optional, 18 characters (GB 11643)
	Phone       string `json:"phone"`      // optional, mobile or landline
	Relation    string `json:"relation"`   // relation to the head of household, such as 户主, 配偶, 子女
	MovedIn     string `json:"moved_in"`   // YYYY-MM-DD; today when empty
}

// clean is a validated NewResident.
type clean struct {
	name, gender, id, phone, relation string
	birth, movedIn                    time.Time
}

// Validate checks every field and returns the first problem with its field
// name (name, gender, birth_date, id_number, phone, relation, moved_in).
func (in NewResident) Validate(today time.Time) (c clean, field string, err error) {
	defer civic.Wrap(&err, "registry.NewResident.Validate")
	if c.name, err = validName(in.Name); err != nil {
		return c, "name", err
	}
	if strings.TrimSpace(in.IDNumber) != "" {
		if c.id, c.birth, err = NormalizeIDNumber(in.IDNumber, today); err != nil {
			return c, "id_number", err
		}
	}
	if in.BirthDate != "" {
		b, err := parseDate(in.BirthDate)
		if err != nil {
			return c, "birth_date", err
		}
		if b.After(today) || b.Year() < 1890 {
			return c, "birth_date", civic.Errorf(civic.Invalid, "registry.birth_range", "the birth date %s is in the future or before 1890", b.Format(dateLayout))
		}
		if c.id != "" && !b.Equal(c.birth) {
			return c, "birth_date", civic.Errorf(civic.Invalid, "registry.birth_mismatch", "the birth date %s differs from the one in the ID number (%s)", b.Format(dateLayout), c.birth.Format(dateLayout))
		}
		c.birth = b
	}
	if c.birth.IsZero() {
		return c, "birth_date", civic.Errorf(civic.Invalid, "registry.birth_missing", "give a birth date or an ID number")
	}
	if c.gender, err = parseGender(in.Gender, c.id); err != nil {
		return c, "gender", err
	}
	if c.phone, err = NormalizePhone(in.Phone); err != nil {
		return c, "phone", err
	}
	c.relation = strings.TrimSpace(in.Relation)
	if len([]rune(c.relation)) > 20 {
		return c, "relation", civic.Errorf(civic.Invalid, "registry.relation", "the relation to the head of household is too long")
	}
	c.movedIn = today
	if in.MovedIn != "" {
		if c.movedIn, err = parseDate(in.MovedIn); err != nil {
			return c, "moved_in", err
		}
	}
	return c, "", nil
}

func parseGender(s, id string) (string, error) {
	var g string
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "m", "male", "男":
		g = "M"
	case "f", "female", "女":
		g = "F"
	case "":
	default:
		return "", civic.Errorf(civic.Invalid, "registry.gender", "gender %q must be 男 or 女 (M or F)", s)
	}
	if id != "" {
		fromID := "F"
		if (id[16]-'0')%2 == 1 {
			fromID = "M"
		}
		if g != "" && g != fromID {
			return "", civic.Errorf(civic.Invalid, "registry.gender_mismatch", "the gender differs from the one in the ID number")
		}
		g = fromID
	}
	if g == "" {
		return "", civic.Errorf(civic.Invalid, "registry.gender", "gender %q must be 男 or 女 (M or F)", s)
	}
	return g, nil
}

// CreateResidentRequest registers someone in a household of the community.
type CreateResidentRequest struct {
	Community string `json:"community"`
	NewResident
}

// CreateResident registers a resident in a household of the community and
// opens their points account, in one transaction. The answer names the
// resident.
func (s *Service) CreateResident(ctx context.Context, by civic.Actor, key idem.Key, r CreateResidentRequest) (ch Change, err error) {
	defer civic.Wrap(&err, "registry.CreateResident(%s)", MaskName(r.Name))
	if err := by.May(r.Community, civic.RoleWorker); err != nil {
		return ch, err
	}
	k, err := s.Keys(ctx)
	if err != nil {
		return ch, err
	}
	now := s.Clock.Now()
	today := Today(now)
	c, _, err := r.Validate(today)
	if err != nil {
		return ch, err
	}
	return idem.Run(ctx, s.Idem, op(r.Community, key, "registry.create_resident", r), func(tx *db.Tx) (Change, error) {
		st, err := settingsTx(ctx, tx, r.Community)
		if err != nil {
			return Change{}, err
		}
		h, err := householdTx(ctx, tx, r.Community, r.HouseholdID)
		if err != nil {
			return Change{}, err
		}
		id, err := s.insertResident(ctx, tx, k, st, today, by, r.Community, h, c)
		return Change{ID: id, At: now}, err
	})
}

func householdTx(ctx context.Context, tx *db.Tx, communityID, id string) (h Household, err error) {
	var dis int64
	err = tx.QueryRow(ctx, "SELECT id, estate_id, building, unit, room, tenure, disability FROM households WHERE community_id = $1 AND id = $2",
		communityID, id).Scan(&h.ID, &h.EstateID, &h.Building, &h.Unit, &h.Room, &h.Tenure, &dis)
	if errors.Is(err, sql.ErrNoRows) {
		return h, civic.Errorf(civic.NotFound, "registry.household_not_found", "no household %s in this community", id)
	}
	h.Disability = dis != 0
	return h, err
}

// duplicateID rejects an ID number already registered in the community,
// naming the existing record masked.
func duplicateID(ctx context.Context, tx *db.Tx, k *Keys, communityID, id string) error {
	if id == "" {
		return nil
	}
	var name, masked, estate, b, u, r string
	err := tx.QueryRow(ctx, `SELECT r.name, r.id_masked, e.name, h.building, h.unit, h.room FROM residents r
		JOIN households h ON h.community_id = r.community_id AND h.id = r.household_id
		JOIN estates e ON e.community_id = r.community_id AND e.id = r.estate_id
		WHERE r.community_id = $1 AND r.id_hash = $2`, communityID, k.Hash("id:"+id)).Scan(&name, &masked, &estate, &b, &u, &r)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	addr := Household{Building: b, Unit: u, Room: r}.Address()
	return civic.Errorf(civic.Conflict, "registry.id_duplicate", "ID number %s is already registered to %s (%s %s)", masked, MaskName(name), estate, addr)
}

func newRef() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (s *Service) insertResident(ctx context.Context, tx *db.Tx, k *Keys, st Settings, today time.Time, actor civic.Actor, communityID string, h Household, c clean) (string, error) {
	if err := duplicateID(ctx, tx, k, communityID, c.id); err != nil {
		return "", err
	}
	id := civic.NewID()
	now := db.Millis(s.Clock.Now())
	set := derive(c.birth, today, st.ElderlyAge, h.Tenure, h.Disability, false)
	var due any
	if st.Cadence(set.Primary()) > 0 {
		due = today.Format(dateLayout)
	}
	var tail any
	if c.id != "" {
		tail = k.hashOrNil("idtail", c.id[14:])
	}
	_, err := tx.Exec(ctx, `INSERT INTO residents (community_id, id, household_id, estate_id, name, gender, birth_date,
		id_enc, id_hash, id_tail_hash, id_masked, phone_enc, phone_hash, phone_masked, relation, code_ref, moved_in,
		colours, primary_colour, visit_due, created_at, updated_at, shadow_primary, shadow_due)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $21, $19, $20)`,
		communityID, id, h.ID, h.EstateID, c.name, c.gender, c.birth.Format(dateLayout),
		k.Seal(c.id), k.hashOrNil("id", c.id), tail, maskOrEmpty(c.id, MaskID),
		k.Seal(c.phone), k.hashOrNil("phone", c.phone), maskOrEmpty(c.phone, MaskPhone), c.relation, newRef(),
		c.movedIn.Format(dateLayout), int(set), string(set.Primary()), due, now)
	if err != nil {
		return "", err
	}
	if err := writeColours(ctx, tx, actor, communityID, id, h.EstateID, 0, set, "registry.reason_registered", now); err != nil {
		return "", err
	}
	if err := recordMove(ctx, tx, actor, communityID, id, "in", "", h.ID, c.movedIn.Format(dateLayout), "", now); err != nil {
		return "", err
	}
	cnt := counts{}
	cnt.resident(h.EstateID, set, 1)
	if err := cnt.apply(ctx, tx, communityID); err != nil {
		return "", err
	}
	return id, ledger.OpenAccount(ctx, tx, communityID, id)
}

func maskOrEmpty(s string, mask func(string) string) string {
	if s == "" {
		return ""
	}
	return mask(s)
}

func recordMove(ctx context.Context, tx *db.Tx, actor civic.Actor, communityID, residentID, kind, from, to, date, reason string, now int64) error {
	_, err := tx.Exec(ctx, `INSERT INTO resident_moves (community_id, id, resident_id, kind, from_household, to_household, on_date, reason, actor_id, actor_name, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		communityID, civic.NewID(), residentID, kind, from, to, date, reason, actor.UserID, actor.Name, now)
	return err
}

// MoveResidentRequest moves a resident to another household of the community.
type MoveResidentRequest struct {
	Community   string `json:"community"`
	Resident    string `json:"resident"`
	ToHousehold string `json:"to_household"`
	Date        string `json:"date"` // YYYY-MM-DD; today when empty
	Reason      string `json:"reason"`
}

// MoveResident moves a resident to another household of the same community;
// colours follow the new household and the points account stays.
func (s *Service) MoveResident(ctx context.Context, by civic.Actor, key idem.Key, r MoveResidentRequest) (ch Change, err error) {
	defer civic.Wrap(&err, "registry.MoveResident(%s)", r.Resident)
	if err := by.May(r.Community, civic.RoleWorker); err != nil {
		return ch, err
	}
	on, err := optionalDate(r.Date, s.Clock.Now())
	if err != nil {
		return ch, err
	}
	return idem.Run(ctx, s.Idem, op(r.Community, key, "registry.move_resident", r), func(tx *db.Tx) (Change, error) {
		return s.moveTx(ctx, tx, by, r, on)
	})
}

func (s *Service) moveTx(ctx context.Context, tx *db.Tx, by civic.Actor, r MoveResidentRequest, on string) (Change, error) {
	c := r.Community
	cur, err := residentState(ctx, tx, c, r.Resident)
	if err != nil {
		return Change{}, err
	}
	if cur.movedOut {
		return Change{}, civic.Errorf(civic.Invalid, "registry.resident_left", "resident %s has left the community", r.Resident)
	}
	h, err := householdTx(ctx, tx, c, r.ToHousehold)
	if err != nil {
		return Change{}, err
	}
	if h.ID == cur.householdID {
		return Change{}, civic.Errorf(civic.Invalid, "registry.same_household", "the resident already lives in that household")
	}
	at := s.Clock.Now()
	now := db.Millis(at)
	if _, err := tx.Exec(ctx, "UPDATE residents SET household_id = $3, estate_id = $4, updated_at = $5 WHERE community_id = $1 AND id = $2",
		c, r.Resident, h.ID, h.EstateID, now); err != nil {
		return Change{}, err
	}
	if _, err := tx.Exec(ctx, "UPDATE resident_colours SET estate_id = $3 WHERE community_id = $1 AND resident_id = $2",
		c, r.Resident, h.EstateID); err != nil {
		return Change{}, err
	}
	if err := recordMove(ctx, tx, by, c, r.Resident, "move", cur.householdID, h.ID, on, r.Reason, now); err != nil {
		return Change{}, err
	}
	// The resident leaves the old estate's counts with their colours and
	// joins the new one's; recolour then counts any colour the new
	// household changes there.
	cnt := counts{}
	cnt.resident(cur.estateID, cur.colours, -1)
	cnt.resident(h.EstateID, cur.colours, 1)
	if err := s.recolour(ctx, tx, cnt, by, c, r.Resident, "registry.reason_moved", true); err != nil {
		return Change{}, err
	}
	return Change{ID: r.Resident, At: at}, cnt.apply(ctx, tx, c)
}

// LeaveResidentRequest records that a resident left the community.
type LeaveResidentRequest struct {
	Community string `json:"community"`
	Resident  string `json:"resident"`
	Date      string `json:"date"` // YYYY-MM-DD; today when empty
	Reason    string `json:"reason"`
}

// LeaveResident records that a resident left the community: they keep their
// history and their (closed) points account.
func (s *Service) LeaveResident(ctx context.Context, by civic.Actor, key idem.Key, r LeaveResidentRequest) (ch Change, err error) {
	defer civic.Wrap(&err, "registry.LeaveResident(%s)", r.Resident)
	if err := by.May(r.Community, civic.RoleWorker); err != nil {
		return ch, err
	}
	on, err := optionalDate(r.Date, s.Clock.Now())
	if err != nil {
		return ch, err
	}
	return idem.Run(ctx, s.Idem, op(r.Community, key, "registry.leave_resident", r), func(tx *db.Tx) (Change, error) {
		return s.leaveTx(ctx, tx, by, r, on)
	})
}

func (s *Service) leaveTx(ctx context.Context, tx *db.Tx, by civic.Actor, r LeaveResidentRequest, on string) (Change, error) {
	c := r.Community
	cur, err := residentState(ctx, tx, c, r.Resident)
	if err != nil {
		return Change{}, err
	}
	if cur.movedOut {
		return Change{}, civic.Errorf(civic.Invalid, "registry.resident_left", "resident %s has left the community", r.Resident)
	}
	at := s.Clock.Now()
	now := db.Millis(at)
	if _, err := tx.Exec(ctx, "UPDATE residents SET moved_out = $3, visit_due = NULL, shadow_due = NULL, updated_at = $4 WHERE community_id = $1 AND id = $2",
		c, r.Resident, on, now); err != nil {
		return Change{}, err
	}
	if err := writeColours(ctx, tx, by, c, r.Resident, cur.estateID, cur.colours, 0, "registry.reason_left", now); err != nil {
		return Change{}, err
	}
	if err := recordMove(ctx, tx, by, c, r.Resident, "leave", cur.householdID, "", on, r.Reason, now); err != nil {
		return Change{}, err
	}
	cnt := counts{}
	cnt.resident(cur.estateID, cur.colours, -1)
	if err := cnt.apply(ctx, tx, c); err != nil {
		return Change{}, err
	}
	return Change{ID: r.Resident, At: at}, ledger.SetAccountActive(ctx, tx, c, r.Resident, false)
}

func optionalDate(s string, now time.Time) (string, error) {
	if strings.TrimSpace(s) == "" {
		return Today(now).Format(dateLayout), nil
	}
	t, err := parseDate(s)
	if err != nil {
		return "", err
	}
	return t.Format(dateLayout), nil
}

type state struct {
	householdID, estateID string
	birth                 time.Time
	red, movedOut         bool
	colours               Set
	lastVisit, created    string
	shadowLast            string // the last visit that was not red-group care
}

func residentState(ctx context.Context, tx *db.Tx, communityID, id string) (st state, err error) {
	var birth string
	var red int64
	var out, last, shadowLast sql.NullString
	var created int64
	q := `SELECT household_id, estate_id, birth_date, red, colours, moved_out, last_visit, created_at, shadow_last_visit
		FROM residents WHERE community_id = $1 AND id = $2`
	if tx.Dialect() == db.Postgres {
		// Every caller changes the resident from what it reads here, and the
		// estate counts by the difference: lock the row, so a change
		// committing meanwhile (a leave, a move) is read, not overwritten or
		// counted twice. SQLite has one writer at a time.
		q += " FOR UPDATE"
	}
	err = tx.QueryRow(ctx, q, communityID, id).
		Scan(&st.householdID, &st.estateID, &birth, &red, &st.colours, &out, &last, &created, &shadowLast)
	if errors.Is(err, sql.ErrNoRows) {
		return st, notFound("resident", id)
	}
	if err != nil {
		return st, err
	}
	st.birth, _ = time.Parse(dateLayout, birth)
	st.red, st.movedOut, st.lastVisit, st.shadowLast = red != 0, out.Valid, last.String, shadowLast.String
	st.created = Today(db.FromMillis(created)).Format(dateLayout)
	return st, nil
}
