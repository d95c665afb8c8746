package web

import (
	"net/http"
	"strconv"

	"civicpoints/internal/garden"
	"civicpoints/internal/idem"
)

// A family's own pages: its adoptions and reminders, and each adoption's
// page (the steward's work log with photos, days to ripeness, reminders,
// harvests, a picking time, the plate and the guardian's consent).
func init() {
	fam := gardenAdopterRoles
	AddPage(Page{Method: "GET", Path: "/garden/me", Roles: fam, Handler: (*Server).gardenMe})
	AddPage(Page{Method: "GET", Path: "/garden/me/adoptions/{op}/{id}", Roles: fam, Handler: (*Server).gardenMine})
	for _, p := range []struct {
		path string
		h    func(*Server, http.ResponseWriter, *http.Request) error
	}{
		{"book", (*Server).gardenMineBook}, {"consent", (*Server).gardenMineConsent}, {"cancel", (*Server).gardenMineCancel},
		{"read", (*Server).gardenMineRead}, {"harvest", (*Server).gardenMineHarvest},
	} {
		AddPage(Page{Method: "POST", Path: "/garden/me/adoptions/{op}/{id}/" + p.path, Roles: fam, Handler: p.h})
	}
	AddPage(Page{Method: "POST", Path: "/garden/me/adoptions/{op}/{id}/tasks/{task}", Roles: fam, Upload: garden.MaxPhoto, Handler: (*Server).gardenMineTask})
}

type meRow struct {
	garden.Detail
	Path string
}

type meData struct {
	Profile   garden.AdopterProfile
	Adoptions []meRow
	Reminders []reminderRow
}

func (s *Server) gardenMe(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	return s.gardenPage(w, r, "garden_me", nil, func() (any, error) {
		var d meData
		var err error
		if d.Profile, err = s.Garden.Profile(r.Context(), a); err != nil {
			return d, err
		}
		list, err := s.Garden.AdoptionsOf(r.Context(), a)
		if err != nil {
			return d, err
		}
		for _, x := range list {
			d.Adoptions = append(d.Adoptions, meRow{Detail: x, Path: "/garden/me/adoptions/" + x.Operator.ID + "/" + x.ID})
		}
		rem, err := s.Garden.RemindersOf(r.Context(), a.UserID, s.Clock.Now())
		d.Reminders = s.reminderRows(r, rem)
		return d, err
	})
}

type taskRow struct {
	garden.Task
	When     string
	Mine     bool // the family's own task, open: it may tick it
	FormKey  string
	Overdue  bool
	Upcoming bool
}

type mineData struct {
	garden.Detail
	Plate      garden.Plate
	Path       string
	Done       []taskRow
	Todo       []taskRow // the family's own open tasks, or the steward's next ones
	Reminders  []reminderRow
	Until      int64
	Harvests   []garden.Harvest
	HarvestKg  []string
	Booking    garden.Booking
	CanBook    bool
	BookFrom   string
	Keys       map[string]string
	Fee        string
	Refund     string
	Care, Pick string
	Risk       string
	MaxMB      int
}

func (s *Server) mineData(r *http.Request) (d mineData, err error) {
	a, _ := ActorFrom(r.Context())
	ctx, op, id := r.Context(), r.PathValue("op"), r.PathValue("id")
	if d.Detail, err = s.Garden.Detail(ctx, a, op, id); err != nil {
		return d, err
	}
	d.Plate, d.Path, d.MaxMB = garden.PlateOf(d.Detail), "/garden/me/adoptions/"+op+"/"+id, garden.MaxPhoto>>20
	d.Fee, d.Refund = yuan(d.FeeFen), yuan(d.RefundFen)
	d.Care, d.Pick, d.Risk = "garden.party."+string(d.Terms.CareBy), "garden.party."+string(d.Terms.HarvestBy), "garden.party."+string(d.Terms.Risk)
	d.Keys = map[string]string{"book": newFormKey(), "consent": newFormKey(), "cancel": newFormKey(), "read": newFormKey(), "harvest": newFormKey()}
	log, err := s.Garden.Log(ctx, op, id)
	if err != nil {
		return d, err
	}
	today := garden.Today(s.Clock.Now())
	for _, t := range log {
		row := taskRow{Task: t, When: shanghai(t.DoneAt)}
		switch {
		case t.Status == "done":
			d.Done = append([]taskRow{row}, d.Done...) // newest first
		case t.Status == "pending" && len(d.Todo) < 8 && (t.Assignee == garden.Adopter || t.DueOn >= today):
			row.Mine, row.FormKey, row.Overdue = t.Assignee == garden.Adopter, newFormKey(), t.DueOn < today
			d.Todo = append(d.Todo, row)
		}
	}
	rem, err := s.Garden.AdoptionReminders(ctx, op, id)
	if err != nil {
		return d, err
	}
	now := s.Clock.Now()
	for _, m := range rem {
		if !m.DueAt.After(now) {
			d.Reminders = append([]reminderRow{s.reminderRows(r, []garden.Reminder{m})[0]}, d.Reminders...)
			d.Until = max(d.Until, m.DueAt.UnixMilli())
		}
	}
	if d.Harvests, err = s.Garden.Harvests(ctx, op, id); err != nil {
		return d, err
	}
	for _, h := range d.Harvests {
		d.HarvestKg = append(d.HarvestKg, kg(h.WeightG))
	}
	if d.Booking, err = s.Garden.BookingOf(ctx, op, id); err != nil {
		return d, err
	}
	d.CanBook = d.Status == garden.Active && d.RipeOn != "" && d.LastDay() >= today
	d.BookFrom = max(d.RipeOn, today)
	return d, nil
}

func (s *Server) gardenMine(w http.ResponseWriter, r *http.Request) error {
	return s.gardenPage(w, r, "garden_mine", nil, func() (any, error) { return s.mineData(r) })
}

// mineCommand runs one of the family's commands from its adoption page and
// returns to it.
func (s *Server) mineCommand(w http.ResponseWriter, r *http.Request, flash string, run func(key idem.Key) error) error {
	err := parseForm(r, 0)
	var key idem.Key
	if err == nil {
		key, err = commandKey(r)
	}
	if err == nil {
		err = run(key)
	}
	if err != nil {
		return s.gardenPage(w, r, "garden_mine", err, func() (any, error) { return s.mineData(r) })
	}
	return gardenDone(w, r, "/garden/me/adoptions/"+r.PathValue("op")+"/"+r.PathValue("id"), flash)
}

func (s *Server) gardenMineBook(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	return s.mineCommand(w, r, "booked", func(key idem.Key) error {
		_, err := s.Garden.Book(r.Context(), a, key, garden.BookRequest{Operator: r.PathValue("op"), Adoption: r.PathValue("id"),
			Day: r.PostFormValue("day"), Slot: r.PostFormValue("slot")})
		return err
	})
}

func (s *Server) gardenMineConsent(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	return s.mineCommand(w, r, "consent", func(key idem.Key) error {
		_, err := s.Garden.SetConsent(r.Context(), a, key, garden.ConsentRequest{Operator: r.PathValue("op"), Adoption: r.PathValue("id"),
			Nickname: r.PostFormValue("nickname") == "1", Photo: r.PostFormValue("photo") == "1"})
		return err
	})
}

func (s *Server) gardenMineCancel(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	return s.mineCommand(w, r, "cancelled", func(key idem.Key) error {
		_, err := s.Garden.Cancel(r.Context(), a, key, garden.CancelRequest{Operator: r.PathValue("op"), Adoption: r.PathValue("id")})
		return err
	})
}

func (s *Server) gardenMineRead(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	return s.mineCommand(w, r, "read", func(key idem.Key) error {
		until, _ := strconv.ParseInt(r.PostFormValue("until"), 10, 64)
		_, err := s.Garden.MarkRead(r.Context(), a, key, garden.ReadRequest{Operator: r.PathValue("op"), Adoption: r.PathValue("id"), Until: until})
		return err
	})
}

func (s *Server) gardenMineHarvest(w http.ResponseWriter, r *http.Request) error {
	a, _ := ActorFrom(r.Context())
	return s.mineCommand(w, r, "harvest", func(key idem.Key) error {
		g, err := formInt(r, "weight_g", 0)
		if err != nil {
			return err
		}
		_, err = s.Garden.RecordHarvest(r.Context(), a, key, garden.HarvestRequest{Operator: r.PathValue("op"), Adoption: r.PathValue("id"),
			WeightG: g, PickedBy: garden.Adopter, Note: r.PostFormValue("note"), Final: r.PostFormValue("final") == "1"})
		return err
	})
}

func (s *Server) gardenMineTask(w http.ResponseWriter, r *http.Request) error {
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
		_, err = s.Garden.Complete(r.Context(), a, key, garden.CompleteRequest{Operator: r.PathValue("op"), Task: r.PathValue("task"),
			Note: r.PostFormValue("note"), Photo: photo})
	}
	if err != nil {
		return s.gardenPage(w, r, "garden_mine", err, func() (any, error) { return s.mineData(r) })
	}
	return gardenDone(w, r, "/garden/me/adoptions/"+r.PathValue("op")+"/"+r.PathValue("id"), "done")
}
