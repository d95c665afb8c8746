// Package registry keeps communities, estates, households and residents.
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
	District   string
	PointsName string // what the community calls its points, such as 春江分
	CreatedAt  time.Time
}

// CommunityBySlug finds a community by its slug.
func CommunityBySlug(ctx context.Context, d *db.DB, slug string) (c Community, err error) {
	defer civic.Wrap(&err, "registry.CommunityBySlug(%s)", slug)
	var created int64
	err = d.QueryRow(ctx, "SELECT id, slug, name, district, points_name, created_at FROM communities WHERE slug = $1", slug).
		Scan(&c.ID, &c.Slug, &c.Name, &c.District, &c.PointsName, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return c, civic.Errorf(civic.NotFound, "registry.community_not_found", "no community %q", slug)
	}
	c.CreatedAt = db.FromMillis(created)
	return c, err
}

// CommunityByID finds a community by its id.
func CommunityByID(ctx context.Context, d *db.DB, id string) (c Community, err error) {
	defer civic.Wrap(&err, "registry.CommunityByID(%s)", id)
	var created int64
	err = d.QueryRow(ctx, "SELECT id, slug, name, district, points_name, created_at FROM communities WHERE id = $1", id).
		Scan(&c.ID, &c.Slug, &c.Name, &c.District, &c.PointsName, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return c, civic.Errorf(civic.NotFound, "registry.community_not_found", "no community %q", id)
	}
	c.CreatedAt = db.FromMillis(created)
	return c, err
}

// CreateCommunity inserts a community, or returns the existing one with that
// slug, so seeding twice changes nothing.
func CreateCommunity(ctx context.Context, tx *db.Tx, c Community) (_ Community, err error) {
	defer civic.Wrap(&err, "registry.CreateCommunity(%s)", c.Slug)
	if c.ID == "" {
		c.ID = civic.NewID()
	}
	var id string
	err = tx.QueryRow(ctx, "SELECT id FROM communities WHERE slug = $1", c.Slug).Scan(&id)
	if err == nil {
		c.ID = id
		return c, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return c, err
	}
	_, err = tx.Exec(ctx, "INSERT INTO communities (id, slug, name, district, points_name, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
		c.ID, c.Slug, c.Name, c.District, c.PointsName, db.Millis(c.CreatedAt))
	return c, err
}

// Communities lists every community by slug (a district has tens, a
// province thousands: small enough to list).
func Communities(ctx context.Context, d *db.DB) (out []Community, err error) {
	defer civic.Wrap(&err, "registry.Communities")
	rows, err := d.Query(ctx, "SELECT id, slug, name, district, points_name, created_at FROM communities ORDER BY slug")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var c Community
		var created int64
		if err := rows.Scan(&c.ID, &c.Slug, &c.Name, &c.District, &c.PointsName, &created); err != nil {
			return nil, err
		}
		c.CreatedAt = db.FromMillis(created)
		out = append(out, c)
	}
	return out, rows.Err()
}
