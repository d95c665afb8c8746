package registry

import (
	"context"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// ImportRow is one resident with the address of their household, as read
// from a file. Line is the row number in the file, for reports.
type ImportRow struct {
	Line                              int
	Estate, Building, Unit, Room      string
	Tenure                            string // 自有/出租/其他 or owner/rental/other
	Disability                        string // 是/否, yes/no, 1/0
	Name, Gender, BirthDate, IDNumber string
	Phone, Relation, MovedIn          string
}

// RowError is one problem in one row: Field names the column (name,
// gender, id_number, …) and Err says what is wrong, translatable.
type RowError struct {
	Line  int
	Field string
	Err   error
}

// Plan is a checked import: what would be added, what is already there and
// every bad row. Nothing is written until ApplyImport.
type Plan struct {
	CommunityID string
	Total       int
	New         int // residents that would be added
	Existing    int // rows matching a registered resident: importing again changes nothing
	Errors      []RowError
	ok          []prepared
}

type prepared struct {
	line       int
	estate     string
	house      Household // building, unit, room, tenure, disability
	c          clean
	householdK string
	idHash     string // keyed hash of the ID number, for matching; "" without one
}

func parseYesNo(s string) (bool, error) {
	switch s {
	case "", "否", "无", "no", "No", "NO", "0", "N", "n", "false":
		return false, nil
	case "是", "有", "yes", "Yes", "YES", "1", "Y", "y", "true":
		return true, nil
	}
	return false, civic.Errorf(civic.Invalid, "registry.yes_no", "%q must be 是 or 否 (yes or no)", s)
}

// check validates a row on its own.
func (row ImportRow) check(today time.Time) (p prepared, field string, err error) {
	p.line = row.Line
	p.estate = row.Estate
	if p.estate == "" {
		return p, "estate", civic.Errorf(civic.Invalid, "registry.estate_name", "an estate needs a name of 1 to 60 characters")
	}
	t, err := ParseTenure(row.Tenure)
	if err != nil {
		return p, "tenure", err
	}
	dis, err := parseYesNo(row.Disability)
	if err != nil {
		return p, "disability", err
	}
	p.house = Household{Building: cleanPart(row.Building), Unit: cleanPart(row.Unit), Room: cleanPart(row.Room), Tenure: t, Disability: dis}
	if p.house.Building == "" || len(p.house.Building) > 20 {
		return p, "building", civic.Errorf(civic.Invalid, "registry.address", "a household needs a building and a room number (each up to 20 characters)")
	}
	if p.house.Room == "" || len(p.house.Room) > 20 || len(p.house.Unit) > 20 {
		return p, "room", civic.Errorf(civic.Invalid, "registry.address", "a household needs a building and a room number (each up to 20 characters)")
	}
	in := NewResident{Name: row.Name, Gender: row.Gender, BirthDate: row.BirthDate, IDNumber: row.IDNumber, Phone: row.Phone, Relation: row.Relation, MovedIn: row.MovedIn}
	p.c, field, err = in.Validate(today)
	p.householdK = p.estate + "\x1f" + p.house.Building + "\x1f" + p.house.Unit + "\x1f" + p.house.Room
	return p, field, err
}

// existing is what the registry already holds, for matching rows.
type existing struct {
	estates    map[string]string    // name → id
	households map[string]Household // estate\x1fbuilding\x1funit\x1froom → household
	idHashes   map[string]bool
	people     map[string]bool // household id \x1f name \x1f birth
}

func (s *Service) loadExisting(ctx context.Context, q querier, communityID string) (*existing, error) {
	ex := &existing{estates: map[string]string{}, households: map[string]Household{}, idHashes: map[string]bool{}, people: map[string]bool{}}
	rows, err := q.Query(ctx, "SELECT id, name FROM estates WHERE community_id = $1", communityID)
	estates, err := db.Collect(rows, err, func(row db.Scanner) (e Estate, err error) {
		err = row.Scan(&e.ID, &e.Name)
		return e, err
	})
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, e := range estates {
		ex.estates[e.Name], names[e.ID] = e.ID, e.Name
	}
	rows, err = q.Query(ctx, "SELECT id, estate_id, building, unit, room, tenure, disability FROM households WHERE community_id = $1", communityID)
	homes, err := db.Collect(rows, err, func(row db.Scanner) (h Household, err error) {
		var dis int64
		err = row.Scan(&h.ID, &h.EstateID, &h.Building, &h.Unit, &h.Room, &h.Tenure, &dis)
		h.Disability = dis != 0
		return h, err
	})
	if err != nil {
		return nil, err
	}
	for _, h := range homes {
		ex.households[names[h.EstateID]+"\x1f"+h.Building+"\x1f"+h.Unit+"\x1f"+h.Room] = h
	}
	type person struct{ key, hash string }
	rows, err = q.Query(ctx, "SELECT household_id, name, birth_date, COALESCE(id_hash, '') FROM residents WHERE community_id = $1", communityID)
	people, err := db.Collect(rows, err, func(row db.Scanner) (p person, err error) {
		var hid, name, birth string
		err = row.Scan(&hid, &name, &birth, &p.hash)
		p.key = hid + "\x1f" + name + "\x1f" + birth
		return p, err
	})
	if err != nil {
		return nil, err
	}
	for _, p := range people {
		if p.hash != "" {
			ex.idHashes[p.hash] = true
		}
		ex.people[p.key] = true
	}
	return ex, nil
}

// matches reports whether p is already registered: same ID number, else
// same name, birth date and household.
func (ex *existing) matches(p prepared) bool {
	if p.idHash != "" && ex.idHashes[p.idHash] {
		return true
	}
	h, ok := ex.households[p.householdK]
	return ok && ex.people[h.ID+"\x1f"+p.c.name+"\x1f"+p.c.birth.Format(dateLayout)]
}

// PlanImport checks every row and matches it against the registry without
// writing anything.
func (s *Service) PlanImport(ctx context.Context, by civic.Actor, communityID string, rows []ImportRow) (p *Plan, err error) {
	defer civic.Wrap(&err, "registry.PlanImport(%s)", communityID)
	if err := by.May(communityID, civic.RoleWorker); err != nil {
		return nil, err
	}
	k, err := s.Keys(ctx)
	if err != nil {
		return nil, err
	}
	ex, err := s.loadExisting(ctx, s.DB, communityID)
	if err != nil {
		return nil, err
	}
	today := Today(s.Clock.Now())
	p = &Plan{CommunityID: communityID, Total: len(rows)}
	// Checking a row and hashing its ID number need nothing but the row:
	// do it on every core, then match in file order.
	type checked struct {
		pr    prepared
		field string
		err   error
	}
	all := make([]checked, len(rows))
	parallel(len(rows), func(i int) {
		r := &all[i]
		r.pr, r.field, r.err = rows[i].check(today)
		if r.err == nil && r.pr.c.id != "" {
			r.pr.idHash = k.Hash("id:" + r.pr.c.id)
		}
	})
	seenID := map[string]int{}
	for i, row := range rows {
		pr, field, err := all[i].pr, all[i].field, all[i].err
		if err != nil {
			p.Errors = append(p.Errors, RowError{Line: row.Line, Field: field, Err: err})
			continue
		}
		if pr.c.id != "" {
			if first, dup := seenID[pr.c.id]; dup {
				p.Errors = append(p.Errors, RowError{Line: row.Line, Field: "id_number",
					Err: civic.Errorf(civic.Invalid, "registry.id_twice", "the same ID number is already in row %d of this file", first)})
				continue
			}
			seenID[pr.c.id] = row.Line
		}
		if ex.matches(pr) {
			p.Existing++
			continue
		}
		p.New++
		p.ok = append(p.ok, pr)
	}
	return p, nil
}

// ImportResult says what an import did.
type ImportResult struct {
	Added, Existing, Skipped int // Skipped: bad rows left out
	Estates, Households      int // created
}
