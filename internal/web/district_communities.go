package web

import (
	"net/http"
	"strings"

	"civicpoints/internal/civic"
	"civicpoints/internal/district"
	"civicpoints/internal/registry"
)

// The district office's communities: the list of its own district's, and a
// new one with its first worker login (the password is shown once, to the
// request that made it).
func init() {
	d := []civic.Role{civic.RoleDistrict}
	AddPage(Page{Method: "GET", Path: "/district/communities", Roles: d, Nav: "web.nav.district_communities", Handler: (*Server).districtCommunities})
	AddPage(Page{Method: "POST", Path: "/district/communities", Roles: d, Handler: (*Server).districtCommunitiesPost})
}

type communityForm struct {
	Key, Slug, Name, PointsName, Username, WorkerName string
}

type createdCommunity struct {
	Name, Slug, Username, Password string
	Replayed, Existed              bool
}

// communityRow is one community as the list shows it (its day in Shanghai).
type communityRow struct {
	registry.Community
	Created string
}

type districtCommunitiesData struct {
	District    string
	Communities []communityRow
	Form        communityForm
	Created     *createdCommunity
}

// myDistrict is the district office's own district; a district login
// without one (made before districts existed) is told to ask an admin.
func myDistrict(a civic.Actor) (string, error) {
	if a.DistrictID == "" {
		return "", civic.Errorf(civic.Forbidden, "web.district.no_district", "this login belongs to no district: ask an administrator")
	}
	return a.DistrictID, nil
}

func (s *Server) districtCommunitiesData(r *http.Request, f communityForm) (districtCommunitiesData, error) {
	ctx := r.Context()
	a, _ := ActorFrom(ctx)
	id, err := myDistrict(a)
	if err != nil {
		return districtCommunitiesData{}, err
	}
	dt, err := s.District.ByID(ctx, id)
	if err != nil {
		return districtCommunitiesData{}, err
	}
	cs, err := s.District.Communities(ctx, a, id)
	f.Key = newFormKey()
	d := districtCommunitiesData{District: dt.Name, Form: f}
	for _, c := range cs {
		d.Communities = append(d.Communities, communityRow{Community: c, Created: c.CreatedAt.In(civic.Shanghai).Format("2006-01-02")})
	}
	return d, err
}

func (s *Server) districtCommunities(w http.ResponseWriter, r *http.Request) error {
	d, err := s.districtCommunitiesData(r, communityForm{})
	if err != nil {
		return err
	}
	return s.Render(w, r, "district_communities", d)
}

func (s *Server) districtCommunitiesPost(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a, _ := ActorFrom(ctx)
	f := communityForm{Slug: strings.TrimSpace(r.PostFormValue("slug")), Name: r.PostFormValue("name"),
		PointsName: r.PostFormValue("points_name"), Username: r.PostFormValue("username"), WorkerName: r.PostFormValue("worker_name")}
	key, err := commandKey(r)
	var out district.CreatedCommunity
	if err == nil {
		req := district.CreateCommunityRequest{District: a.DistrictID, Slug: f.Slug, Name: f.Name, PointsName: f.PointsName}
		if strings.TrimSpace(f.Username) != "" || strings.TrimSpace(f.WorkerName) != "" {
			req.Worker = &district.WorkerLogin{Username: f.Username, Name: f.WorkerName}
		}
		out, err = s.District.CreateCommunity(ctx, a, key, req)
	}
	if err != nil {
		d, derr := s.districtCommunitiesData(r, f)
		if derr != nil {
			return derr
		}
		return s.reshow(w, r, err, "district_communities", d)
	}
	d, err := s.districtCommunitiesData(r, communityForm{})
	if err != nil {
		return err
	}
	d.Created = &createdCommunity{Name: out.Community.Name, Slug: out.Community.Slug, Username: out.Username,
		Password: out.Password, Replayed: !out.Fresh, Existed: out.Existed}
	return s.RenderStatus(w, r, http.StatusOK, "district_communities", View{Flash: s.T(r, "web.district.created.title"), Data: d})
}
