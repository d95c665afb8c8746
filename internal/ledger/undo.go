package ledger

import (
	"context"
	"fmt"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
)

// Undo undoes, in the reversal's own transaction, what a capability did
// beside a transfer that is being reversed: the station puts a redemption's
// goods back, earning frees the caps an award used.
type Undo func(ctx context.Context, tx *db.Tx, orig, reversal Transfer, actor civic.Actor) error

// Service reverses transfers. It knows, per source kind, what undoing a
// transfer means beyond its postings; app.New wires every capability's Undo
// with OnReverse, so every path that reverses (the API, the pages, the release
// of uncollected orders) undoes the same things, and a source kind nobody
// wired fails loudly instead of leaving stock or caps behind.
type Service struct {
	DB *db.DB
	// Idem runs the ledger's commands (ReverseTransfer) once per key; nil
	// for a service that only reverses inside its callers' transactions.
	Idem   *idem.Store
	undos  map[string][]Undo
	earned []EarnedHook
}

// New returns the ledger's service over d, its commands run through st.
func New(d *db.DB, st *idem.Store) *Service {
	return &Service{DB: d, Idem: st, undos: map[string][]Undo{}}
}

// OnReverse registers what reversing a transfer from sourceKind ("order",
// "indicator", …) undoes. Wire it once, in app.New, before serving.
func (s *Service) OnReverse(sourceKind string, u Undo) {
	s.undos[sourceKind] = append(s.undos[sourceKind], u)
}

func (s *Service) runUndos(ctx context.Context, tx *db.Tx, orig, reversal Transfer, actor civic.Actor) error {
	us, ok := s.undos[orig.Source.Kind]
	if !ok && orig.Source.Kind != "" {
		return fmt.Errorf("ledger: nothing is wired to undo a %q transfer (ledger.Service.OnReverse in app.New)", orig.Source.Kind)
	}
	for _, u := range us {
		if err := u(ctx, tx, orig, reversal, actor); err != nil {
			return err
		}
	}
	return nil
}
