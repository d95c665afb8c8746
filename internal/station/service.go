package station

import (
	"context"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
	"civicpoints/internal/ledger"
)

// Service runs the station's commands. Every change a person or the
// platform can ask for (a basket, a pickup, a release, a stock move, a
// donation, a good, the settings) is one method taking the actor, the
// idempotency key and a typed request: it checks the actor's right,
// validates, and runs through internal/idem. The counter page, the
// resident's shop and the API call the same methods. Reads (goods, orders,
// moves, donors, cover, reports) stay functions over a db.Querier.
type Service struct {
	DB     *db.DB
	Idem   *idem.Store
	Ledger *ledger.Service // reverses the redemption of an uncollected order
	Clock  civic.Clock     // outside a transaction; inside one, tx.Now()
	Names  Names           // nil: orders carry no masked name
}

// Names gives residents' masked names (internal/registry), printed on
// receipts and shown on the pickup list.
type Names interface {
	MaskedNames(ctx context.Context, communityID string, residentIDs []string) (map[string]string, error)
}

// New builds the station's service; app.New builds it once.
func New(d *db.DB, store *idem.Store, lg *ledger.Service, clock civic.Clock, names Names) *Service {
	return &Service{DB: d, Idem: store, Ledger: lg, Clock: clock, Names: names}
}

// mayStaff lets the station's staff through: its clerk and the community's
// workers (and the platform itself).
func mayStaff(by civic.Actor, communityID string) error {
	return by.May(communityID, civic.RoleClerk, civic.RoleWorker)
}

// stockOp is the run of a command that moves stock, points or funds. Every
// such command of a community runs on the station's writer through the
// group committer: goods and funds are shared rows, and one writer locking
// them means two batches never lock them in opposite orders.
func stockOp(communityID string, key idem.Key, command string, req any) idem.Op {
	return idem.Op{Community: communityID, Key: key, Command: command, Shard: idem.Station(communityID), Request: req, Batch: true}
}

// plainOp is the run of a command that moves nothing shared (a donor, the
// settings, a pickup), in a transaction of its own.
func plainOp(communityID string, key idem.Key, command string, req any) idem.Op {
	return idem.Op{Community: communityID, Key: key, Command: command, Shard: idem.Community(communityID), Request: req}
}

// label is a resident's masked name, kept on their orders.
func (s *Service) label(ctx context.Context, communityID, residentID string) (string, error) {
	if s.Names == nil {
		return "", nil
	}
	names, err := s.Names.MaskedNames(ctx, communityID, []string{residentID})
	return names[residentID], err
}

func needCommunity(communityID string) error {
	if communityID == "" {
		return civic.Errorf(civic.Invalid, "station.no_community", "the request names no community")
	}
	return nil
}

// isSystem is the platform acting itself (the release job, the demo).
func isSystem(by civic.Actor) bool {
	return by.UserID == civic.System.UserID && by.Role == civic.System.Role
}
