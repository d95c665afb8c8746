package web

import (
	"net/http"
	"strings"

	"civicpoints/internal/garden"
	"civicpoints/internal/idem"
)

// The steward's queue: the half- and fully-hosted plots' tasks due by
// tomorrow, oldest first, each done with a note and a photo the family sees.
func init() {
	AddPage(Page{Method: "GET", Path: "/garden/steward", Roles: gardenStaffRoles, Nav: "garden_pages.nav.queue", Handler: (*Server).gardenQueue})
	AddPage(Page{Method: "POST", Path: "/garden/steward/tasks/{id}", Roles: gardenStaffRoles, Upload: garden.MaxPhoto, Handler: (*Server).gardenQueueDone})
}

type queueData struct {
	Name  string
	Tasks []taskRow
	Next  string
	MaxMB int
	Today string
}

func (s *Server) queueData(r *http.Request) (d queueData, err error) {
	a, _ := ActorFrom(r.Context())
	now := s.Clock.Now()
	d.Name, d.MaxMB, d.Today = a.Name, garden.MaxPhoto>>20, garden.Today(now)
	after, afterID, _ := strings.Cut(r.URL.Query().Get("after"), "_")
	// Tomorrow's tasks too: a steward plans the round the evening before.
	list, err := s.Garden.Queue(r.Context(), a, garden.Today(now.Add(24*60*60*1e9)), after, afterID, 30)
	if err != nil {
		return d, err
	}
	for _, t := range list {
		d.Tasks = append(d.Tasks, taskRow{Task: t, FormKey: newFormKey(), Overdue: t.DueOn < d.Today, Upcoming: t.DueOn > d.Today})
	}
	if len(list) == 30 {
		d.Next = list[29].DueOn + "_" + list[29].ID
	}
	return d, nil
}

func (s *Server) gardenQueue(w http.ResponseWriter, r *http.Request) error {
	return s.gardenPage(w, r, "garden_steward", nil, func() (any, error) { return s.queueData(r) })
}

func (s *Server) gardenQueueDone(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	err := gardenForm(r)
	var photo []byte
	var key idem.Key
	if err == nil {
		photo, err = gardenPhoto(r, "photo")
	}
	if err == nil {
		key, err = commandKey(r)
	}
	if err == nil {
		_, err = s.Garden.Complete(r.Context(), a, key, garden.CompleteRequest{Operator: a.CommunityID, Task: r.PathValue("id"),
			Note: r.PostFormValue("note"), Photo: photo})
	}
	if err != nil {
		return s.gardenPage(w, r, "garden_steward", err, func() (any, error) { return s.queueData(r) })
	}
	return gardenDone(w, r, "/garden/steward", "done")
}
