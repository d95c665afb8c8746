package registry

import (
	"context"
	"database/sql"
	"runtime"
	"sync"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/ledger"
)

// querier is a *db.DB or a *db.Tx.
type querier interface {
	Query(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// applyChunk is how many residents are sealed ahead of the writer at a time.
const applyChunk = 4096

// applyTx writes the plan's good rows. It matches them again inside the
// transaction, so a row registered since the plan was made is not doubled.
func (s *Service) applyTx(ctx context.Context, tx *db.Tx, k *Keys, actor civic.Actor, p *Plan, res *ImportResult, progress func(done, total int)) error {
	if tx.Dialect() == db.SQLite {
		// A large import touches random pages of several hashed indexes; the
		// default 2 MB page cache spills them to the WAL over and over.
		// The setting is per connection, so it is put back afterwards.
		if _, err := tx.Exec(ctx, "PRAGMA cache_size = -1048576"); err != nil {
			return err
		}
		defer tx.Exec(context.WithoutCancel(ctx), "PRAGMA cache_size = -2000")
	}
	ex, err := s.loadExisting(ctx, tx, p.CommunityID)
	if err != nil {
		return err
	}
	st, err := settingsTx(ctx, tx, p.CommunityID)
	if err != nil {
		return err
	}
	c := p.CommunityID
	now := s.Clock.Now()
	// The estates' counts follow every household and resident written, and
	// are added in one statement per estate and colour at the end.
	cnt := counts{}
	homes, err := s.importHouseholds(ctx, tx, cnt, ex, c, p.ok, res, db.Millis(now))
	if err != nil {
		return err
	}
	// Which rows are new is decided in file order: a row without an ID
	// number matches an earlier row of the same file by name, birth date and
	// household, as it would match a registered resident.
	var fresh []int
	for i, pr := range p.ok {
		if ex.matches(pr) {
			res.Existing++
			continue
		}
		if pr.idHash != "" {
			ex.idHashes[pr.idHash] = true
		}
		ex.people[homes[i].ID+"\x1f"+pr.c.name+"\x1f"+pr.c.birth.Format(dateLayout)] = true
		fresh = append(fresh, i)
	}
	w, err := newResidentWriter(ctx, tx, actor, c, st, now, cnt)
	if err != nil {
		return err
	}
	defer w.close()
	sctx, stop := context.WithCancel(ctx)
	defer stop() // lets the sealing goroutine go when a write fails
	ids := make([]string, 0, len(fresh))
	for ch := range sealAhead(sctx, k, p.ok, homes, fresh, w.today, st) {
		for _, r := range ch {
			if err := w.add(ctx, r); err != nil {
				return err
			}
			ids = append(ids, r.id)
		}
		if progress != nil && len(ids) < len(fresh) {
			progress(len(p.ok)-len(fresh)+len(ids), len(p.ok))
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := w.finish(ctx); err != nil {
		return err
	}
	if err := cnt.apply(ctx, tx, c); err != nil {
		return err
	}
	if err := ledger.OpenAccounts(ctx, tx, c, ids); err != nil {
		return err
	}
	res.Added = len(ids)
	if progress != nil && len(p.ok) > 0 {
		progress(len(p.ok), len(p.ok))
	}
	return nil
}

// sealed is a new resident ready to write: ID number and phone sealed and
// hashed, colours derived.
type sealed struct {
	pr                                     *prepared
	h                                      Household
	id, ref, birth, movedIn                string
	idEnc, idMasked, phoneEnc, phoneMasked string
	idHash, idTail, phoneHash              any
	set                                    Set
	changeIDs                              []string
	moveID                                 string
}

// sealAhead seals the fresh rows in chunks on every core, a chunk ahead of
// the writer, and delivers them in file order. It stops when ctx ends.
func sealAhead(ctx context.Context, k *Keys, ok []prepared, homes []Household, fresh []int, today time.Time, st Settings) <-chan []sealed {
	out := make(chan []sealed, 1)
	go func() {
		defer close(out)
		for start := 0; start < len(fresh); start += applyChunk {
			part := fresh[start:min(start+applyChunk, len(fresh))]
			ch := make([]sealed, len(part))
			parallel(len(part), func(j int) {
				i := part[j]
				ch[j] = seal(k, &ok[i], homes[i], today, st)
			})
			select {
			case out <- ch:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

func seal(k *Keys, pr *prepared, h Household, today time.Time, st Settings) sealed {
	r := sealed{pr: pr, h: h, id: civic.NewID(), ref: newRef(), moveID: civic.NewID(),
		birth: pr.c.birth.Format(dateLayout), movedIn: pr.c.movedIn.Format(dateLayout),
		idEnc: k.Seal(pr.c.id), idMasked: maskOrEmpty(pr.c.id, MaskID),
		phoneEnc: k.Seal(pr.c.phone), phoneHash: k.hashOrNil("phone", pr.c.phone), phoneMasked: maskOrEmpty(pr.c.phone, MaskPhone),
		set: derive(pr.c.birth, today, st.ElderlyAge, h.Tenure, h.Disability, false)}
	if pr.idHash != "" {
		r.idHash, r.idTail = pr.idHash, k.hashOrNil("idtail", pr.c.id[14:])
	}
	for _, col := range r.set.List() {
		if col != White {
			r.changeIDs = append(r.changeIDs, civic.NewID())
		}
	}
	return r
}

// parallel calls fn(0) … fn(n-1) on every core and waits for them.
func parallel(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), (n+255)/256)
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var wg sync.WaitGroup
	per := (n + workers - 1) / workers
	for lo := 0; lo < n; lo += per {
		hi := min(lo+per, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := lo; i < hi; i++ {
				fn(i)
			}
		}()
	}
	wg.Wait()
}

// residentWriter writes new residents with their colour labels, colour
// history and move-in record.
type residentWriter struct {
	actor                             civic.Actor
	c                                 string
	st                                Settings
	ms                                int64
	today                             time.Time
	day                               string
	residents, labels, changes, moves *batch
	cnt                               counts
}

func newResidentWriter(ctx context.Context, tx *db.Tx, actor civic.Actor, c string, st Settings, now time.Time, cnt counts) (w *residentWriter, err error) {
	w = &residentWriter{actor: actor, c: c, st: st, ms: db.Millis(now), today: Today(now), cnt: cnt}
	w.day = w.today.Format(dateLayout)
	if w.residents, err = newBatch(ctx, tx, "residents", `community_id, id, household_id, estate_id, name, gender, birth_date,
		id_enc, id_hash, id_tail_hash, id_masked, phone_enc, phone_hash, phone_masked, relation, code_ref, moved_in,
		colours, primary_colour, visit_due, created_at, updated_at, shadow_primary, shadow_due`); err != nil {
		return nil, err
	}
	if w.labels, err = newBatch(ctx, tx, "resident_colours", "community_id, resident_id, colour, estate_id, since"); err != nil {
		return nil, err
	}
	w.labels.after = w.residents
	if w.changes, err = newBatch(ctx, tx, "colour_changes", "community_id, id, resident_id, colour, added, reason, actor_id, actor_name, at"); err != nil {
		return nil, err
	}
	if w.moves, err = newBatch(ctx, tx, "resident_moves", "community_id, id, resident_id, kind, from_household, to_household, on_date, reason, actor_id, actor_name, at"); err != nil {
		return nil, err
	}
	return w, nil
}

func (w *residentWriter) add(ctx context.Context, r sealed) error {
	var due any
	if w.st.Cadence(r.set.Primary()) > 0 {
		due = w.day
	}
	c, pr, ms := w.c, r.pr, w.ms
	if err := w.residents.add(ctx, c, r.id, r.h.ID, r.h.EstateID, pr.c.name, pr.c.gender, r.birth,
		r.idEnc, r.idHash, r.idTail, r.idMasked, r.phoneEnc, r.phoneHash, r.phoneMasked, pr.c.relation, r.ref,
		r.movedIn, int(r.set), string(r.set.Primary()), due, ms, ms, string(r.set.Primary()), due); err != nil {
		return err
	}
	j := 0
	for _, col := range r.set.List() {
		if col == White {
			continue
		}
		if err := w.labels.add(ctx, c, r.id, string(col), r.h.EstateID, ms); err != nil {
			return err
		}
		if err := w.changes.add(ctx, c, r.changeIDs[j], r.id, string(col), 1, "registry.reason_imported", w.actor.UserID, w.actor.Name, ms); err != nil {
			return err
		}
		j++
	}
	w.cnt.resident(r.h.EstateID, r.set, 1)
	return w.moves.add(ctx, c, r.moveID, r.id, "in", "", r.h.ID, r.movedIn, "registry.reason_imported", w.actor.UserID, w.actor.Name, ms)
}

// finish writes the residents before what references them.
func (w *residentWriter) finish(ctx context.Context) error {
	for _, b := range []*batch{w.residents, w.labels, w.changes, w.moves} {
		if err := b.finish(ctx); err != nil {
			return err
		}
	}
	return nil
}

func (w *residentWriter) close() {
	for _, b := range []*batch{w.residents, w.labels, w.changes, w.moves} {
		b.close()
	}
}
