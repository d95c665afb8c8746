package station

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/ledger"
)

// Item is a line of a basket.
type Item struct {
	GoodID   string `json:"good_id"`
	Quantity int64  `json:"quantity"`
}

// Redemption is a basket a resident pays for with points.
type Redemption struct {
	CommunityID string
	ResidentID  string
	Items       []Item
	Channel     string // counter, online or api
	Actor       civic.Actor
	IdemKey     string
}

// Receipt is the outcome of a redemption.
type Receipt struct {
	OrderID    string `json:"order_id"`
	TransferID string `json:"transfer_id"`
	Balance    int64  `json:"balance"`
	Points     int64  `json:"points"`
}

// Redeem takes the stock of every item and the resident's points in the
// caller's transaction: all or nothing.
func Redeem(ctx context.Context, tx *db.Tx, r Redemption) (rc Receipt, err error) {
	defer civic.Wrap(&err, "station.Redeem(%s)", r.ResidentID)
	items, err := normalise(r.Items)
	if err != nil {
		return rc, err
	}
	if r.Channel == "" {
		r.Channel = "api"
	}
	rc.OrderID = civic.NewID()
	var names []string
	prices := map[string]int64{}
	for _, it := range items {
		price, name, err := take(ctx, tx, r.CommunityID, it)
		if err != nil {
			return rc, err
		}
		prices[it.GoodID] = price
		rc.Points += price * it.Quantity
		names = append(names, fmt.Sprintf("%s×%d", name, it.Quantity))
		if err := recordMove(ctx, tx, r.CommunityID, it.GoodID, -it.Quantity, "redemption", rc.OrderID, "", r.Actor); err != nil {
			return rc, err
		}
	}
	res, err := ledger.Redeem(ctx, tx, ledger.Spend{
		CommunityID: r.CommunityID, ResidentID: r.ResidentID, Points: rc.Points,
		Source: ledger.Source{Kind: "order", ID: rc.OrderID}, Reason: strings.Join(names, ", "),
		Actor: r.Actor, IdemKey: r.IdemKey,
	})
	if err != nil {
		return rc, err
	}
	rc.TransferID, rc.Balance = res.TransferID, res.Balance
	status := "completed"
	if r.Channel == "online" {
		status = "reserved"
	}
	now := time.Now().UnixMilli()
	if _, err := tx.Exec(ctx, `INSERT INTO station_orders (community_id, id, resident_id, transfer_id, channel, status, points, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`, r.CommunityID, rc.OrderID, r.ResidentID, rc.TransferID, r.Channel, status, rc.Points, now); err != nil {
		return rc, err
	}
	for _, it := range items {
		if _, err := tx.Exec(ctx, `INSERT INTO station_order_items (community_id, order_id, good_id, quantity, points_each) VALUES ($1, $2, $3, $4, $5)`,
			r.CommunityID, rc.OrderID, it.GoodID, it.Quantity, prices[it.GoodID]); err != nil {
			return rc, err
		}
	}
	return rc, nil
}

// take decrements one good's stock in a guarded statement, so concurrent
// redemptions can never sell the same last unit twice.
func take(ctx context.Context, tx *db.Tx, communityID string, it Item) (price int64, name string, err error) {
	err = tx.QueryRow(ctx, `UPDATE station_goods SET stock = stock - $3
		WHERE community_id = $1 AND id = $2 AND active = 1 AND stock >= $3 RETURNING points, name`,
		communityID, it.GoodID, it.Quantity).Scan(&price, &name)
	if !errors.Is(err, sql.ErrNoRows) {
		return price, name, err
	}
	g, gerr := GetGood(ctx, tx, communityID, it.GoodID)
	switch {
	case gerr != nil:
		return 0, "", gerr
	case !g.Active:
		return 0, "", civic.Errorf(civic.Invalid, "station.good_inactive", "%s is no longer offered", g.Name)
	default:
		return 0, "", civic.Errorf(civic.OutOfStock, "station.out_of_stock", "%s: %d in stock, %d wanted", g.Name, g.Stock, it.Quantity)
	}
}

// normalise rejects empty baskets and non-positive quantities, merges
// repeated goods and sorts by id so every transaction locks goods in the same
// order (no deadlocks between concurrent baskets).
func normalise(items []Item) ([]Item, error) {
	if len(items) == 0 {
		return nil, civic.Errorf(civic.Invalid, "station.empty_basket", "the basket is empty")
	}
	merged := map[string]int64{}
	for _, it := range items {
		if it.Quantity <= 0 {
			return nil, civic.Errorf(civic.Invalid, "station.bad_quantity", "quantity must be 1 or more, not %d", it.Quantity)
		}
		if it.GoodID == "" {
			return nil, civic.Errorf(civic.Invalid, "station.no_good_id", "an item has no good")
		}
		merged[it.GoodID] += it.Quantity
	}
	out := make([]Item, 0, len(merged))
	for id, q := range merged {
		out = append(out, Item{GoodID: id, Quantity: q})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].GoodID < out[j].GoodID })
	return out, nil
}

// Return undoes a redemption that a ledger reversal has just reversed: the
// stock goes back and the order is marked returned, in the same transaction.
func Return(ctx context.Context, tx *db.Tx, communityID string, orig ledger.Transfer, actor civic.Actor) (err error) {
	if orig.Kind != ledger.KindRedemption || orig.Source.Kind != "order" {
		return nil
	}
	orderID := orig.Source.ID
	defer civic.Wrap(&err, "station.Return(%s)", orderID)
	rows, err := tx.Query(ctx, "SELECT good_id, quantity FROM station_order_items WHERE community_id = $1 AND order_id = $2 ORDER BY good_id",
		communityID, orderID)
	if err != nil {
		return err
	}
	var items []Item
	for rows.Next() {
		var it Item
		if err := rows.Scan(&it.GoodID, &it.Quantity); err != nil {
			rows.Close()
			return err
		}
		items = append(items, it)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, it := range items {
		if _, err := tx.Exec(ctx, "UPDATE station_goods SET stock = stock + $3 WHERE community_id = $1 AND id = $2",
			communityID, it.GoodID, it.Quantity); err != nil {
			return err
		}
		if err := recordMove(ctx, tx, communityID, it.GoodID, it.Quantity, "return", orderID, "reversal", actor); err != nil {
			return err
		}
	}
	_, err = tx.Exec(ctx, "UPDATE station_orders SET status = 'returned', updated_at = $3 WHERE community_id = $1 AND id = $2",
		communityID, orderID, time.Now().UnixMilli())
	return err
}
