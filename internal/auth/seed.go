package auth

import (
	"context"
	"database/sql"
	"errors"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// DemoLogin is a demo user's role, username and password, printed by
// `civicpoints demo` so people can try each role.
type DemoLogin struct {
	Role     civic.Role
	Username string
	Password string
}

// GrantRedGroup lets a worker see residents of the red (key persons) group.
const GrantRedGroup = "red_group"

type demoUser struct {
	username, name string
	role           civic.Role
	grants         []string
}

var demoUsers = []demoUser{
	{"resident", "演示居民", civic.RoleResident, nil},
	{"worker", "演示社工（红色组）", civic.RoleWorker, []string{GrantRedGroup}},
	{"worker2", "演示社工", civic.RoleWorker, nil},
	{"clerk", "演示驿站管理员", civic.RoleClerk, nil},
	{"merchant", "演示商户", civic.RoleMerchant, nil},
	{"district", "演示区信用办", civic.RoleDistrict, nil},
	{"admin", "演示管理员", civic.RoleAdmin, nil},
}

// DemoPassword is the known password of a demo user.
func DemoPassword(username string) string { return "demo-" + username }

// SeedDemoUsers adds one user per role to the community (a resident linked to
// residentID; a worker with the red_group grant and one without; clerk;
// merchant; the district user of the community's district; admin) with
// known passwords. Users that exist are left
// as they are, so running it twice changes nothing.
func (s *Service) SeedDemoUsers(ctx context.Context, tx *db.Tx, communityID, residentID string) (out []DemoLogin, err error) {
	defer civic.Wrap(&err, "auth.SeedDemoUsers(%s)", communityID)
	var districtID string
	if err := tx.QueryRow(ctx, "SELECT district_id FROM communities WHERE id = $1", communityID).Scan(&districtID); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	for _, du := range demoUsers {
		out = append(out, DemoLogin{Role: du.role, Username: du.username, Password: DemoPassword(du.username)})
		var id string
		err := tx.QueryRow(ctx, "SELECT id FROM users WHERE username = $1", du.username).Scan(&id)
		if err == nil {
			continue
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		nu := NewUser{Username: du.username, Name: du.name, Password: DemoPassword(du.username), Role: du.role, Grants: du.grants}
		if needsCommunity(du.role) {
			nu.CommunityID = communityID
		}
		if du.role == civic.RoleResident {
			nu.ResidentID = residentID
		}
		if needsDistrict(du.role) {
			nu.DistrictID = districtID
		}
		if _, err := s.CreateUser(ctx, tx, nu); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// gardenDemoUsers are the shared garden's demo logins: its operator and a
// steward work inside the garden operator; the family belongs to none.
var gardenDemoUsers = []demoUser{
	{"garden", "泉井边村菜园运营", civic.RoleGardenOperator, nil},
	{"steward", "管家老周", civic.RoleGardenSteward, nil},
	{"family", "王女士（演示园主）", civic.RoleGardenAdopter, nil},
}

// SeedGardenUsers adds the garden's demo logins for the operator
// operatorID, as SeedDemoUsers does (users that exist are left as they are).
func (s *Service) SeedGardenUsers(ctx context.Context, tx *db.Tx, operatorID string) (out []DemoLogin, err error) {
	defer civic.Wrap(&err, "auth.SeedGardenUsers(%s)", operatorID)
	for _, du := range gardenDemoUsers {
		out = append(out, DemoLogin{Role: du.role, Username: du.username, Password: DemoPassword(du.username)})
		var id string
		err := tx.QueryRow(ctx, "SELECT id FROM users WHERE username = $1", du.username).Scan(&id)
		if err == nil {
			continue
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		nu := NewUser{Username: du.username, Name: du.name, Password: DemoPassword(du.username), Role: du.role}
		if needsCommunity(du.role) {
			nu.CommunityID = operatorID
		}
		if _, err := s.CreateUser(ctx, tx, nu); err != nil {
			return nil, err
		}
	}
	return out, nil
}
