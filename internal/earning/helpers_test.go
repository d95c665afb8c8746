package earning_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/earning"
	"civicpoints/internal/idem"
	"civicpoints/internal/ledger"
)

// fakeResidents stands in for the registry: residents are active unless left.
type fakeResidents struct {
	mu   sync.Mutex
	left map[string]bool
	all  map[string]bool
}

func (f *fakeResidents) ResidentActive(_ context.Context, _, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case !f.all[id]:
		return civic.Errorf(civic.NotFound, "registry.not_found", "no resident %s", id)
	case f.left[id]:
		return civic.Errorf(civic.Invalid, "registry.resident_left", "resident %s has left the community", id)
	}
	return nil
}

// fakeCodes reads "CODE:<resident>" as a valid resident code.
type fakeCodes struct{}

func (fakeCodes) ResidentFromCode(_ context.Context, _, code string) (string, error) {
	if len(code) > 5 && code[:5] == "CODE:" {
		return code[5:], nil
	}
	return "", civic.Errorf(civic.Invalid, "credit.code_invalid", "not a resident code")
}

type fixture struct {
	s     *earning.Service
	d     *db.DB
	c     string
	clock *civic.FixedClock
	res   *fakeResidents
	ids   []string
}

var (
	worker = func(c string) civic.Actor {
		return civic.Actor{UserID: "w1", Name: "王社工", Role: civic.RoleWorker, CommunityID: c}
	}
	ctx = context.Background()
)

func resident(c, id string) civic.Actor {
	return civic.Actor{UserID: "u-" + id, Name: id, Role: civic.RoleResident, CommunityID: c, ResidentID: id}
}

// setup gives a community with the default catalogue and n residents, at
// 10:00 Shanghai on 2024-05-15.
func setup(t *testing.T, d *db.DB, n int) fixture {
	t.Helper()
	c := dbtest.Community(t, d, "chunjiang")
	clock := civic.NewFixedClock(time.Date(2024, 5, 15, 10, 0, 0, 0, civic.Shanghai))
	f := fixture{d: d, c: c, clock: clock, res: &fakeResidents{left: map[string]bool{}, all: map[string]bool{}}}
	err := d.WithTx(ctx, func(tx *db.Tx) error {
		for i := range n {
			id := fmt.Sprintf("r%03d", i)
			f.ids = append(f.ids, id)
			f.res.all[id] = true
			if err := ledger.OpenAccount(ctx, tx, c, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	f.s = earning.New(d, clock, f.res, fakeCodes{}, nil, nil, nil)
	t.Cleanup(f.s.Batcher.Close)
	if err := f.s.SeedDefaults(ctx, c); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f fixture) balance(t *testing.T, id string) int64 {
	t.Helper()
	a, err := ledger.GetAccount(ctx, f.d, f.c, id)
	if err != nil {
		t.Fatal(err)
	}
	return a.Balance
}

func wantKey(t *testing.T, err error, key string) {
	t.Helper()
	e := civic.AsError(err)
	if e == nil || e.Key != key {
		t.Fatalf("error = %v, want key %s", err, key)
	}
}

// newKey is a fresh idempotency key: each call in these tests is a new request.
func newKey() idem.Key { return idem.Key(civic.NewID()) }

// attend is the attendance request a test means by a method and a value:
// the resident ticked, the code scanned, or the activity code the actor
// (a resident) typed.
func attend(by civic.Actor, c, activity string, m earning.Method, value string) earning.AttendRequest {
	r := earning.AttendRequest{Community: c, Activity: activity, Method: m}
	switch m {
	case earning.Tick:
		r.Resident = value
	case earning.Scan:
		r.Code = value
	default:
		r.Resident, r.Code = by.ResidentID, value
	}
	return r
}

// cancel withdraws a resident's sign-up.
func (f fixture) cancel(by civic.Actor, c, activity, resident string) error {
	_, err := f.s.Withdraw(ctx, by, newKey(), earning.WithdrawRequest{Community: c, Activity: activity, Resident: resident})
	return err
}
