package api

import (
	"context"
	"net/http"
	"strings"

	"civicpoints/internal/civic"
	"civicpoints/internal/idem"
	"civicpoints/internal/registry"
)

type visitItem struct {
	ID           string `json:"id"`
	ResidentID   string `json:"resident_id"`
	ResidentName string `json:"resident_name"`
	HouseholdID  string `json:"household_id"`
	Date         string `json:"date" jsonschema:"format=date"`
	Visitor      string `json:"visitor"`
	Method       string `json:"method" jsonschema:"enum=door,enum=phone,enum=other"`
	Notes        string `json:"notes,omitempty"`
	FollowUp     bool   `json:"follow_up"`
}

func visitOf(v registry.Visit) visitItem {
	return visitItem{v.ID, v.ResidentID, v.ResidentName, v.HouseholdID, v.Date, v.VisitorName, v.Method, v.Notes, v.FollowUp}
}

// listVisits lists a resident's visits (?resident=) or a household's
// (?household=), newest first; red-group care is not among them.
func (s *Server) listVisits(w http.ResponseWriter, r *http.Request) error {
	limit, cursor, err := pageArgs(r, 200)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	rid, hid := q.Get("resident"), q.Get("household")
	if (rid == "") == (hid == "") {
		return civic.Errorf(civic.Invalid, "api.resident_or_household", "give resident or household, one of them")
	}
	list, next, err := s.Registry.VisitPage(r.Context(), actorOf(r), community(r), rid, hid, cursor, limit)
	if err != nil {
		return err
	}
	return writeList(w, mapList(list, visitOf), next)
}

type dueItem struct {
	residentRecord
	DaysLate int `json:"days_late" jsonschema_description:"more than 0 when overdue"`
}

// dueVisits lists the residents due for a visit within a week, soonest
// first, in the given estates (?estate=, repeated or comma-separated; every
// estate when none, as a token has no grid of its own).
func (s *Server) dueVisits(w http.ResponseWriter, r *http.Request) error {
	limit, cursor, err := pageArgs(r, 500)
	if err != nil {
		return err
	}
	estates := []string{}
	for _, v := range r.URL.Query()["estate"] {
		estates = append(estates, strings.FieldsFunc(v, func(c rune) bool { return c == ',' })...)
	}
	if len(estates) == 0 {
		es, err := s.Registry.Estates(r.Context(), community(r))
		if err != nil {
			return err
		}
		for _, e := range es {
			estates = append(estates, e.ID)
		}
	}
	list, next, err := s.Registry.DueVisits(r.Context(), actorOf(r), community(r), estates, cursor, limit)
	if err != nil {
		return err
	}
	return writeList(w, mapList(list, func(d registry.DueVisit) dueItem { return dueItem{recordOf(d.Resident), d.DaysLate} }), next)
}

type visitRequest struct {
	ResidentID string `json:"resident_id"`
	Date       string `json:"date,omitempty" jsonschema:"format=date" jsonschema_description:"today when left out"`
	Method     string `json:"method" jsonschema:"enum=door,enum=phone,enum=other"`
	Notes      string `json:"notes,omitempty"`
	FollowUp   bool   `json:"follow_up,omitempty"`
}

func (s *Server) recordVisit(w http.ResponseWriter, r *http.Request) error {
	req, err := readJSON[visitRequest](r)
	if err != nil {
		return err
	}
	return runCommand(w, r, func(ctx context.Context, by civic.Actor, key idem.Key) (registry.Change, error) {
		return s.Registry.RecordVisit(ctx, by, key, registry.RecordVisitRequest{Community: community(r), NewVisit: registry.NewVisit{
			ResidentID: req.ResidentID, Date: req.Date, Method: req.Method, Notes: req.Notes, FollowUp: req.FollowUp}})
	}, changeOf)
}

func registryRoutes() []route {
	c := "/api/v1/communities/{c}/registry"
	rid, hid := "0191f3a2c4d5e6f708192a3b4c", "0191f3a2c4d5e6f708192a3b52"
	return []route{
		{"GET", c + "/residents", workers, "registry:read", (*Server).searchResidents, doc{tag: "registry",
			summary: "Search residents as the registry page does (audited)", list: 500, answer: page[residentRecord]{},
			query: []param{{"estate", "string", "an estate's id"}, {"household", "string", "a household's id"},
				{"colour", "string", "purple, yellow, green, blue or white (those with no colour)"},
				{"name", "string", "the start of the name"}, {"id_tail", "string", "the last four characters of the ID number"},
				{"overdue", "boolean", "only residents whose visit is overdue"}, {"include_left", "boolean", "also residents who left"}}}},
		{"POST", c + "/residents", workers, "registry:write", (*Server).createResident, doc{tag: "registry",
			summary: "Register a resident in a household", body: newResidentRequest{}, answer: changed{}, status: 201,
			example: newResidentRequest{HouseholdID: hid, Name: "张丽华", Gender: "F", BirthDate: "1956-03-14", Relation: "户主"}}},
		{"GET", c + "/residents/{id}", workers, "registry:read", (*Server).getResident, doc{tag: "registry",
			summary: "A resident's record (masked ID and phone; audited)", answer: residentRecord{}}},
		{"GET", c + "/residents/{id}/colours", workers, "registry:read", (*Server).colourHistory, doc{tag: "registry",
			summary: "A resident's colour changes (audited)", answer: page[colourChangeItem]{}}},
		{"POST", c + "/residents/{id}/moves", workers, "registry:write", (*Server).moveResident, doc{tag: "registry",
			summary: "Move a resident to another household", body: moveRequest{}, answer: changed{}, status: 201,
			example: moveRequest{ToHouseholdID: hid, Reason: "子女家中照料"}}},
		{"POST", c + "/residents/{id}/departure", workers, "registry:write", (*Server).leaveResident, doc{tag: "registry",
			summary: "Record that a resident left the community", body: leaveRequest{}, answer: changed{}, status: 201,
			example: leaveRequest{Reason: "迁往杭州"}}},
		{"GET", c + "/households", workers, "registry:read", (*Server).listHouseholds, doc{tag: "registry",
			summary: "An estate's households by address (audited)", list: 500, answer: page[householdItem]{},
			query: []param{{"estate", "string", "the estate's id (required)"}, {"prefix", "string", "the start of building-unit-room, such as 3-2"}}}},
		{"POST", c + "/households", workers, "registry:write", (*Server).createHousehold, doc{tag: "registry",
			summary: "Add a household", body: householdRequest{}, answer: householdItem{}, status: 201,
			example: householdRequest{EstateID: "0191f3a2c4d5e6f708192a3b53", Building: "3", Unit: "2", Room: "301", Tenure: "rental"}}},
		{"GET", c + "/households/{id}", workers, "registry:read", (*Server).getHousehold, doc{tag: "registry",
			summary: "A household with its residents and first visits (audited)", answer: householdRecord{}}},
		{"PUT", c + "/households/{id}", workers, "registry:write", (*Server).updateHousehold, doc{tag: "registry",
			summary: "Change a household's tenure or disability flag (its colours follow)", body: householdRequest{}, answer: changed{}, status: 201,
			example: householdRequest{Tenure: "owner", Reason: "购房"}}},
		{"GET", c + "/estates", workers, "registry:read", (*Server).listEstates, doc{tag: "registry",
			summary: "The community's estates with their counts", answer: page[estateItem]{}}},
		{"POST", c + "/estates", workers, "registry:write", (*Server).createEstate, doc{tag: "registry",
			summary: "Add an estate", body: estateRequest{}, answer: estateItem{}, status: 201,
			example: estateRequest{Name: "春江花园", Address: "春江路 18 号"}}},
		{"GET", c + "/counts", workers, "registry:read", (*Server).colourCounts, doc{tag: "registry",
			summary: "Active residents per estate and colour group", answer: countsAnswer{}}},
		{"GET", c + "/visits", workers, "registry:read", (*Server).listVisits, doc{tag: "registry",
			summary: "A resident's or a household's visits, newest first (audited)", list: 200, answer: page[visitItem]{},
			query: []param{{"resident", "string", "a resident's id"}, {"household", "string", "a household's id"}}}},
		{"GET", c + "/visits/due", workers, "registry:read", (*Server).dueVisits, doc{tag: "registry",
			summary: "Residents due for a visit within a week, soonest first (audited)", list: 500, answer: page[dueItem]{},
			query: []param{{"estate", "string", "estate ids, comma-separated; every estate when left out"}}}},
		{"POST", c + "/visits", workers, "registry:write", (*Server).recordVisit, doc{tag: "registry",
			summary: "Record a visit", desc: "Moves the resident's next due date.", body: visitRequest{}, answer: changed{}, status: 201,
			example: visitRequest{ResidentID: rid, Method: "door", Notes: "身体状况良好，需要帮助购买药品", FollowUp: true}}},
	}
}
