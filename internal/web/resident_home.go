package web

import "civicpoints/internal/civic"

// The resident's home page: who they are, their community and the links to
// the pages of their role (each page adds its own link with Page.Nav).
func init() {
	AddPage(Page{Method: "GET", Path: "/resident", Roles: []civic.Role{civic.RoleResident}, Handler: (*Server).home})
}
