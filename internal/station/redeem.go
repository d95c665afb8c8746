package station

import (
	"context"
	"crypto/rand"
	"fmt"
	"sort"
	"strings"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
	"civicpoints/internal/ledger"
)

// Item is a line of a basket.
type Item struct {
	GoodID   string `json:"good_id"`
	Quantity int64  `json:"quantity"`
}

// Channels an order comes through.
const (
	ChannelCounter = "counter"
	ChannelOnline  = "online"
	ChannelAPI     = "api"
)

// RedeemRequest is a basket paid with points, at the counter, online from
// the resident's shop or through the API.
type RedeemRequest struct {
	Community string `json:"community"`
	Resident  string `json:"resident"`
	Items     []Item `json:"items"`
	// Channel is the door the basket came through. Like the actor, it is
	// not part of what makes two requests the same: one basket sent under
	// one key through the counter page and through the API is one
	// redemption, and the second door gets the first answer.
	Channel string `json:"-"`
}

// validate checks the channel and merges and sorts the basket's lines (so
// the same basket in another order is the same request).
func (r *RedeemRequest) validate() (err error) {
	if err := needCommunity(r.Community); err != nil {
		return err
	}
	if r.Resident == "" {
		return civic.Errorf(civic.Invalid, "station.no_resident", "the basket names no resident")
	}
	switch r.Channel {
	case ChannelCounter, ChannelOnline, ChannelAPI:
	default:
		return civic.Errorf(civic.Invalid, "station.bad_channel", "unknown channel %q", r.Channel)
	}
	r.Items, err = normalise(r.Items)
	return err
}

// mayRedeem: a resident orders online for themself only; staff redeem at
// the counter or through the API, never as a resident's online order.
func mayRedeem(by civic.Actor, r RedeemRequest) error {
	if isSystem(by) {
		return nil
	}
	if by.Role == civic.RoleResident && by.ResidentID != r.Resident {
		return civic.Errorf(civic.Forbidden, "station.not_your_basket", "a resident may redeem only their own points")
	}
	if (by.Role == civic.RoleResident) != (r.Channel == ChannelOnline) {
		return civic.Errorf(civic.Forbidden, "station.channel_refused", "a %s may not redeem through the %s channel", string(by.Role), r.Channel)
	}
	return nil
}

// Redeem takes the stock of every item and the resident's points in one
// transaction: all or nothing. A counter or API redemption is completed at
// once; an online one is reserved until the resident picks it up (Fulfil)
// or the community's release days pass (ReleaseDue).
func (s *Service) Redeem(ctx context.Context, by civic.Actor, key idem.Key, r RedeemRequest) (rc Receipt, err error) {
	defer civic.Wrap(&err, "station.Redeem(%s)", r.Resident)
	if err := by.May(r.Community, civic.RoleClerk, civic.RoleWorker, civic.RoleResident); err != nil {
		return rc, err
	}
	if r.Channel == "" {
		r.Channel = ChannelAPI
	}
	if err := mayRedeem(by, r); err != nil {
		return rc, err
	}
	if err := r.validate(); err != nil {
		return rc, err
	}
	var label string
	op := stockOp(r.Community, key, "station.redeem", r)
	op.Check = func(ctx context.Context) (err error) {
		label, err = s.label(ctx, r.Community, r.Resident)
		return err
	}
	return idem.Run(ctx, s.Idem, op, func(tx *db.Tx) (Receipt, error) {
		return redeem(ctx, tx, by, r, label, string(key), tx.Now())
	})
}

// Line is an item of a receipt.
type Line struct {
	GoodID   string `json:"good_id"`
	Name     string `json:"name"`
	Unit     string `json:"unit,omitempty"`
	Quantity int64  `json:"quantity"`
	Points   int64  `json:"points_each"`
}

// Receipt is the outcome of a redemption.
type Receipt struct {
	OrderID    string `json:"order_id"`
	Number     string `json:"number"`
	PickupCode string `json:"pickup_code,omitempty"`
	TransferID string `json:"transfer_id"`
	Balance    int64  `json:"balance"`
	Points     int64  `json:"points"`
	Lines      []Line `json:"lines,omitempty"`
}

// redeem is a validated basket's redemption at a time (tx.Now(), or the
// demo's past), labelled with the resident's masked name.
func redeem(ctx context.Context, tx *db.Tx, by civic.Actor, r RedeemRequest, label, idemKey string, at time.Time) (rc Receipt, err error) {
	items := r.Items
	rc.OrderID = civic.NewID()
	rc.Number = orderNumber(rc.OrderID, at)
	var names []string
	for _, it := range items {
		g, err := GetGood(ctx, tx, r.Community, it.GoodID)
		if err != nil {
			return rc, err
		}
		if !g.Active {
			return rc, civic.Errorf(civic.Invalid, "station.good_inactive", "%s is no longer offered", g.Name)
		}
		value, err := lineValue(g, it.Quantity)
		if err != nil {
			return rc, err
		}
		// Each line is at most 10¹¹ points, so the sum cannot wrap; it is
		// refused past the most one transfer may move, with the basket's figure.
		if rc.Points += value; rc.Points > civic.MaxPoints {
			return rc, civic.Errorf(civic.Invalid, "station.basket_too_dear", "the basket costs more than %d points, the most one redemption may", civic.MaxPoints)
		}
		if _, err := shift(ctx, tx, Move{CommunityID: r.Community, GoodID: it.GoodID, Delta: -it.Quantity, Kind: MoveRedemption, RefID: rc.OrderID, At: at}, by); err != nil {
			return rc, err
		}
		rc.Lines = append(rc.Lines, Line{GoodID: g.ID, Name: g.Name, Unit: g.Unit, Quantity: it.Quantity, Points: g.Points})
		names = append(names, fmt.Sprintf("%s×%d", g.Name, it.Quantity))
	}
	res, err := ledger.Redeem(ctx, tx, ledger.Spend{
		CommunityID: r.Community, ResidentID: r.Resident, Points: rc.Points,
		Source: ledger.Source{Kind: SourceOrder, ID: rc.OrderID}, Reason: strings.Join(names, ", "),
		Actor: by, IdemKey: idemKey, At: at,
	})
	if err != nil {
		return rc, err
	}
	rc.TransferID, rc.Balance = res.TransferID, res.Balance
	status, releaseAfter := "completed", int64(0)
	if r.Channel == ChannelOnline {
		s, err := GetSettings(ctx, tx, r.Community)
		if err != nil {
			return rc, err
		}
		status, rc.PickupCode = "reserved", pickupCode()
		releaseAfter = db.Millis(at.Add(time.Duration(s.ReleaseDays) * 24 * time.Hour))
	}
	now := db.Millis(at)
	if _, err := tx.Exec(ctx, `INSERT INTO station_orders (community_id, id, resident_id, transfer_id, channel, status, points, created_at, updated_at,
		number, pickup_code, label, release_after) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10, $11, $12)`,
		r.Community, rc.OrderID, r.Resident, rc.TransferID, r.Channel, status, rc.Points, now,
		rc.Number, rc.PickupCode, label, releaseAfter); err != nil {
		return rc, err
	}
	for _, l := range rc.Lines {
		if _, err := tx.Exec(ctx, `INSERT INTO station_order_items (community_id, order_id, good_id, quantity, points_each) VALUES ($1, $2, $3, $4, $5)`,
			r.Community, rc.OrderID, l.GoodID, l.Quantity, l.Points); err != nil {
			return rc, err
		}
	}
	return rc, nil
}

// orderNumber is the printed redemption number: the Shanghai date and eight
// characters of the order's random id (unique per community by index).
func orderNumber(orderID string, at time.Time) string {
	return at.In(civic.Shanghai).Format("20060102") + "-" + strings.ToUpper(orderID[len(orderID)-8:])
}

// pickupAlphabet leaves out 0/O and 1/I so a code read aloud or typed is not misread.
const pickupAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

// pickupCode is an online order's code: "OD" and 10 random characters (50 bits).
func pickupCode() string {
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = pickupAlphabet[int(b[i])%len(pickupAlphabet)]
	}
	return "OD" + string(b)
}

// normalise rejects empty or overlong baskets and quantities out of bounds,
// merges repeated goods (their sum within bounds too) and sorts by id so
// every transaction locks goods in the same order (no deadlocks between
// concurrent baskets).
func normalise(items []Item) ([]Item, error) {
	if len(items) == 0 {
		return nil, civic.Errorf(civic.Invalid, "station.empty_basket", "the basket is empty")
	}
	if len(items) > MaxBasketLines {
		return nil, civic.Errorf(civic.Invalid, "station.basket_long", "a basket may hold at most %d lines, not %d", MaxBasketLines, len(items))
	}
	merged := map[string]int64{}
	for _, it := range items {
		if err := checkQuantity(it.Quantity); err != nil {
			return nil, err
		}
		if it.GoodID == "" {
			return nil, civic.Errorf(civic.Invalid, "station.no_good_id", "an item has no good")
		}
		merged[it.GoodID] += it.Quantity // both at most MaxStock: no overflow
		if err := checkQuantity(merged[it.GoodID]); err != nil {
			return nil, err
		}
	}
	out := make([]Item, 0, len(merged))
	for id, q := range merged {
		out = append(out, Item{GoodID: id, Quantity: q})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].GoodID < out[j].GoodID })
	return out, nil
}

// SourceOrder is the source kind of redemptions: reversing one must run
// UndoRedemption (app.New wires it).
const SourceOrder = "order"

// UndoRedemption puts a reversed redemption's goods back on the shelf and
// closes its order: "returned", or "released" when the reversal is the
// release of an uncollected online order (which claims the order first).
func UndoRedemption(ctx context.Context, tx *db.Tx, orig, reversal ledger.Transfer, actor civic.Actor) (err error) {
	if orig.Kind != ledger.KindRedemption || orig.Source.Kind != SourceOrder {
		return nil
	}
	orderID := orig.Source.ID
	defer civic.Wrap(&err, "station.UndoRedemption(%s)", orderID)
	var status string
	if err := tx.QueryRow(ctx, "SELECT status FROM station_orders WHERE community_id = $1 AND id = $2", orig.CommunityID, orderID).Scan(&status); err != nil {
		return err
	}
	kind, closed := MoveReturn, StatusReturned
	if status == StatusReleased {
		kind, closed = MoveRelease, StatusReleased
	}
	return restock(ctx, tx, orig.CommunityID, orderID, kind, closed, reversal.ID, actor, reversal.CreatedAt)
}

// restock puts an order's goods back on the shelf and closes the order.
func restock(ctx context.Context, tx *db.Tx, communityID, orderID string, kind MoveKind, status, reversalID string, actor civic.Actor, at time.Time) error {
	rows, err := tx.Query(ctx, "SELECT good_id, quantity FROM station_order_items WHERE community_id = $1 AND order_id = $2 ORDER BY good_id",
		communityID, orderID)
	items, err := db.Collect(rows, err, func(s db.Scanner) (it Item, err error) {
		err = s.Scan(&it.GoodID, &it.Quantity)
		return it, err
	})
	if err != nil {
		return err
	}
	for _, it := range items {
		if _, err := shift(ctx, tx, Move{CommunityID: communityID, GoodID: it.GoodID, Delta: it.Quantity, Kind: kind, RefID: orderID, Reason: "reversal", At: at}, actor); err != nil {
			return err
		}
	}
	_, err = tx.Exec(ctx, `UPDATE station_orders SET status = $3, updated_at = $4, closed_at = $4, closed_by = $5, close_transfer_id = $6
		WHERE community_id = $1 AND id = $2`, communityID, orderID, status, db.Millis(at), actor.UserID, reversalID)
	return err
}
