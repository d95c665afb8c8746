package idem_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/idem"
)

// Commands of resident shards run pipelined on PostgreSQL (many at once in
// one transaction, the key stored by a plain INSERT): twins under one key
// still make one effect and get one answer, a different request under a
// used key is still refused, and every other command still happens once.
func TestRunPipelinedTwinsAndConflicts(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		ctx := context.Background()
		s := setup(t, d)
		run := func(key idem.Key, resident string, n int) (addAnswer, error) {
			r := addReq{Name: resident, N: n}
			return idem.Run(ctx, s, idem.Op{Community: "c1", Key: key, Command: "test.add", Shard: idem.Resident("c1", resident), Request: r, Batch: true},
				func(tx *db.Tx) (addAnswer, error) {
					_, err := tx.Exec(ctx, "INSERT INTO idem_scratch (name, n) VALUES ($1, $2)", r.Name, r.N)
					return addAnswer{ID: civic.NewID(), Total: n}, err
				})
		}
		const residents = 24
		var wg sync.WaitGroup
		answers := make([][]addAnswer, residents)
		errs := make([][]error, residents)
		for i := range residents {
			answers[i], errs[i] = make([]addAnswer, 4), make([]error, 4)
			for k := range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					switch k {
					case 0, 1: // twins: the same request under the resident's key
						answers[i][k], errs[i][k] = run(idem.Key(fmt.Sprint("twin-", i)), fmt.Sprint("r", i), 1)
					case 2: // another resident's request under a key shared with its neighbour
						answers[i][k], errs[i][k] = run(idem.Key(fmt.Sprint("shared-", i/2)), fmt.Sprint("r", i), 10)
					case 3: // a command of its own
						answers[i][k], errs[i][k] = run(idem.Key(fmt.Sprint("own-", i)), fmt.Sprint("r", i), 100)
					}
				}()
			}
		}
		wg.Wait()
		conflicts := 0
		for i := range residents {
			if errs[i][0] != nil || errs[i][1] != nil || answers[i][0].ID != answers[i][1].ID {
				t.Errorf("resident %d twins: %v / %v, answers %v %v", i, errs[i][0], errs[i][1], answers[i][0].ID, answers[i][1].ID)
			}
			if errs[i][3] != nil {
				t.Errorf("resident %d own command: %v", i, errs[i][3])
			}
			switch code := civic.ErrorCode(errs[i][2]); {
			case errs[i][2] == nil:
			case code == civic.IdempotencyConflict:
				conflicts++
			default:
				t.Errorf("resident %d shared key: %v", i, errs[i][2])
			}
		}
		if conflicts != residents/2 {
			t.Errorf("%d conflicts under shared keys, want %d (one per pair)", conflicts, residents/2)
		}
		var ones, tens, hundreds int
		if err := d.QueryRow(ctx, "SELECT COUNT(CASE WHEN n = 1 THEN 1 END), COUNT(CASE WHEN n = 10 THEN 1 END), COUNT(CASE WHEN n = 100 THEN 1 END) FROM idem_scratch").
			Scan(&ones, &tens, &hundreds); err != nil {
			t.Fatal(err)
		}
		if d.Dialect == db.Postgres && s.Batch.Pipelined() == 0 {
			t.Error("no batch ran pipelined on PostgreSQL")
		}
		if ones != residents || tens != residents/2 || hundreds != residents {
			t.Errorf("effects: %d twins, %d shared, %d own; want %d, %d, %d", ones, tens, hundreds, residents, residents/2, residents)
		}
	})
}
