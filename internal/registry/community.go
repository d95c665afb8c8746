// Package registry keeps communities, estates, households and residents,
// their colours and care visits, and imports residents from files.
//
// Every change is a command on Service (see service.go): the actor, an
// idempotency key and a typed request, run once through internal/idem.
// Every read that shows a sensitive field goes through the one viewer that
// decides what may be seen and audits it (view.go).
package registry

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// Community is one 社区, the unit every record belongs to.
type Community struct {
	ID         string
	Slug       string
	Name       string
	District   string // the district's name, for display
	DistrictID string // the district the community belongs to (internal/district)
	PointsName string // what the community calls its points, such as 春江分
	CreatedAt  time.Time
}

// CommunityBySlug finds a community by its slug.
func CommunityBySlug(ctx context.Context, d *db.DB, slug string) (c Community, err error) {
	defer civic.Wrap(&err, "registry.CommunityBySlug(%s)", slug)
	return community(ctx, d, "slug", slug)
}

// CommunityByID finds a community by its id.
func CommunityByID(ctx context.Context, d *db.DB, id string) (c Community, err error) {
	defer civic.Wrap(&err, "registry.CommunityByID(%s)", id)
	return community(ctx, d, "id", id)
}

const communityCols = "id, slug, name, district, district_id, points_name, created_at"

func scanCommunity(row db.Scanner) (c Community, err error) {
	var created int64
	err = row.Scan(&c.ID, &c.Slug, &c.Name, &c.District, &c.DistrictID, &c.PointsName, &created)
	c.CreatedAt = db.FromMillis(created)
	return c, err
}

// community reads the community whose column (id or slug, both unique) has value.
func community(ctx context.Context, d *db.DB, column, value string) (Community, error) {
	c, err := scanCommunity(d.QueryRow(ctx, "SELECT "+communityCols+" FROM communities WHERE "+column+" = $1", value))
	if errors.Is(err, sql.ErrNoRows) {
		return c, civic.Errorf(civic.NotFound, "registry.community_not_found", "no community %q", value)
	}
	return c, err
}

// CreateCommunity inserts a community, or returns the existing one with that
// slug, so seeding twice changes nothing. Without a DistrictID the database
// links it to the district named District (migration 0800); the district
// capability's CreateCommunity names the district.
func CreateCommunity(ctx context.Context, tx *db.Tx, c Community) (_ Community, err error) {
	defer civic.Wrap(&err, "registry.CreateCommunity(%s)", c.Slug)
	if c.ID == "" {
		c.ID = civic.NewID()
	}
	old, err := scanCommunity(tx.QueryRow(ctx, "SELECT "+communityCols+" FROM communities WHERE slug = $1", c.Slug))
	if err == nil {
		return old, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return c, err
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = tx.Now()
	}
	_, err = tx.Exec(ctx, "INSERT INTO communities (id, slug, name, district, district_id, points_name, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
		c.ID, c.Slug, c.Name, c.District, c.DistrictID, c.PointsName, db.Millis(c.CreatedAt))
	if err != nil || c.DistrictID != "" {
		return c, err
	}
	return scanCommunity(tx.QueryRow(ctx, "SELECT "+communityCols+" FROM communities WHERE id = $1", c.ID))
}

// Communities lists every community by slug (a district has tens, a
// province thousands: small enough to list).
func Communities(ctx context.Context, d *db.DB) (out []Community, err error) {
	defer civic.Wrap(&err, "registry.Communities")
	rows, err := d.Query(ctx, "SELECT "+communityCols+" FROM communities ORDER BY slug")
	return db.Collect(rows, err, scanCommunity)
}

// CommunitiesIn lists a district's communities by slug (tens per district),
// through the communities_district index.
func CommunitiesIn(ctx context.Context, q db.Querier, districtID string) (out []Community, err error) {
	defer civic.Wrap(&err, "registry.CommunitiesIn(%s)", districtID)
	rows, err := q.Query(ctx, "SELECT "+communityCols+" FROM communities WHERE district_id = $1 ORDER BY slug", districtID)
	return db.Collect(rows, err, scanCommunity)
}
