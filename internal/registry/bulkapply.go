package registry

import (
	"context"
	"database/sql"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/ledger"
)

// querier is a *db.DB or a *db.Tx.
type querier interface {
	Query(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// applyTx writes the plan's good rows. It matches them again inside the
// transaction, so a row registered since the plan was made is not doubled.
func (s *Service) applyTx(ctx context.Context, tx *db.Tx, k *Keys, actor civic.Actor, p *Plan, res *ImportResult, progress func(done, total int)) error {
	if tx.Dialect() == db.SQLite {
		// A large import touches random pages of several hashed indexes; the
		// default 2 MB page cache spills them to the WAL over and over.
		// The setting is per connection, so it is put back afterwards.
		if _, err := tx.Exec(ctx, "PRAGMA cache_size = -262144"); err != nil {
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
	now := s.Clock.Now()
	ms, today := db.Millis(now), Today(now)
	day := today.Format(dateLayout)
	residents := newBatch(tx, `INSERT INTO residents (community_id, id, household_id, estate_id, name, gender, birth_date,
		id_enc, id_hash, id_tail_hash, id_masked, phone_enc, phone_hash, phone_masked, relation, code_ref, moved_in,
		colours, primary_colour, visit_due, created_at, updated_at)`, 22)
	labels := newBatch(tx, "INSERT INTO resident_colours (community_id, resident_id, colour, estate_id, since)", 5)
	labels.size = residents.size * len(Colours) // labels reference residents: flushed right after them
	changes := newBatch(tx, "INSERT INTO colour_changes (community_id, id, resident_id, colour, added, reason, actor_id, actor_name, at)", 9)
	moves := newBatch(tx, "INSERT INTO resident_moves (community_id, id, resident_id, kind, from_household, to_household, on_date, reason, actor_id, actor_name, at)", 11)
	c := p.CommunityID
	for i, pr := range p.ok {
		if err := ctx.Err(); err != nil {
			return err
		}
		h, err := s.importHousehold(ctx, tx, ex, c, pr, res)
		if err != nil {
			return err
		}
		if ex.matches(k, pr) {
			res.Existing++
			continue
		}
		id := civic.NewID()
		set := derive(pr.c.birth, today, st.ElderlyAge, h.Tenure, h.Disability, false)
		var due, tail any
		if st.Cadence(set.Primary()) > 0 {
			due = day
		}
		if pr.c.id != "" {
			tail = k.hashOrNil("idtail", pr.c.id[14:])
		}
		idHash := k.hashOrNil("id", pr.c.id)
		if err := residents.add(ctx, c, id, h.ID, h.EstateID, pr.c.name, pr.c.gender, pr.c.birth.Format(dateLayout),
			k.Seal(pr.c.id), idHash, tail, maskOrEmpty(pr.c.id, MaskID),
			k.Seal(pr.c.phone), k.hashOrNil("phone", pr.c.phone), maskOrEmpty(pr.c.phone, MaskPhone), pr.c.relation, newRef(),
			pr.c.movedIn.Format(dateLayout), int(set), string(set.Primary()), due, ms, ms); err != nil {
			return err
		}
		for _, col := range set.List() {
			if col == White {
				continue
			}
			if err := labels.add(ctx, c, id, string(col), h.EstateID, ms); err != nil {
				return err
			}
			if err := changes.add(ctx, c, civic.NewID(), id, string(col), 1, "registry.reason_imported", actor.UserID, actor.Name, ms); err != nil {
				return err
			}
		}
		if err := moves.add(ctx, c, civic.NewID(), id, "in", "", h.ID, pr.c.movedIn.Format(dateLayout), "registry.reason_imported", actor.UserID, actor.Name, ms); err != nil {
			return err
		}
		if pr.c.id != "" {
			ex.idHashes[idHash.(string)] = true
		}
		ex.people[h.ID+"\x1f"+pr.c.name+"\x1f"+pr.c.birth.Format(dateLayout)] = true
		res.Added++
		// Accounts reference residents: flush residents before opening them.
		if residents.n == 0 {
			if err := labels.flush(ctx); err != nil {
				return err
			}
			if err := s.openAccounts(ctx, tx, c, residents); err != nil {
				return err
			}
		}
		if progress != nil && (i%1000 == 999 || i == len(p.ok)-1) {
			progress(i+1, len(p.ok))
		}
	}
	for _, b := range []*batch{residents, labels, changes, moves} {
		if err := b.flush(ctx); err != nil {
			return err
		}
	}
	return s.openAccounts(ctx, tx, c, residents)
}

// openAccounts opens the points account of every resident written so far
// that has none; the ledger's OpenAccount is idempotent.
func (s *Service) openAccounts(ctx context.Context, tx *db.Tx, communityID string, b *batch) error {
	for _, id := range b.written {
		if err := ledger.OpenAccount(ctx, tx, communityID, id); err != nil {
			return err
		}
	}
	b.written = b.written[:0]
	return nil
}

func (s *Service) importHousehold(ctx context.Context, tx *db.Tx, ex *existing, c string, pr prepared, res *ImportResult) (Household, error) {
	if h, ok := ex.households[pr.householdK]; ok {
		return h, nil
	}
	eid, ok := ex.estates[pr.estate]
	if !ok {
		e, err := s.ensureEstate(ctx, tx, c, pr.estate, "")
		if err != nil {
			return Household{}, err
		}
		eid = e.ID
		ex.estates[pr.estate] = eid
		res.Estates++
	}
	h := pr.house
	h.EstateID = eid
	h, err := s.ensureHousehold(ctx, tx, c, h)
	if err != nil {
		return h, err
	}
	ex.households[pr.householdK] = h
	res.Households++
	return h, nil
}
