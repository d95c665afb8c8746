package ledger

import (
	"context"
	"sync"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// Undo undoes, in the reversal's own transaction, what a capability did
// beside a transfer that is being reversed: the station puts a redemption's
// goods back, earning frees the caps an award used. Capabilities register
// theirs with OnReverse, so every path that reverses a transfer (the API,
// the pages, the release of uncollected orders) undoes the same things.
type Undo func(ctx context.Context, tx *db.Tx, orig, reversal Transfer, actor civic.Actor) error

var (
	undoMu sync.RWMutex
	undos  []Undo
)

// OnReverse registers an Undo; capabilities call it from an init function.
func OnReverse(u Undo) {
	undoMu.Lock()
	undos = append(undos, u)
	undoMu.Unlock()
}

func runUndos(ctx context.Context, tx *db.Tx, orig, reversal Transfer, actor civic.Actor) error {
	undoMu.RLock()
	defer undoMu.RUnlock()
	for _, u := range undos {
		if err := u(ctx, tx, orig, reversal, actor); err != nil {
			return err
		}
	}
	return nil
}
