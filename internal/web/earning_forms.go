package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/earning"
	"civicpoints/internal/edge"
	"civicpoints/internal/i18n"
)

// Helpers shared by the earning pages (resident activities, check-in,
// suggestions and hours; worker catalogue, activities, queue, awards and
// reversals).

// earningNow is the earning service's time. Deadlines, activity codes and
// closing are decided on that clock, so the pages list and label activities
// by it too.
func (s *Server) earningNow() time.Time { return s.Earning.Clock.Now() }

// reshow renders a form page again with the translated error of a refused
// request and the status of its code; an unexpected error becomes the error
// page instead.
func (s *Server) reshow(w http.ResponseWriter, r *http.Request, err error, name string, data any) error {
	c := civic.ErrorCode(err)
	if c == civic.Internal {
		return err
	}
	return s.RenderStatus(w, r, HTTPStatus(c), name, View{Error: i18n.Error(LangFrom(r.Context()), err), Data: data})
}

// parseForm reads a posted form (multipart when maxMemory > 0).
func parseForm(r *http.Request, maxMemory int64) error {
	var err error
	if maxMemory > 0 {
		err = r.ParseMultipartForm(maxMemory)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		if tooLarge := edge.BodyError(err, 0); tooLarge != err {
			return tooLarge // over the page's Upload size: name the limit, not Go's error
		}
		return civic.Errorf(civic.Invalid, "web.bad_form", "cannot read the form: %v", err)
	}
	return nil
}

// formInt reads a whole number field; empty reads as def.
func formInt(r *http.Request, name string, def int64) (int64, error) {
	v := strings.TrimSpace(r.PostFormValue(name))
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, civic.Errorf(civic.Invalid, "earning_pages.bad_number", "%q is not a whole number", v)
	}
	return n, nil
}

// localLayout is the value format of <input type="datetime-local">.
const localLayout = "2006-01-02T15:04"

// formTime reads a datetime-local field as Asia/Shanghai time; empty is zero.
func formTime(r *http.Request, name string) (time.Time, error) {
	v := strings.TrimSpace(r.PostFormValue(name))
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation(localLayout, v, civic.Shanghai)
	if err != nil {
		return t, civic.Errorf(civic.Invalid, "earning_pages.bad_time", "%q is not a date and time", v)
	}
	return t, nil
}

// shanghai formats t as a Shanghai date and time for the pages.
func shanghai(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(civic.Shanghai).Format("2006-01-02 15:04")
}

// indicatorNames maps the community's indicator codes to names in the
// request's language.
func (s *Server) indicatorNames(r *http.Request, communityID string) (map[string]string, []earning.Indicator, error) {
	ins, err := s.Earning.Indicators(r.Context(), communityID)
	if err != nil {
		return nil, nil, err
	}
	names := make(map[string]string, len(ins))
	for _, in := range ins {
		names[in.Code] = in.Name(string(LangFrom(r.Context())))
	}
	return names, ins, nil
}

// residentLabel is a resident's masked name for worker lists, or the id
// when the registry does not know them.
func (s *Server) residentLabel(r *http.Request, communityID, residentID string) string {
	return s.residentLabels(r, communityID, []string{residentID})[residentID]
}

// residentLabels maps residents to their masked names (residentLabel) in
// one query for the whole list: a roster, a queue, a bulk award's results.
// A registry that cannot answer leaves the ids, as for an unknown resident:
// names only label the rows.
func (s *Server) residentLabels(r *http.Request, communityID string, ids []string) map[string]string {
	labels := make(map[string]string, len(ids))
	var names map[string]string
	if s.Registry != nil {
		var err error
		if names, err = s.Registry.MaskedNames(r.Context(), communityID, ids); err != nil {
			s.Log.WarnContext(r.Context(), "earning pages: masked names", "err", err)
		}
	}
	for _, id := range ids {
		if labels[id] = names[id]; labels[id] == "" {
			labels[id] = id
		}
	}
	return labels
}

// option is one choice of a <select>.
type option struct{ Value, Label string }

// ruleText describes a rule in the request's language: how it scores, its
// caps, its dates and whether a worker approves.
func (s *Server) ruleText(r *http.Request, rule earning.Rule) string {
	var parts []string
	switch rule.Kind {
	case earning.Hourly:
		parts = append(parts, s.T(r, "earning_pages.rule.hourly_text", rule.Points))
	case earning.Fixed:
		parts = append(parts, s.T(r, "earning_pages.rule.fixed_text", rule.Points))
	case earning.Range:
		parts = append(parts, s.T(r, "earning_pages.rule.range_text", rule.Min, rule.Max))
	}
	caps := []struct {
		n   int64
		key string
	}{{rule.CapDay, "earning_pages.rule.cap_day_text"}, {rule.CapMonth, "earning_pages.rule.cap_month_text"}, {rule.CapYear, "earning_pages.rule.cap_year_text"}}
	for _, c := range caps {
		if c.n > 0 {
			parts = append(parts, s.T(r, c.key, c.n))
		}
	}
	if rule.ActiveFrom != "" || rule.ActiveTo != "" {
		parts = append(parts, s.T(r, "earning_pages.rule.dates_text", orDash(rule.ActiveFrom), orDash(rule.ActiveTo)))
	}
	if rule.Approval {
		parts = append(parts, s.T(r, "earning_pages.rule.approval_text"))
	}
	return strings.Join(parts, " · ")
}

func orDash(s string) string {
	if s == "" {
		return "…"
	}
	return s
}
