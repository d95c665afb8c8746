package ledger_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"sync/atomic"
	"testing"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/idem"
	"civicpoints/internal/ledger"
)

// BenchmarkAwards measures the ledger alone (no HTTP, no catalogue checks):
// parallel idempotent awards through the group committer, durable commits.
//
//	go test ./internal/ledger -run '^$' -bench Awards -cpu 16
func BenchmarkAwards(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchAwards(b, dbtest.SQLite(b)) })
	if os.Getenv("CIVICPOINTS_TEST_PG") != "" {
		b.Run("postgres", func(b *testing.B) { benchAwards(b, dbtest.Postgres(b)) })
	}
}

func benchAwards(b *testing.B, d *db.DB) {
	ctx := context.Background()
	c := dbtest.Community(b, d, "bench")
	rs := residents(b, d, c, 1000)
	batch := db.NewBatcher(d, 16, 256)
	defer batch.Close()
	store := idem.New(d, batch, civic.SystemClock{})
	var n atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			r := rs[rand.IntN(len(rs))]
			_, err := idem.Run(ctx, store, idem.Op{Community: c, Key: idem.Key(fmt.Sprint("k", i)), Command: "ledger.bench",
				Shard: idem.Resident(c, r), Request: r, Batch: true}, func(tx *db.Tx) (answer, error) {
				return stored(ledger.AwardPoints(ctx, tx, ledger.Award{CommunityID: c, ResidentID: r, Points: 1, Reason: "bench", Actor: worker}))
			})
			if err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	commits, jobs := batch.Stats()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "awards/s")
	b.ReportMetric(float64(jobs)/float64(max(commits, 1)), "awards/commit")
}
