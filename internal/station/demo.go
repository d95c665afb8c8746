package station

import (
	"context"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// DemoBacking is what the demo donors give, in points (DESIGN.md §1).
const DemoBacking = 10000

type demoGood struct {
	name, unit, category string
	points, quantity     int64
}

// demoGoods are priced as Chunjiang prices them: 1 point ≈ 1 yuan.
var demoGoods = []demoGood{
	{"东北大米 5kg", "袋", "grain", 40, 20}, {"本地早米 10kg", "袋", "grain", 70, 8}, {"小包装大米 2.5kg", "袋", "grain", 22, 15},
	{"高筋面粉 2.5kg", "袋", "grain", 20, 12}, {"挂面 1kg", "包", "grain", 8, 30}, {"小米 1kg", "袋", "grain", 15, 10},
	{"杂粮礼包", "盒", "grain", 45, 5}, {"菜籽油 5L", "桶", "oil", 75, 10}, {"花生油 1.8L", "桶", "oil", 42, 12},
	{"玉米油 900ml", "瓶", "oil", 18, 15}, {"芝麻油 220ml", "瓶", "oil", 12, 15}, {"酱油 500ml", "瓶", "household", 8, 20},
	{"米醋 500ml", "瓶", "household", 6, 15}, {"食盐 400g", "包", "household", 3, 25}, {"白砂糖 1kg", "袋", "household", 9, 10},
	{"洗衣液 2kg", "瓶", "household", 25, 15}, {"洗衣粉 1.5kg", "袋", "household", 15, 12}, {"洗洁精 1.5kg", "瓶", "household", 12, 18},
	{"抽纸 6包", "提", "household", 15, 20}, {"卷纸 10卷", "提", "household", 20, 15}, {"垃圾袋 3卷", "包", "household", 6, 25},
	{"保鲜膜", "卷", "household", 8, 10}, {"不锈钢保温杯", "个", "household", 50, 4}, {"毛巾两条装", "套", "personal", 15, 15},
	{"牙膏 120g", "支", "personal", 8, 20}, {"牙刷四支装", "套", "personal", 10, 15}, {"香皂三块装", "套", "personal", 10, 15},
	{"洗发水 400ml", "瓶", "personal", 28, 8}, {"沐浴露 400ml", "瓶", "personal", 25, 8}, {"雨伞", "把", "household", 30, 5},
	{"儿童文具套装", "套", "stationery", 20, 8}, {"笔记本 5本", "套", "stationery", 12, 10},
}

// SeedDemo stocks the demo station (DESIGN.md §1): 32 goods, three donors
// backing them with goods and funds worth DemoBacking points, a purchase from
// the funds, counter redemptions over the past months by residents who have
// points, and one online order of the first resident waiting for pickup.
// Running it again changes nothing. It is the platform's own seeding, not a
// person's command: it writes through the commands' bodies at past times.
func SeedDemo(ctx context.Context, d *db.DB, communityID string, residentIDs []string, now time.Time) (err error) {
	defer civic.Wrap(&err, "station.SeedDemo(%s)", communityID)
	var n int64
	if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM station_donations WHERE community_id = $1", communityID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	clerk := civic.Actor{UserID: "demo-clerk", Name: "驿站管理员", Role: civic.RoleClerk, CommunityID: communityID}
	start := now.AddDate(0, -5, 0)
	goods := make([]Good, len(demoGoods))
	err = d.WithTx(ctx, func(tx *db.Tx) error {
		charity, err := createDonor(ctx, tx, communityID, Donor{Name: "衢江区慈善协会", Kind: DonorAssociation, Thanks: true}, start)
		if err != nil {
			return err
		}
		bank, err := createDonor(ctx, tx, communityID, Donor{Name: "衢江农村商业银行", Kind: DonorBank, Thanks: true}, start)
		if err != nil {
			return err
		}
		food, err := createDonor(ctx, tx, communityID, Donor{Name: "浙西粮油食品有限公司", Kind: DonorCompany, Thanks: true}, start)
		if err != nil {
			return err
		}
		var inKind int64
		for i, dg := range demoGoods {
			if goods[i], err = createGood(ctx, tx, communityID, Good{Name: dg.name, Unit: dg.unit, Category: dg.category, Points: dg.points}, clerk, start); err != nil {
				return err
			}
			donor := charity
			if dg.category == "grain" || dg.category == "oil" {
				donor = food
			}
			dn, err := donateGoods(ctx, tx, clerk, DonateGoodsRequest{Community: communityID, Donor: donor.ID, Good: goods[i].ID, Quantity: dg.quantity},
				start.Add(time.Duration(i)*time.Hour))
			if err != nil {
				return err
			}
			inKind += dn.Points
		}
		// The bank gives the rest in funds (1 yuan backs 1 point by default);
		// part of it buys more rice.
		if _, err := donateFunds(ctx, tx, clerk, DonateFundsRequest{Community: communityID, Donor: bank.ID,
			AmountFen: (DemoBacking - inKind) * DefaultSettings.FenPerPoint, Note: "年度公益捐款"}, start.AddDate(0, 1, 0)); err != nil {
			return err
		}
		_, err = recordPurchase(ctx, tx, clerk, PurchaseRequest{Community: communityID, Good: goods[0].ID, Quantity: 10, AmountFen: 38000,
			Supplier: "春江农贸市场"}, start.AddDate(0, 2, 0))
		return err
	})
	if err != nil {
		return err
	}
	return demoRedemptions(ctx, d, communityID, residentIDs, goods, clerk, start, now)
}

// demoRedemptions spreads counter redemptions over the months since start;
// residents without enough points are skipped.
func demoRedemptions(ctx context.Context, d *db.DB, communityID string, residentIDs []string, goods []Good, clerk civic.Actor, start, now time.Time) error {
	for i, rid := range residentIDs {
		if i >= 40 {
			break
		}
		if i == 0 {
			continue // the demo resident keeps their points for the shop
		}
		g := goods[(i*7)%len(goods)]
		at := start.Add(time.Duration(i) * (now.Sub(start) / 41))
		err := d.WithTx(ctx, func(tx *db.Tx) error {
			_, err := redeem(ctx, tx, clerk, RedeemRequest{Community: communityID, Resident: rid, Channel: ChannelCounter,
				Items: []Item{{GoodID: g.ID, Quantity: 1}}}, "", "", at)
			return err
		})
		if c := civic.ErrorCode(err); c != "" && c != civic.InsufficientPoints && c != civic.NotFound && c != civic.Invalid {
			return err
		}
	}
	if len(residentIDs) == 0 {
		return nil
	}
	err := d.WithTx(ctx, func(tx *db.Tx) error {
		_, err := redeem(ctx, tx, civic.Actor{UserID: "demo-resident", Role: civic.RoleResident, CommunityID: communityID, ResidentID: residentIDs[0]},
			RedeemRequest{Community: communityID, Resident: residentIDs[0], Channel: ChannelOnline, Items: []Item{{GoodID: goods[4].ID, Quantity: 1}}}, "", "", now)
		return err
	})
	if c := civic.ErrorCode(err); c == civic.InsufficientPoints || c == civic.NotFound {
		return nil
	}
	return err
}
