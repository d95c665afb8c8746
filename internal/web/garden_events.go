package web

import (
	"net/http"

	"civicpoints/internal/civic"
	"civicpoints/internal/garden"
)

// Events in the garden: the operator publishes DIY afternoons, study visits
// and picking days with places; families sign up for as many places as they
// bring people.
func init() {
	AddPage(Page{Method: "GET", Path: "/garden/op/events", Roles: gardenOperatorRoles, Nav: "garden_pages.nav.op_events", Handler: (*Server).gardenOpEvents})
	AddPage(Page{Method: "POST", Path: "/garden/op/events", Roles: gardenOperatorRoles, Handler: (*Server).gardenOpEventsPost})
	AddPage(Page{Method: "GET", Path: "/garden/op/events/{id}", Roles: gardenStaffRoles, Handler: (*Server).gardenOpEvent})
	AddPage(Page{Method: "GET", Path: "/garden/events", Roles: gardenAdopterRoles, Nav: "garden_pages.nav.events", Handler: (*Server).gardenEvents})
	AddPage(Page{Method: "POST", Path: "/garden/events/{op}/{id}", Roles: gardenAdopterRoles, Handler: (*Server).gardenEventSignUp})
}

type eventRow struct {
	garden.Event
	When, Key string
	Left      int
}

type eventsData struct {
	Events []eventRow
	Key    string
}

func (s *Server) eventRows(list []garden.Event) []eventRow {
	out := make([]eventRow, 0, len(list))
	for _, e := range list {
		out = append(out, eventRow{Event: e, When: shanghai(e.Start) + " – " + e.End.In(civic.Shanghai).Format("15:04"), Key: newFormKey(), Left: max(0, e.Capacity-e.Taken)})
	}
	return out
}

func (s *Server) opEventsData(r *http.Request) (any, error) {
	a, _ := ActorFrom(r.Context())
	list, err := s.Garden.Events(r.Context(), a.CommunityID, "", s.Clock.Now())
	return eventsData{Events: s.eventRows(list), Key: newFormKey()}, err
}

func (s *Server) gardenOpEvents(w http.ResponseWriter, r *http.Request) error {
	return s.gardenPage(w, r, "garden_op_events", nil, func() (any, error) { return s.opEventsData(r) })
}

func (s *Server) gardenOpEventsPost(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	req := garden.EventRequest{Operator: a.CommunityID, Kind: r.PostFormValue("kind"), Title: r.PostFormValue("title"), Place: r.PostFormValue("place")}
	var err error
	if req.Start, err = formTime(r, "start"); err == nil {
		if req.End, err = formTime(r, "end"); err == nil {
			req.Capacity, err = formNumber(r, "capacity", 0)
		}
	}
	if err == nil {
		key, kerr := commandKey(r)
		if err = kerr; err == nil {
			_, err = s.Garden.AddEvent(r.Context(), a, key, req)
		}
	}
	if err != nil {
		return s.gardenPage(w, r, "garden_op_events", err, func() (any, error) { return s.opEventsData(r) })
	}
	return gardenDone(w, r, "/garden/op/events", "saved")
}

type opEventData struct {
	Event     eventRow
	Attendees []garden.Attendee
	People    int
}

func (s *Server) gardenOpEvent(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	return s.gardenPage(w, r, "garden_op_event", nil, func() (any, error) {
		var d opEventData
		e, err := s.Garden.Event(r.Context(), a.CommunityID, r.PathValue("id"))
		if err != nil {
			return d, err
		}
		d.Event = s.eventRows([]garden.Event{e})[0]
		d.Attendees, err = s.Garden.Attendees(r.Context(), a, a.CommunityID, d.Event.ID)
		for _, x := range d.Attendees {
			d.People += x.People
		}
		return d, err
	})
}

func (s *Server) familyEventsData(r *http.Request) (any, error) {
	a, _ := ActorFrom(r.Context())
	list, err := s.Garden.Events(r.Context(), "", a.UserID, s.Clock.Now())
	return eventsData{Events: s.eventRows(list)}, err
}

func (s *Server) gardenEvents(w http.ResponseWriter, r *http.Request) error {
	return s.gardenPage(w, r, "garden_events", nil, func() (any, error) { return s.familyEventsData(r) })
}

func (s *Server) gardenEventSignUp(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	people, err := formNumber(r, "people", 0)
	if err == nil {
		key, kerr := commandKey(r)
		if err = kerr; err == nil {
			_, err = s.Garden.SignUp(r.Context(), a, key, garden.SignUpRequest{Operator: r.PathValue("op"), Event: r.PathValue("id"), Adopter: a.UserID, People: people})
		}
	}
	if err != nil {
		return s.gardenPage(w, r, "garden_events", err, func() (any, error) { return s.familyEventsData(r) })
	}
	return gardenDone(w, r, "/garden/events", "signed")
}
