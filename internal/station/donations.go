package station

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// DonorKind is what kind of organisation or person gives.
type DonorKind string

const (
	DonorAssociation DonorKind = "association"
	DonorBank        DonorKind = "bank"
	DonorCompany     DonorKind = "company"
	DonorPerson      DonorKind = "person"
)

// DonorKinds in display order.
var DonorKinds = []DonorKind{DonorAssociation, DonorBank, DonorCompany, DonorPerson}

// Donor gives goods or funds to the station.
type Donor struct {
	ID     string
	Name   string
	Kind   DonorKind
	Thanks bool // named on the public thank-you list
}

// CreateDonor adds a donor; a donor of the same name is returned unchanged.
func CreateDonor(ctx context.Context, tx *db.Tx, communityID string, dn Donor) (_ Donor, err error) {
	defer civic.Wrap(&err, "station.CreateDonor(%s)", dn.Name)
	var long bool
	if dn.Name, long = civic.TooLong(dn.Name, civic.MaxName); dn.Name == "" {
		return dn, civic.Errorf(civic.Invalid, "station.donor_name", "a donor needs a name")
	}
	if long {
		return dn, civic.Errorf(civic.Invalid, "station.donor_name_long", "a donor's name may have at most %d characters, not %d", civic.MaxName, civic.Runes(dn.Name))
	}
	ok := false
	for _, k := range DonorKinds {
		ok = ok || k == dn.Kind
	}
	if !ok {
		return dn, civic.Errorf(civic.Invalid, "station.bad_donor_kind", "unknown donor kind %q: use association, bank, company or person", dn.Kind)
	}
	var id string
	err = tx.QueryRow(ctx, "SELECT id FROM station_donors WHERE community_id = $1 AND name = $2", communityID, dn.Name).Scan(&id)
	if err == nil {
		return getDonor(ctx, tx, communityID, id)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return dn, err
	}
	dn.ID = civic.NewID()
	_, err = tx.Exec(ctx, "INSERT INTO station_donors (community_id, id, name, kind, thanks, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
		communityID, dn.ID, dn.Name, string(dn.Kind), boolInt(dn.Thanks), time.Now().UnixMilli())
	return dn, err
}

func getDonor(ctx context.Context, q db.Querier, communityID, id string) (dn Donor, err error) {
	var kind string
	var thanks int64
	err = q.QueryRow(ctx, "SELECT id, name, kind, thanks FROM station_donors WHERE community_id = $1 AND id = $2", communityID, id).
		Scan(&dn.ID, &dn.Name, &kind, &thanks)
	if errors.Is(err, sql.ErrNoRows) {
		return dn, civic.Errorf(civic.NotFound, "station.no_donor", "no donor %s at this station", id)
	}
	dn.Kind, dn.Thanks = DonorKind(kind), thanks != 0
	return dn, err
}

// DonorTotal is a donor with what they have given.
type DonorTotal struct {
	Donor
	Donations int64
	Points    int64 // points of backing given, goods and funds together
	FundsFen  int64
}

// Donors lists every donor with their totals, largest giver first (at most
// 500). With thanksOnly it is the public thank-you list.
//
// The totals are added up here, held at the int64 limit, not by SUM in SQL:
// SQLite raises an error when a SUM overflows and PostgreSQL answers with a
// NUMERIC no int64 can hold, so a single donation recorded before the bounds
// would fail every page that thanks the donors. A station has hundreds of
// donations, not millions.
func Donors(ctx context.Context, q db.Querier, communityID string, thanksOnly bool) (out []DonorTotal, err error) {
	defer civic.Wrap(&err, "station.Donors(%s)", communityID)
	query := "SELECT id, name, kind, thanks FROM station_donors WHERE community_id = $1"
	if thanksOnly {
		query += " AND thanks = 1"
	}
	rows, err := q.Query(ctx, query+" ORDER BY name", communityID)
	out, err = db.Collect(rows, err, func(s db.Scanner) (t DonorTotal, err error) {
		var kind string
		var thanks int64
		err = s.Scan(&t.ID, &t.Name, &kind, &thanks)
		t.Kind, t.Thanks = DonorKind(kind), thanks != 0
		return t, err
	})
	if err != nil {
		return nil, err
	}
	type gift struct {
		donor       string
		points, fen int64
	}
	rows, err = q.Query(ctx, "SELECT donor_id, points, amount_fen FROM station_donations WHERE community_id = $1", communityID)
	gifts, err := db.Collect(rows, err, func(s db.Scanner) (g gift, err error) {
		return g, s.Scan(&g.donor, &g.points, &g.fen)
	})
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*DonorTotal, len(out))
	for i := range out {
		byID[out[i].ID] = &out[i]
	}
	for _, g := range gifts {
		if t := byID[g.donor]; t != nil {
			t.Donations++
			t.Points, t.FundsFen = civic.SatAdd(t.Points, g.points), civic.SatAdd(t.FundsFen, g.fen)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Points > out[j].Points })
	return out[:min(len(out), 500)], nil
}

// Donation is a gift of goods (GoodID × Quantity) or of funds (AmountFen).
type Donation struct {
	ID        string
	DonorID   string
	DonorName string
	Kind      string // goods or funds
	GoodID    string
	GoodName  string
	Quantity  int64
	AmountFen int64
	Points    int64 // points of backing: goods at their price, funds at the community's rate
	Note      string
	At        time.Time
}

// DonateGoods puts donated goods into stock, valued at the good's points price.
func DonateGoods(ctx context.Context, tx *db.Tx, communityID, donorID, goodID string, quantity int64, note string, actor civic.Actor, at time.Time) (dn Donation, err error) {
	defer civic.Wrap(&err, "station.DonateGoods(%s)", goodID)
	if err := checkQuantity(quantity); err != nil {
		return dn, err
	}
	if note, err = noteOf(note); err != nil {
		return dn, err
	}
	donor, err := getDonor(ctx, tx, communityID, donorID)
	if err != nil {
		return dn, err
	}
	g, err := GetGood(ctx, tx, communityID, goodID)
	if err != nil {
		return dn, err
	}
	value, err := lineValue(g, quantity)
	if err != nil {
		return dn, err
	}
	dn = Donation{ID: civic.NewID(), DonorID: donorID, DonorName: donor.Name, Kind: "goods", GoodID: goodID, GoodName: g.Name,
		Quantity: quantity, Points: value, Note: note, At: orNow(at)}
	if err := insertDonation(ctx, tx, communityID, dn, actor); err != nil {
		return dn, err
	}
	_, err = shift(ctx, tx, Move{CommunityID: communityID, GoodID: goodID, Delta: quantity, Kind: MoveDonation, RefID: dn.ID, Reason: donor.Name, At: dn.At}, actor)
	return dn, err
}

// DonateFunds records donated money; it backs points at the community's rate
// and is spent on recorded purchases.
func DonateFunds(ctx context.Context, tx *db.Tx, communityID, donorID string, amountFen int64, note string, actor civic.Actor, at time.Time) (dn Donation, err error) {
	defer civic.Wrap(&err, "station.DonateFunds(%s)", donorID)
	if err := checkAmount(amountFen); err != nil {
		return dn, err
	}
	if note, err = noteOf(note); err != nil {
		return dn, err
	}
	donor, err := getDonor(ctx, tx, communityID, donorID)
	if err != nil {
		return dn, err
	}
	if err := ensureSettings(ctx, tx, communityID); err != nil {
		return dn, err
	}
	// The guard holds the funds at civic.MaxFundsFen without ever adding past it.
	var rate int64
	err = tx.QueryRow(ctx, "UPDATE station_settings SET funds_fen = funds_fen + $2 WHERE community_id = $1 AND funds_fen <= $3 RETURNING fen_per_point",
		communityID, amountFen, civic.MaxFundsFen-amountFen).Scan(&rate)
	if errors.Is(err, sql.ErrNoRows) {
		s, _ := GetSettings(ctx, tx, communityID)
		return dn, civic.Errorf(civic.Invalid, "station.funds_full", "the donated funds hold ¥%s; ¥%s more would pass the most a station holds (¥%s)",
			Yuan(s.FundsFen), Yuan(amountFen), Yuan(civic.MaxFundsFen))
	}
	if err != nil {
		return dn, err
	}
	dn = Donation{ID: civic.NewID(), DonorID: donorID, DonorName: donor.Name, Kind: "funds", AmountFen: amountFen,
		Points: amountFen / rate, Note: note, At: orNow(at)}
	return dn, insertDonation(ctx, tx, communityID, dn, actor)
}

func insertDonation(ctx context.Context, tx *db.Tx, communityID string, dn Donation, actor civic.Actor) error {
	_, err := tx.Exec(ctx, `INSERT INTO station_donations (community_id, id, donor_id, kind, good_id, quantity, amount_fen, points, note, actor_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, communityID, dn.ID, dn.DonorID, dn.Kind, dn.GoodID, dn.Quantity,
		dn.AmountFen, dn.Points, dn.Note, actor.UserID, db.Millis(dn.At))
	return err
}

// Purchase is goods bought with donated funds.
type Purchase struct {
	ID        string
	GoodID    string
	Quantity  int64
	AmountFen int64
	Supplier  string
	Note      string
	At        time.Time
}

// RecordPurchase spends donated funds on goods and puts them into stock. The
// funds never go below zero.
func RecordPurchase(ctx context.Context, tx *db.Tx, communityID string, p Purchase, actor civic.Actor) (_ Purchase, err error) {
	defer civic.Wrap(&err, "station.RecordPurchase(%s)", p.GoodID)
	if err := checkQuantity(p.Quantity); err != nil {
		return p, err
	}
	if err := checkAmount(p.AmountFen); err != nil {
		return p, err
	}
	var long bool
	if p.Supplier, long = civic.TooLong(p.Supplier, civic.MaxName); long {
		return p, civic.Errorf(civic.Invalid, "station.supplier_long", "a supplier's name may have at most %d characters, not %d", civic.MaxName, civic.Runes(p.Supplier))
	}
	if p.Note, err = noteOf(p.Note); err != nil {
		return p, err
	}
	g, err := GetGood(ctx, tx, communityID, p.GoodID)
	if err != nil {
		return p, err
	}
	if err := ensureSettings(ctx, tx, communityID); err != nil {
		return p, err
	}
	var left int64
	err = tx.QueryRow(ctx, "UPDATE station_settings SET funds_fen = funds_fen - $2 WHERE community_id = $1 AND funds_fen >= $2 RETURNING funds_fen",
		communityID, p.AmountFen).Scan(&left)
	if errors.Is(err, sql.ErrNoRows) {
		s, _ := GetSettings(ctx, tx, communityID)
		return p, civic.Errorf(civic.Invalid, "station.funds_short", "the donated funds hold ¥%s, the purchase costs ¥%s", Yuan(s.FundsFen), Yuan(p.AmountFen))
	}
	if err != nil {
		return p, err
	}
	p.ID, p.At = civic.NewID(), orNow(p.At)
	if _, err := tx.Exec(ctx, `INSERT INTO station_purchases (community_id, id, good_id, quantity, amount_fen, supplier, note, actor_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, communityID, p.ID, p.GoodID, p.Quantity, p.AmountFen, p.Supplier, p.Note,
		actor.UserID, db.Millis(p.At)); err != nil {
		return p, err
	}
	_, err = shift(ctx, tx, Move{CommunityID: communityID, GoodID: g.ID, Delta: p.Quantity, Kind: MovePurchase, RefID: p.ID, Reason: p.Supplier, At: p.At}, actor)
	return p, err
}

// RecentDonations lists donations, newest first, by keyset on time (before is
// Unix milliseconds; 0 starts at the newest).
func RecentDonations(ctx context.Context, q db.Querier, communityID string, before int64, limit int) (out []Donation, err error) {
	defer civic.Wrap(&err, "station.RecentDonations(%s)", communityID)
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	if before <= 0 {
		before = 1 << 62
	}
	rows, err := q.Query(ctx, `SELECT n.id, n.donor_id, d.name, n.kind, n.good_id, COALESCE(g.name, ''), n.quantity, n.amount_fen, n.points, n.note, n.created_at
		FROM station_donations n JOIN station_donors d ON d.community_id = n.community_id AND d.id = n.donor_id
		LEFT JOIN station_goods g ON g.community_id = n.community_id AND g.id = n.good_id
		WHERE n.community_id = $1 AND n.created_at < $2 ORDER BY n.created_at DESC LIMIT $3`, communityID, before, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var dn Donation
		var at int64
		if err := rows.Scan(&dn.ID, &dn.DonorID, &dn.DonorName, &dn.Kind, &dn.GoodID, &dn.GoodName, &dn.Quantity, &dn.AmountFen, &dn.Points, &dn.Note, &at); err != nil {
			return nil, err
		}
		dn.At = db.FromMillis(at)
		out = append(out, dn)
	}
	return out, rows.Err()
}

func orNow(t time.Time) time.Time {
	if t.IsZero() {
		return time.Now()
	}
	return t
}
