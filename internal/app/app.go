// Package app wires the capabilities into one running installation: it opens
// the database, builds each service and composes the HTTP handler. The CLI and
// end-to-end tests both start civicpoints through it.
package app

import (
	"context"
	"log/slog"

	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/config"
	"civicpoints/internal/credit"
	"civicpoints/internal/db"
	"civicpoints/internal/district"
	"civicpoints/internal/earning"
	"civicpoints/internal/garden"
	"civicpoints/internal/idem"
	"civicpoints/internal/ledger"
	"civicpoints/internal/registry"
	"civicpoints/internal/station"
)

// App is one running installation.
type App struct {
	Cfg   *config.Config
	DB    *db.DB
	Clock civic.Clock
	Log   *slog.Logger
	Auth  *auth.Service

	Registry *registry.Service
	// Ledger reverses transfers; every capability's undo is wired to it here.
	Ledger *ledger.Service
	// Batch commits point-moving writes together (group commit).
	Batch *db.Batcher
	// Idem runs every command once per idempotency key (internal/idem).
	Idem *idem.Store
	// Earning: the indicator catalogue, activities, suggestions and awards.
	Earning *earning.Service
	// Station: goods, stock, donations, orders and redemptions.
	Station *station.Service
	// Codes issues and verifies residents' credit codes.
	Codes *credit.Codes
	// District: districts and their communities.
	District *district.Service
	// Credit: the districts' credit rules, levels, level changes, consent.
	Credit *credit.Service
	// Garden: the shared garden's operators, plots, adoptions, tasks and reminders.
	Garden *garden.Service
}

// Open connects to cfg.DB, applies migrations when cfg.Migrate is set (else
// refuses pending ones) and builds the services.
func Open(ctx context.Context, cfg *config.Config, log *slog.Logger) (_ *App, err error) {
	d, err := db.Open(ctx, cfg.DB)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			d.Close()
		}
	}()
	if cfg.Migrate {
		applied, err := d.Migrate(ctx)
		if err != nil {
			return nil, err
		}
		if len(applied) > 0 {
			log.Info("migrated", "applied", len(applied))
		}
	} else if err := d.RequireCurrent(ctx); err != nil {
		return nil, err
	}
	return New(cfg, d, civic.SystemClock{}, log), nil
}

// New builds the services over an open, migrated database.
func New(cfg *config.Config, d *db.DB, clock civic.Clock, log *slog.Logger) *App {
	d.Clock = clock // every write stores the one injected clock's time (tx.Now)
	a := &App{Cfg: cfg, DB: d, Clock: clock, Log: log}
	a.Auth = auth.New(d, clock)
	if cfg.SessionTTL > 0 {
		a.Auth.SessionTTL = cfg.SessionTTL
	}
	a.Registry = registry.New(d, clock, log, cfg.SecretKey)
	a.Auth.Residents = a.Registry // an admin gives only registered residents a login
	a.Batch = db.NewBatcher(d, batchWriters, batchSize)
	a.Codes = credit.NewCodes(d, clock, a.Registry)
	// Workers scan residents' codes at activities through the same check as
	// the station counter: the credit service's.
	a.Idem = idem.New(d, a.Batch, clock)
	a.Registry.Idem = a.Idem // one store for every command
	a.Ledger = ledger.New(d, a.Idem)
	a.Earning = earning.New(d, clock, a.Registry, a.Codes, a.Batch, a.Ledger, a.Idem)
	a.Station = station.New(d, a.Idem, a.Ledger, clock, a.Registry)
	a.District = district.New(d, a.Idem, clock, a.Auth)
	a.District.OnCommunity = a.Earning.SeedDefaults // a new community starts with the default catalogue
	a.Credit = credit.New(d, a.Idem, clock, a.District, a.Registry)
	a.Garden = garden.New(d, a.Idem, clock, func(ctx context.Context) (garden.Sealer, error) { return a.Registry.Keys(ctx) },
		a.Auth, a.Registry)
	wireUndos(a.Ledger)
	// Every award and reversal that crosses a level's threshold records the
	// level change in its own transaction.
	a.Ledger.OnEarned(a.Credit.OnEarned)
	return a
}

// wireUndos tells the ledger what reversing each capability's transfers
// undoes beside the postings. A source kind left out here makes its
// reversals fail loudly (ledger.Service.Reverse) rather than leave stock or
// caps behind.
func wireUndos(lg *ledger.Service) {
	for _, k := range earning.SourceKinds {
		lg.OnReverse(k, earning.UndoAward)
	}
	lg.OnReverse(station.SourceOrder, station.UndoRedemption)
}

// Close releases the database.
func (a *App) Close() error {
	a.Batch.Close()
	return a.DB.Close()
}

// Group commit: SQLite has one writer; PostgreSQL commits on several
// connections at once (its round trips, not its fsyncs, are the limit), each
// batch holding up to batchSize requests.
const (
	batchWriters = 16
	batchSize    = 256
)
