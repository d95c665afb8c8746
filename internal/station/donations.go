package station

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
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

// DonorRequest is a new donor.
type DonorRequest struct {
	Community string    `json:"community"`
	Name      string    `json:"name"`
	Kind      DonorKind `json:"kind"`
	Thanks    bool      `json:"thanks"` // named on the public thank-you list
}

// CreateDonor adds a donor; a donor of the same name is returned unchanged.
func (s *Service) CreateDonor(ctx context.Context, by civic.Actor, key idem.Key, r DonorRequest) (dn Donor, err error) {
	defer civic.Wrap(&err, "station.CreateDonor(%s)", r.Name)
	if err := mayStaff(by, r.Community); err != nil {
		return dn, err
	}
	if err := needCommunity(r.Community); err != nil {
		return dn, err
	}
	dn = Donor{Name: r.Name, Kind: r.Kind, Thanks: r.Thanks}
	if err := checkDonor(&dn); err != nil {
		return dn, err
	}
	r.Name = dn.Name
	return idem.Run(ctx, s.Idem, plainOp(r.Community, key, "station.create_donor", r), func(tx *db.Tx) (Donor, error) {
		return createDonor(ctx, tx, r.Community, dn, tx.Now())
	})
}

func checkDonor(dn *Donor) error {
	var long bool
	if dn.Name, long = civic.TooLong(dn.Name, civic.MaxName); dn.Name == "" {
		return civic.Errorf(civic.Invalid, "station.donor_name", "a donor needs a name")
	}
	if long {
		return civic.Errorf(civic.Invalid, "station.donor_name_long", "a donor's name may have at most %d characters, not %d", civic.MaxName, civic.Runes(dn.Name))
	}
	for _, k := range DonorKinds {
		if k == dn.Kind {
			return nil
		}
	}
	return civic.Errorf(civic.Invalid, "station.bad_donor_kind", "unknown donor kind %q: use association, bank, company or person", dn.Kind)
}

// createDonor adds a checked donor (or finds the one of its name).
func createDonor(ctx context.Context, tx *db.Tx, communityID string, dn Donor, at time.Time) (_ Donor, err error) {
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
		communityID, dn.ID, dn.Name, string(dn.Kind), boolInt(dn.Thanks), db.Millis(at))
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
		err = s.Scan(&g.donor, &g.points, &g.fen)
		return g, err
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

// DonateGoodsRequest is a gift of goods, valued at the good's points price.
type DonateGoodsRequest struct {
	Community string `json:"community"`
	Donor     string `json:"donor"`
	Good      string `json:"good"`
	Quantity  int64  `json:"quantity"`
	Note      string `json:"note"`
}

// DonateGoods puts donated goods into stock.
func (s *Service) DonateGoods(ctx context.Context, by civic.Actor, key idem.Key, r DonateGoodsRequest) (dn Donation, err error) {
	defer civic.Wrap(&err, "station.DonateGoods(%s)", r.Good)
	if err := mayStaff(by, r.Community); err != nil {
		return dn, err
	}
	if err := needCommunity(r.Community); err != nil {
		return dn, err
	}
	if err := checkQuantity(r.Quantity); err != nil {
		return dn, err
	}
	if r.Note, err = noteOf(r.Note); err != nil {
		return dn, err
	}
	return idem.Run(ctx, s.Idem, stockOp(r.Community, key, "station.donate_goods", r), func(tx *db.Tx) (Donation, error) {
		return donateGoods(ctx, tx, by, r, tx.Now())
	})
}

func donateGoods(ctx context.Context, tx *db.Tx, by civic.Actor, r DonateGoodsRequest, at time.Time) (dn Donation, err error) {
	donor, err := getDonor(ctx, tx, r.Community, r.Donor)
	if err != nil {
		return dn, err
	}
	g, err := GetGood(ctx, tx, r.Community, r.Good)
	if err != nil {
		return dn, err
	}
	value, err := lineValue(g, r.Quantity)
	if err != nil {
		return dn, err
	}
	dn = Donation{ID: civic.NewID(), DonorID: donor.ID, DonorName: donor.Name, Kind: "goods", GoodID: g.ID, GoodName: g.Name,
		Quantity: r.Quantity, Points: value, Note: r.Note, At: at}
	if err := insertDonation(ctx, tx, r.Community, dn, by); err != nil {
		return dn, err
	}
	_, err = shift(ctx, tx, Move{CommunityID: r.Community, GoodID: g.ID, Delta: r.Quantity, Kind: MoveDonation, RefID: dn.ID, Reason: donor.Name, At: at}, by)
	return dn, err
}

// DonateFundsRequest is a gift of money; it backs points at the
// community's rate and is spent on recorded purchases.
type DonateFundsRequest struct {
	Community string `json:"community"`
	Donor     string `json:"donor"`
	AmountFen int64  `json:"amount_fen"`
	Note      string `json:"note"`
}

// DonateFunds records donated money. The funds are a shared row every
// purchase locks: it runs on the station's writer.
func (s *Service) DonateFunds(ctx context.Context, by civic.Actor, key idem.Key, r DonateFundsRequest) (dn Donation, err error) {
	defer civic.Wrap(&err, "station.DonateFunds(%s)", r.Donor)
	if err := mayStaff(by, r.Community); err != nil {
		return dn, err
	}
	if err := needCommunity(r.Community); err != nil {
		return dn, err
	}
	if err := checkAmount(r.AmountFen); err != nil {
		return dn, err
	}
	if r.Note, err = noteOf(r.Note); err != nil {
		return dn, err
	}
	return idem.Run(ctx, s.Idem, stockOp(r.Community, key, "station.donate_funds", r), func(tx *db.Tx) (Donation, error) {
		return donateFunds(ctx, tx, by, r, tx.Now())
	})
}

func donateFunds(ctx context.Context, tx *db.Tx, by civic.Actor, r DonateFundsRequest, at time.Time) (dn Donation, err error) {
	donor, err := getDonor(ctx, tx, r.Community, r.Donor)
	if err != nil {
		return dn, err
	}
	if err := ensureSettings(ctx, tx, r.Community); err != nil {
		return dn, err
	}
	// The guard holds the funds at civic.MaxFundsFen without ever adding past it.
	var rate int64
	err = tx.QueryRow(ctx, "UPDATE station_settings SET funds_fen = funds_fen + $2 WHERE community_id = $1 AND funds_fen <= $3 RETURNING fen_per_point",
		r.Community, r.AmountFen, civic.MaxFundsFen-r.AmountFen).Scan(&rate)
	if errors.Is(err, sql.ErrNoRows) {
		s, _ := GetSettings(ctx, tx, r.Community)
		return dn, civic.Errorf(civic.Invalid, "station.funds_full", "the donated funds hold ¥%s; ¥%s more would pass the most a station holds (¥%s)",
			Yuan(s.FundsFen), Yuan(r.AmountFen), Yuan(civic.MaxFundsFen))
	}
	if err != nil {
		return dn, err
	}
	dn = Donation{ID: civic.NewID(), DonorID: donor.ID, DonorName: donor.Name, Kind: "funds", AmountFen: r.AmountFen,
		Points: r.AmountFen / rate, Note: r.Note, At: at}
	return dn, insertDonation(ctx, tx, r.Community, dn, by)
}

func insertDonation(ctx context.Context, tx *db.Tx, communityID string, dn Donation, actor civic.Actor) error {
	_, err := tx.Exec(ctx, `INSERT INTO station_donations (community_id, id, donor_id, kind, good_id, quantity, amount_fen, points, note, actor_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, communityID, dn.ID, dn.DonorID, dn.Kind, dn.GoodID, dn.Quantity,
		dn.AmountFen, dn.Points, dn.Note, actor.UserID, db.Millis(dn.At))
	return err
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
	return db.Collect(rows, err, func(s db.Scanner) (dn Donation, err error) {
		var at int64
		err = s.Scan(&dn.ID, &dn.DonorID, &dn.DonorName, &dn.Kind, &dn.GoodID, &dn.GoodName, &dn.Quantity, &dn.AmountFen, &dn.Points, &dn.Note, &at)
		dn.At = db.FromMillis(at)
		return dn, err
	})
}
