package api_test

import (
	"context"
	"strings"
	"testing"

	"civicpoints/internal/civic"
	"civicpoints/internal/idem"
	"civicpoints/internal/station"
)

// Planted sensitive values: the crawl (privacy_test.go) looks for them in
// every answer.
const (
	canaryID    = "330802195603140025"
	canaryPhone = "13957012345"
)

func registrySteps(w *world) []step {
	return []step{
		{name: "estates", role: "worker", method: "GET", path: "/registry/estates", want: 200, learn: map[string]string{"estate": "items.id"}},
		{name: "add estate", role: "worker", method: "POST", path: "/registry/estates", want: 201, body: `{"name":"春江花园","address":"春江路 18 号"}`,
			learn: map[string]string{"estate2": "id"}},
		{name: "add household", role: "worker", method: "POST", path: "/registry/households", want: 201, learn: map[string]string{"hh": "id"},
			body: `{"estate_id":"{estate2}","building":"3","unit":"2","room":"301","disability":false}`},
		{name: "add resident", role: "worker", method: "POST", path: "/registry/residents", want: 201, learn: map[string]string{"zhang": "id"},
			body: `{"household_id":"{hh}","name":"张丽华","gender":"F","id_number":"` + canaryID + `","phone":"` + canaryPhone + `","relation":"户主"}`},
		{name: "search", role: "worker", method: "GET", path: "/registry/residents?estate={estate2}&name=张", want: 200,
			check: func(t *testing.T, a answer) {
				if !strings.Contains(string(a.raw), `"name":"张丽华"`) || !strings.Contains(string(a.raw), `"colours":["blue"]`) {
					t.Errorf("search: %s", a.raw)
				}
			}},
		{name: "bad colour", role: "worker", method: "GET", path: "/registry/residents?colour=pink", want: 400},
		{name: "resident", role: "worker", method: "GET", path: "/registry/residents/{zhang}", want: 200,
			check: func(t *testing.T, a answer) {
				if a.field("id_masked") == "" || a.field("phone_masked") == "" {
					t.Errorf("record without the masked ID and phone: %s", a.raw)
				}
			}},
		{name: "rental", role: "worker", method: "PUT", path: "/registry/households/{hh}", want: 201,
			body: `{"tenure":"rental","disability":false,"reason":"出租"}`},
		{name: "colours", role: "worker", method: "GET", path: "/registry/residents/{zhang}/colours", want: 200,
			check: func(t *testing.T, a answer) {
				if !strings.Contains(string(a.raw), `"colour":"yellow"`) {
					t.Errorf("colour history without yellow: %s", a.raw)
				}
			}},
		{name: "households", role: "worker", method: "GET", path: "/registry/households?estate={estate}&limit=1", want: 200},
		{name: "households need estate", role: "worker", method: "GET", path: "/registry/households", want: 400},
		{name: "household", role: "worker", method: "GET", path: "/registry/households/{hh}", want: 200},
		{name: "visit", role: "worker", method: "POST", path: "/registry/visits", want: 201,
			body: `{"resident_id":"{zhang}","method":"door","notes":"身体状况良好"}`},
		{name: "visits", role: "worker", method: "GET", path: "/registry/visits?resident={zhang}", want: 200},
		{name: "visits need one", role: "worker", method: "GET", path: "/registry/visits", want: 400},
		{name: "due", role: "worker", method: "GET", path: "/registry/visits/due?limit=5", want: 200},
		{name: "counts", role: "worker", method: "GET", path: "/registry/counts", want: 200},
		{name: "move", role: "worker", method: "POST", path: "/registry/residents/{r0}/moves", want: 201,
			body: `{"to_household_id":"{hh}","reason":"子女家中照料"}`},
		{name: "leave", role: "worker", method: "POST", path: "/registry/residents/{r5}/departure", want: 201, body: `{"reason":"迁往杭州"}`},
		{name: "left is gone", role: "worker", method: "GET", path: "/residents?limit=500", want: 200,
			check: func(t *testing.T, a answer) {
				if strings.Contains(string(a.raw), w.vars["r5"]) {
					t.Errorf("a resident who left is listed: %s", a.raw)
				}
			}},
	}
}

func stationSteps(w *world) []step {
	ctx := context.Background()
	order := func(t *testing.T, _ answer) {
		resident := civic.Actor{UserID: "u-r0", Role: civic.RoleResident, CommunityID: w.scratch.CommunityID, ResidentID: w.vars["r0"]}
		rc, err := w.app.Station.Redeem(ctx, resident, idem.Key("shop-"+w.vars["r0"]), station.RedeemRequest{Community: w.scratch.CommunityID,
			Resident: w.vars["r0"], Items: []station.Item{{GoodID: w.vars["oil"], Quantity: 1}}, Channel: station.ChannelOnline})
		if err != nil {
			t.Fatal(err)
		}
		w.vars["order"], w.vars["pickup"] = rc.OrderID, rc.PickupCode
	}
	return []step{
		{name: "add good", role: "clerk", method: "POST", path: "/goods", want: 201, learn: map[string]string{"oil": "id"},
			body: `{"name":"食用油 1.8L","unit":"桶","points":25,"stock":20}`},
		{name: "edit good", role: "worker", method: "PUT", path: "/goods/{oil}", want: 201, body: `{"name":"食用油 1.8L","unit":"桶","points":20}`},
		{name: "stock by moves only", role: "worker", method: "PUT", path: "/goods/{oil}", want: 400, body: `{"name":"x","points":20,"stock":5}`},
		{name: "all goods", role: "clerk", method: "GET", path: "/goods?all=true", want: 200},
		{name: "all goods not for merchants", role: "merchant", method: "GET", path: "/goods?all=true", want: 403},
		{name: "write off", role: "clerk", method: "POST", path: "/goods/{oil}/write-offs", want: 201, body: `{"quantity":2,"reason":"包装破损"}`},
		{name: "stock take", role: "clerk", method: "POST", path: "/goods/{oil}/stock-takes", want: 201, body: `{"counted":17,"reason":"月末盘点"}`,
			check: func(t *testing.T, a answer) {
				if a.field("stock_after") != "17" || a.field("delta") != "-1" {
					t.Errorf("stock take: %s", a.raw)
				}
			}},
		{name: "moves", role: "clerk", method: "GET", path: "/goods/{oil}/moves?limit=2", want: 200, learn: map[string]string{"mc": "next_cursor"}},
		{name: "moves page 2", role: "clerk", method: "GET", path: "/goods/{oil}/moves?limit=2&cursor={mc}", want: 200,
			check: func(t *testing.T, a answer) {
				if a.field("items.kind") != "initial" {
					t.Errorf("the second page should end at the opening stock: %s", a.raw)
				}
			}},
		{name: "bad cursor", role: "clerk", method: "GET", path: "/goods/{oil}/moves?cursor=abc", want: 400},
		{name: "add donor", role: "worker", method: "POST", path: "/donors", want: 201, learn: map[string]string{"donor": "id"},
			body: `{"name":"衢江农商银行","kind":"bank","thanks":true}`},
		{name: "donate goods", role: "clerk", method: "POST", path: "/donations/goods", want: 201, body: `{"donor_id":"{donor}","good_id":"{oil}","quantity":10}`},
		{name: "donate funds", role: "worker", method: "POST", path: "/donations/funds", want: 201, body: `{"donor_id":"{donor}","amount_fen":500000}`},
		{name: "donors", role: "clerk", method: "GET", path: "/donors", want: 200},
		{name: "donations", role: "clerk", method: "GET", path: "/donations?limit=1", want: 200, learn: map[string]string{"dc": "next_cursor"}},
		{name: "donations 2", role: "clerk", method: "GET", path: "/donations?limit=1&cursor={dc}", want: 200},
		{name: "purchase", role: "worker", method: "POST", path: "/purchases", want: 201,
			body: `{"good_id":"{oil}","quantity":5,"amount_fen":30000,"supplier":"衢州粮油公司"}`},
		{name: "settings", role: "clerk", method: "GET", path: "/station/settings", want: 200},
		{name: "save settings", role: "worker", method: "PUT", path: "/station/settings", want: 201,
			body: `{"fen_per_point":100,"cover_threshold_pct":80,"release_days":7}`},
		{name: "cover", role: "district", method: "GET", path: "/station/cover", want: 200},
		{name: "award for the shop", role: "worker", method: "POST", path: "/awards", want: 201,
			body: `{"resident_id":"{r0}","points":50,"indicator":"suggestion_adopted","reason":"金点子"}`, check: order},
		{name: "orders", role: "clerk", method: "GET", path: "/orders", want: 200,
			check: func(t *testing.T, a answer) {
				if a.field("items.id") != w.vars["order"] || strings.Contains(string(a.raw), w.vars["pickup"]) {
					t.Errorf("orders: want the order without its pickup code: %s", a.raw)
				}
			}},
		{name: "resident's orders", role: "clerk", method: "GET", path: "/orders?resident={r0}", want: 200},
		{name: "order", role: "worker", method: "GET", path: "/orders/{order}", want: 200},
		{name: "pickup", role: "clerk", method: "POST", path: "/pickups", want: 201, body: `{"code":"{pickup}"}`,
			check: func(t *testing.T, a answer) {
				if a.field("status") != "fulfilled" && a.field("status") != "collected" {
					t.Errorf("pickup: %s", a.raw)
				}
			}},
		{name: "redeem", role: "clerk", method: "POST", path: "/redemptions", want: 201,
			body: `{"resident_id":"{r0}","items":[{"good_id":"{oil}","quantity":1}]}`},
	}
}
