package registry

import (
	"cmp"
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/db"
)

// viewer is one actor looking at one community's registry. It is the one
// place that decides what they may see of a resident (see, and the SQL
// choices below that make the lists agree with it), and Service.disclose,
// given a viewer, is the one place that audits what a response shows them.
//
// A worker without the red grant sees the "shadow" registry (migration
// 0205): every resident without the red label and without red-group care
// (the visits a worker holding the grant made while the resident was red),
// with the visit dates that follow from that. So a red resident looks to
// them exactly as a resident with the same ordinary data who was never red:
// the same labels, no cadence of their own, the same place in the due and
// overdue lists and in the counts. Hiding only the label would not do: the
// visit dates, the lists and the counts would still tell.
type viewer struct {
	actor       civic.Actor
	communityID string
	sensitive   bool // colours, tenure, disability, visits, masked ID number
	red         bool // the red label and red-group care
}

func viewerOf(a civic.Actor, communityID string) viewer {
	return viewer{actor: a, communityID: communityID, sensitive: SeesSensitive(a, communityID), red: SeesRed(a, communityID)}
}

// stored is a resident as the registry keeps them: the fields of Resident
// (the real ones, red and red-group care included) and the shadow ones.
// Only viewer.see makes a Resident out of it.
type stored struct {
	r                     Resident
	shadowLast, shadowDue string
	enc                   [2]string // sealed ID number and phone
}

// see is what v may see of a resident.
func (v viewer) see(st stored) Resident {
	r := st.r
	if !v.red {
		r.Colours = r.Colours.Without(Red)
		r.LastVisit, r.VisitDue = st.shadowLast, st.shadowDue
	}
	r.Primary = r.Colours.Primary()
	if !v.sensitive {
		r.Colours, r.Primary, r.Disability, r.Tenure = 0, "", false, ""
		r.IDMasked, r.LastVisit, r.VisitDue = "", "", ""
		if v.actor.Role != civic.RoleResident || v.actor.CommunityID != v.communityID {
			r.Name, r.PhoneMasked, r.BirthDate, r.Age = r.NameMasked, "", time.Time{}, 0
		}
	}
	return r
}

// household is what v may see of a household: tenure and the disability
// flag drive the colours, so only workers see them.
func (v viewer) household(h Household) Household {
	if !v.sensitive {
		h.Tenure, h.Disability = "", false
	}
	return h
}

// visitsSeen is the SQL condition on visits v (aliased v) that v may see.
func (v viewer) visitsSeen() string {
	if v.red {
		return "1 = 1"
	}
	return "v.red_care = 0"
}

// dueColumn is the residents column (aliased r) of the next visit v sees,
// and the indexes that page it by estate and across estates.
func (v viewer) dueColumn() (col, byEstate, all string) {
	if v.red {
		return "r.visit_due", "residents_due", "residents_due_all"
	}
	return "r.shadow_due", "residents_shadow_due", "residents_shadow_due_all"
}

// primaryColumn is the residents column of the primary colour v sees, and
// its index by colour and estate.
func (v viewer) primaryColumn() (col, index string) {
	if v.red {
		return "r.primary_colour", "residents_primary"
	}
	return "r.shadow_primary", "residents_shadow_primary"
}

// countKey is the registry_counts key of colour c as v sees it: white is
// the residents holding no label v sees.
func (v viewer) countKey(c Colour) string {
	if c == White && !v.red {
		return countShadowWhite
	}
	return string(c)
}

// mustSee refuses a viewer who is not a worker of the community.
func (v viewer) mustSee() error {
	if !v.sensitive {
		return civic.Errorf(civic.Forbidden, "registry.workers_only", "only workers of this community may do this")
	}
	return nil
}

// shown is what one response shows a viewer, for its audit entry.
type shown struct {
	action        string // such as registry.read_resident
	kind, subject string // resident, household or estate, and its id
	reason        string
	residents     int      // how many residents the response shows
	households    int      // for an estate's households: how many
	list          bool     // a list, chosen by filter
	filter        string   // for lists: Filter.String() or its like ("" for everyone)
	fields        []string // the sensitive fields shown (field… below)
}

// disclose writes the one audit entry of a response that shows v sensitive
// fields, naming v, the page (from ctx, see auth.WithPage) and what it
// showed. Every exported read that hands sensitive fields out ends with it;
// the helpers they share do not audit, so a page that reads several things
// through one exported read writes one entry. A viewer who may see no
// sensitive field (a resident, a clerk) is shown none: no entry.
func (s *Service) disclose(ctx context.Context, v viewer, sh shown) error {
	if !v.sensitive {
		return nil
	}
	d := url.Values{}
	if sh.kind == "estate" {
		d.Set("households", strconv.Itoa(sh.households))
	} else {
		d.Set("residents", strconv.Itoa(sh.residents))
	}
	if sh.list {
		d.Set("filter", cmp.Or(sh.filter, "all"))
	}
	if len(sh.fields) > 0 {
		d.Set("shown", strings.Join(sh.fields, ","))
	}
	return s.DB.WithTx(ctx, func(tx *db.Tx) error {
		e := auth.EntryFor(v.actor, sh.action, sh.kind, sh.subject, sh.reason, s.Clock.Now())
		e.CommunityID, e.Detail = v.communityID, d.Encode()
		return auth.Audit(ctx, tx, e)
	})
}

// The sensitive fields a response may show, as its audit entry names them.
const (
	fieldColours    = "colours"
	fieldIDMasked   = "id_masked"
	fieldVisitDates = "visit_dates" // last visit, next visit due
	fieldVisits     = "visits"
	fieldHistory    = "colour_history"
	fieldTenure     = "tenure"
	fieldDisability = "disability"
	fieldIDNumber   = "id_number"
	fieldPhone      = "phone"
)

// residentFields are what a resident's row shows a worker.
var residentFields = []string{fieldColours, fieldIDMasked, fieldVisitDates, fieldTenure, fieldDisability}
