package web

import "civicpoints/internal/civic"

// The district's home page: who they are, their community and the links to
// the pages of their role (each page adds its own link with Page.Nav).
func init() {
	AddPage(Page{Method: "GET", Path: "/district", Roles: []civic.Role{civic.RoleDistrict}, Handler: (*Server).home})
}
