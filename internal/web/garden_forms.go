package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"civicpoints/internal/civic"
	"civicpoints/internal/garden"
	"civicpoints/internal/i18n"
)

// Helpers shared by the garden's pages (garden_*.go).

var (
	gardenOperatorRoles = []civic.Role{civic.RoleGardenOperator}
	gardenStaffRoles    = []civic.Role{civic.RoleGardenOperator, civic.RoleGardenSteward}
	gardenAdopterRoles  = []civic.Role{civic.RoleGardenAdopter}
)

// gardenFlashes are the notices a garden page shows after a redirect (?m=).
var gardenFlashes = map[string]string{
	"adopted":   "garden_pages.flash.adopted",
	"confirmed": "garden_pages.flash.confirmed",
	"cancelled": "garden_pages.flash.cancelled",
	"failed":    "garden_pages.flash.failed",
	"done":      "garden_pages.flash.done",
	"booked":    "garden_pages.flash.booked",
	"harvest":   "garden_pages.flash.harvest",
	"saved":     "garden_pages.flash.saved",
	"consent":   "garden_pages.flash.consent",
	"read":      "garden_pages.flash.read",
	"signed":    "garden_pages.flash.signed",
	"linked":    "garden_pages.flash.linked",
	"welcome":   "garden_pages.flash.welcome",
}

func (s *Server) gardenFlash(r *http.Request) string {
	if k, ok := gardenFlashes[r.URL.Query().Get("m")]; ok {
		return s.T(r, k)
	}
	return ""
}

// gardenDone redirects after a command to path with a flash.
func gardenDone(w http.ResponseWriter, r *http.Request, path, flash string) error {
	u, _ := url.Parse(path)
	q := u.Query()
	q.Set("m", flash)
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusSeeOther)
	return nil
}

// gardenPage renders a garden page: load builds its data; a command's
// refusal (err, not internal) is shown on the page again with its status.
func (s *Server) gardenPage(w http.ResponseWriter, r *http.Request, name string, cmdErr error, load func() (any, error)) error {
	if cmdErr != nil && civic.ErrorCode(cmdErr) == civic.Internal {
		return cmdErr
	}
	d, err := load()
	if err != nil {
		return err
	}
	v := View{Data: d, Flash: s.gardenFlash(r)}
	status := http.StatusOK
	if cmdErr != nil {
		v.Flash, v.Error, status = "", i18n.Error(LangFrom(r.Context()), cmdErr), HTTPStatus(civic.ErrorCode(cmdErr))
	}
	return s.RenderStatus(w, r, status, name, v)
}

// gardenPhoto reads an optional photo of up to garden.MaxPhoto bytes.
func gardenPhoto(r *http.Request, name string) ([]byte, error) {
	f, _, err := r.FormFile(name)
	if errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart) {
		return nil, nil
	}
	if err != nil {
		return nil, civic.Errorf(civic.Invalid, "garden.photo_large", "the photo is larger than %d MB", garden.MaxPhoto>>20)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, garden.MaxPhoto+1))
	if err != nil {
		return nil, civic.Errorf(civic.Invalid, "web.bad_form", "cannot read the form: %v", err)
	}
	return b, nil
}

// formNumber reads a whole number field of a garden form; empty is def.
func formNumber(r *http.Request, name string, def int) (int, error) {
	n, err := formInt(r, name, int64(def))
	return int(n), err
}

// yuan prints fen as yuan with two decimals.
func yuan(fen int64) string { return fmt.Sprintf("%d.%02d", fen/100, abs64(fen%100)) }

func abs64(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// parseYuan reads a yuan amount (such as 398 or 398.50) as fen.
func parseYuan(v string) (int64, error) {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 0 || f > float64(civic.MaxFen)/100 {
		return 0, civic.Errorf(civic.Invalid, "garden_pages.bad_yuan", "%q is not an amount in yuan (such as 398 or 398.50)", v)
	}
	return int64(f*100 + 0.5), nil
}

// kg prints grams as kilograms.
func kg(g int64) string { return fmt.Sprintf("%d.%01d", g/1000, (g%1000)/100) }

// reminderText is a reminder in the reader's language.
func (s *Server) reminderText(r *http.Request, m garden.Reminder) string {
	switch m.Kind {
	case garden.RemindMaturity:
		return s.T(r, "garden.remind.maturity", m.ArgText, m.ArgDays, m.ArgDate)
	case garden.RemindWindow:
		return s.T(r, "garden.remind.window", m.ArgText, m.ArgDate)
	case garden.RemindTask:
		return s.T(r, "garden.remind.task", m.ArgDate, s.T(r, "garden.task."+m.ArgText))
	}
	return s.T(r, "garden.remind.event", m.ArgText, m.ArgDate)
}

// reminderRow is a reminder as a page lists it.
type reminderRow struct {
	Text, When string
	Unread     bool
	Adoption   string
	Operator   string
}

func (s *Server) reminderRows(r *http.Request, list []garden.Reminder) []reminderRow {
	out := make([]reminderRow, 0, len(list))
	for _, m := range list {
		out = append(out, reminderRow{Text: s.reminderText(r, m), When: shanghai(m.DueAt), Unread: m.ReadAt.IsZero(),
			Adoption: m.Adoption, Operator: m.Operator})
	}
	return out
}

// season picks the season a staff page shows: ?season= or the current one
// (the first not yet over). ok is false when the operator has none.
func (s *Server) gardenSeason(r *http.Request, operatorID string) (cur garden.Season, all []garden.Season, ok bool, err error) {
	all, err = s.Garden.Seasons(r.Context(), operatorID, "")
	if err != nil || len(all) == 0 {
		return cur, all, false, err
	}
	want, today := r.URL.Query().Get("season"), garden.Today(s.Clock.Now())
	cur = all[len(all)-1]
	for _, se := range all {
		if se.ID == want {
			return se, all, true, nil
		}
	}
	for _, se := range all {
		if se.EndsOn >= today {
			return se, all, true, nil
		}
	}
	return cur, all, true, nil
}

// gardenForm reads a posted form that may carry a photo: multipart from a
// browser's upload form, urlencoded from a client sending no file.
func gardenForm(r *http.Request) error {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		return parseForm(r, 1<<20)
	}
	return parseForm(r, 0)
}
