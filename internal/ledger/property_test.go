package ledger_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/idem"
	"civicpoints/internal/ledger"
	"civicpoints/internal/station"

	"pgregory.net/rapid"
)

// model is what the ledger should hold, kept by the test from the answers it
// gets.
type model struct {
	balance, earned map[string]int64
	stock           map[string]int64
	price           map[string]int64
}

type op struct {
	key, hash string
	run       func(tx *db.Tx) (answer, error)
	// send, when set, runs the op as its own command instead of run under
	// idem.Run (a redemption is the station's command); conflict
	// sends another request under the same key.
	send     func(conflict bool) (answer string, replayed bool, err error)
	apply    func()            // the model's change when the op succeeds
	expect   func() civic.Code // the error the model predicts ("" for success)
	answer   string            // first answer, once it succeeded
	transfer string            // its transfer id
	reverse  *reversible       // what reversing it would do
}

// exec runs o once under its key (or, with conflict, another request under it).
func (o *op) exec(ctx context.Context, b *db.Batcher, d *db.DB, c string, conflict bool) (string, bool, error) {
	if o.send != nil {
		return o.send(conflict)
	}
	hash := o.hash
	if conflict {
		hash += "x"
	}
	rctx, replayed := idem.WithReplayFlag(ctx)
	st, err := idem.Run(rctx, idem.New(d, b, civic.SystemClock{}), idem.Op{Community: c, Key: idem.Key(o.key),
		Command: "ledger.property", Shard: "r", Request: hash, Batch: true}, o.run)
	return string(st.Body), *replayed, err
}

type reversible struct {
	kind      ledger.Kind
	resident  string
	points    int64
	good      string
	qty       int64
	reversed  bool
	isReverse bool
}

// Random sequences of awards, redemptions, reversals, replays and
// conflicting replays: after every step each transfer sums to zero, cached
// equals recomputed, nothing is negative, and replays change nothing.
func TestLedgerProperties(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		b := db.NewBatcher(d, 4, 64)
		defer b.Close()
		n := 0
		rapid.Check(t, func(rt *rapid.T) {
			n++
			runScenario(rt, d, b, fmt.Sprintf("p%d", n))
		})
	})
}

func runScenario(rt *rapid.T, d *db.DB, b *db.Batcher, slug string) {
	ctx := context.Background()
	c := dbtest.Community(rt, d, slug)
	rs := residents(rt, d, c, 3)
	m := model{balance: map[string]int64{}, earned: map[string]int64{}, stock: map[string]int64{}, price: map[string]int64{}}
	staff := worker
	staff.CommunityID = c
	svc := station.New(d, idem.New(d, b, civic.SystemClock{}), wired(d), civic.SystemClock{}, nil)
	var goods []string
	for i, p := range []int64{10, 25} {
		g, err := svc.CreateGood(ctx, staff, idem.Key(fmt.Sprintf("good%d", i)), station.CreateGoodRequest{Community: c, Name: fmt.Sprintf("good %d", i), Points: p, Stock: 4})
		if err != nil {
			rt.Fatal(err)
		}
		goods = append(goods, g.ID)
		m.stock[g.ID], m.price[g.ID] = 4, p
	}
	var done []*op
	steps := rapid.IntRange(1, 25).Draw(rt, "steps")
	for i := range steps {
		key := fmt.Sprintf("k%d", i)
		var o *op
		switch action := rapid.IntRange(0, 4).Draw(rt, "action"); {
		case action == 0 || len(done) == 0:
			o = awardOp(m, c, rapid.SampledFrom(rs).Draw(rt, "r"), rapid.Int64Range(1, 60).Draw(rt, "pts"), key)
		case action == 1:
			o = redeemOp(m, svc, staff, rapid.SampledFrom(rs).Draw(rt, "r"), rapid.SampledFrom(goods).Draw(rt, "g"), rapid.Int64Range(1, 3).Draw(rt, "q"), key)
		case action == 2:
			o = reverseOp(m, c, rapid.SampledFrom(done).Draw(rt, "of"), key)
		case action == 3: // replay: the first answer again, nothing changes
			prev := rapid.SampledFrom(done).Draw(rt, "replay")
			answer, replayed, err := prev.exec(ctx, b, d, c, false)
			if err != nil || !replayed || answer != prev.answer {
				rt.Fatalf("replay of %s: %v %v %s, want %s", prev.key, err, replayed, answer, prev.answer)
			}
		case action == 4: // same key, different request
			prev := rapid.SampledFrom(done).Draw(rt, "conflict")
			_, _, err := prev.exec(ctx, b, d, c, true)
			if civic.ErrorCode(err) != civic.IdempotencyConflict {
				rt.Fatalf("conflicting replay of %s: %v", prev.key, err)
			}
		}
		if o != nil {
			want := o.expect()
			answer, _, err := o.exec(ctx, b, d, c, false)
			if got := civic.ErrorCode(err); got != want {
				rt.Fatalf("step %d (%s): error %v, model expects %q", i, o.hash, err, want)
			}
			if err == nil {
				o.apply()
				o.answer = answer
				var res ledger.Result
				_ = json.Unmarshal([]byte(answer), &res)
				o.transfer = res.TransferID
				done = append(done, o)
			}
		}
		compare(rt, d, c, m, rs, goods)
	}
}

func compare(rt *rapid.T, d *db.DB, c string, m model, rs, goods []string) {
	ctx := context.Background()
	rep, err := ledger.Check(ctx, d, c)
	if err != nil || !rep.OK {
		rt.Fatalf("ledger check: %v %v", err, rep.Problems)
	}
	srep, err := station.Check(ctx, d, c)
	if err != nil || !srep.OK {
		rt.Fatalf("station check: %v %v", err, srep.Problems)
	}
	for _, r := range rs {
		a, err := ledger.GetAccount(ctx, d, c, r)
		if err != nil || a.Balance != m.balance[r] || a.Earned != m.earned[r] || a.Balance < 0 {
			rt.Fatalf("resident %s: %+v (%v), model balance %d earned %d", r, a, err, m.balance[r], m.earned[r])
		}
	}
	for _, g := range goods {
		got, _ := station.GetGood(ctx, d, c, g)
		if got.Stock != m.stock[g] || got.Stock < 0 {
			rt.Fatalf("good %s: stock %d, model %d", g, got.Stock, m.stock[g])
		}
	}
}

// answer is what an op stores under its key.
type answer struct {
	Status int
	Body   []byte
}

func stored(v any, err error) (answer, error) {
	if err != nil {
		return answer{}, err
	}
	body, _ := json.Marshal(v)
	return answer{Status: 201, Body: body}, nil
}

func awardOp(m model, c, r string, pts int64, key string) *op {
	o := &op{key: key, hash: fmt.Sprintf("award %s %d", r, pts)}
	o.run = func(tx *db.Tx) (answer, error) {
		return stored(ledger.AwardPoints(context.Background(), tx, ledger.Award{CommunityID: c, ResidentID: r, Points: pts, Reason: "help", Actor: worker, IdemKey: key}))
	}
	o.expect = func() civic.Code { return "" }
	o.apply = func() { m.balance[r] += pts; m.earned[r] += pts }
	o.reverse = &reversible{kind: ledger.KindAward, resident: r, points: pts}
	return o
}

// redeemOp is a basket through the station's command, under its own key.
func redeemOp(m model, svc *station.Service, staff civic.Actor, r, g string, q int64, key string) *op {
	o := &op{key: key, hash: fmt.Sprintf("redeem %s %s %d", r, g, q)}
	o.send = func(conflict bool) (string, bool, error) {
		req := station.RedeemRequest{Community: staff.CommunityID, Resident: r, Items: []station.Item{{GoodID: g, Quantity: q}}}
		if conflict {
			req.Items[0].Quantity++
		}
		ctx, replayed := idem.WithReplayFlag(context.Background())
		rc, err := svc.Redeem(ctx, staff, idem.Key(key), req)
		if err != nil {
			return "", false, err
		}
		body, _ := json.Marshal(ledger.Result{TransferID: rc.TransferID, Balance: rc.Balance})
		return string(body), *replayed, nil
	}
	cost := m.price[g] * q
	o.expect = func() civic.Code {
		switch {
		case m.stock[g] < q:
			return civic.OutOfStock
		case m.balance[r] < cost:
			return civic.InsufficientPoints
		}
		return ""
	}
	o.apply = func() { m.balance[r] -= cost; m.stock[g] -= q }
	o.reverse = &reversible{kind: ledger.KindRedemption, resident: r, points: cost, good: g, qty: q}
	return o
}

func reverseOp(m model, c string, of *op, key string) *op {
	rv := of.reverse
	o := &op{key: key, hash: "reverse " + of.transfer}
	o.run = func(tx *db.Tx) (answer, error) {
		res, _, err := wired(nil).Reverse(context.Background(), tx, c, of.transfer, "undo", worker, key)
		return stored(res, err)
	}
	o.expect = func() civic.Code {
		switch {
		case rv.isReverse:
			return civic.Invalid
		case rv.reversed:
			return civic.Conflict
		case rv.kind == ledger.KindAward && m.balance[rv.resident] < rv.points:
			return civic.InsufficientPoints
		}
		return ""
	}
	o.apply = func() {
		rv.reversed = true
		if rv.kind == ledger.KindAward {
			m.balance[rv.resident] -= rv.points
			m.earned[rv.resident] -= rv.points
		} else {
			m.balance[rv.resident] += rv.points
			m.stock[rv.good] += rv.qty
		}
	}
	o.reverse = &reversible{isReverse: true}
	return o
}
