package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/i18n"
	"civicpoints/internal/ledger"
	"civicpoints/internal/station"
)

// Helpers shared by the station pages (clerk counter, stock, donations and
// orders; resident shop; worker report).

// newFormKey is the hidden idempotency key of a form that writes: a
// double-click or a resent form replays the first answer instead of paying
// (or publishing, signing up…) twice.
func newFormKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// once runs fn through the group-commit batcher under the form's key
// (ledger.Idempotent): the first request with the key runs, a replay returns
// the stored JSON answer into out, a different request with the key is refused.
func (s *Server) once(ctx context.Context, a civic.Actor, shard, key string, form url.Values, out any, fn func(tx *db.Tx) (any, error)) error {
	if err := checkFormKey(key); err != nil {
		return err
	}
	if s.Batch == nil {
		return fmt.Errorf("web: station pages need Options.Batch")
	}
	hash := ledger.HashRequest([]byte(a.UserID), []byte(canonical(form)))
	st, _, err := ledger.Idempotent(ctx, s.Batch, s.DB, shard, a.CommunityID, "web:"+key, hash, func(tx *db.Tx) (ledger.Stored, error) {
		v, err := fn(tx)
		if err != nil {
			return ledger.Stored{}, err
		}
		body, err := json.Marshal(v)
		return ledger.Stored{Status: http.StatusOK, Body: body}, err
	})
	if err != nil {
		// A twin sent at the same moment (a double click) may have committed
		// first and caused this refusal (already signed up): its answer is
		// this request's answer too.
		if civic.AsError(err) != nil {
			if prev, lerr := ledger.LookupKey(ctx, s.DB, a.CommunityID, "web:"+key, hash); lerr == nil && prev != nil {
				return json.Unmarshal(prev.Body, out)
			}
		}
		return err
	}
	return json.Unmarshal(st.Body, out)
}

// canonical renders form values in a stable order for the request hash.
func canonical(form url.Values) string {
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%s\n", k, strings.Join(form[k], ","))
	}
	return b.String()
}

// A counter ticket carries the resident a clerk scanned from the scan to the
// confirmation, signed so the hidden field cannot be pointed at someone
// else, and short-lived because a rotating code expires in a minute.
const ticketTTL = 15 * time.Minute

var (
	ticketKeyOnce sync.Once
	ticketKey     []byte
)

func (s *Server) ticketSecret() []byte {
	ticketKeyOnce.Do(func() {
		if s.Cfg != nil && s.Cfg.SecretKey != "" {
			h := sha256.Sum256([]byte("station-ticket\x00" + s.Cfg.SecretKey))
			ticketKey = h[:]
			return
		}
		ticketKey = make([]byte, 32)
		_, _ = rand.Read(ticketKey)
	})
	return ticketKey
}

func (s *Server) signTicket(a civic.Actor, residentID string, now time.Time) string {
	exp := strconv.FormatInt(now.Add(ticketTTL).Unix(), 10)
	return residentID + "." + exp + "." + s.ticketMAC(a, residentID, exp)
}

func (s *Server) ticketMAC(a civic.Actor, residentID, exp string) string {
	m := hmac.New(sha256.New, s.ticketSecret())
	fmt.Fprintf(m, "%s|%s|%s|%s", a.CommunityID, a.UserID, residentID, exp)
	return hex.EncodeToString(m.Sum(nil))
}

func (s *Server) openTicket(a civic.Actor, ticket string, now time.Time) (string, error) {
	parts := strings.Split(ticket, ".")
	if len(parts) != 3 || !hmac.Equal([]byte(parts[2]), []byte(s.ticketMAC(a, parts[0], parts[1]))) {
		return "", civic.Errorf(civic.Invalid, "station.ticket_bad", "scan the resident's code again")
	}
	exp, _ := strconv.ParseInt(parts[1], 10, 64)
	if now.Unix() > exp {
		return "", civic.Errorf(civic.Invalid, "station.ticket_expired", "this basket was opened more than %d minutes ago: scan the resident's code again", int(ticketTTL/time.Minute))
	}
	return parts[0], nil
}

// basket reads qty_<good id> fields. Empty fields are skipped; anything
// else that is not a whole number above zero is refused by name.
func basket(form url.Values, goods []station.Good) (items []station.Item, qty map[string]string, err error) {
	qty = map[string]string{}
	for _, g := range goods {
		v := strings.TrimSpace(form.Get("qty_" + g.ID))
		if v == "" {
			continue
		}
		qty[g.ID] = v
		n, perr := strconv.ParseInt(v, 10, 64)
		if perr != nil || n <= 0 {
			if err == nil {
				err = civic.Errorf(civic.Invalid, "station.bad_quantity_named", "%s: the quantity must be a whole number of 1 or more, not %q", g.Name, v)
			}
			continue
		}
		items = append(items, station.Item{GoodID: g.ID, Quantity: n})
	}
	if err == nil && len(items) == 0 {
		err = civic.Errorf(civic.Invalid, "station.empty_basket", "the basket is empty")
	}
	return items, qty, err
}

// when formats a time for a page: Shanghai, minutes.
func when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(civic.Shanghai).Format("2006-01-02 15:04")
}

// label is a resident's masked name for clerks and receipts.
func (s *Server) label(ctx context.Context, communityID, residentID string) string {
	if s.Registry == nil {
		return ""
	}
	r, err := s.Registry.Resident(ctx, civic.Actor{Role: civic.RoleClerk, CommunityID: communityID}, communityID, residentID)
	if err != nil {
		return ""
	}
	return r.NameMasked
}

// statusKey names an order status in the catalogue.
func statusKey(st string) string { return "station.status." + st }

// orderView is an order as the pages show it.
type orderView struct {
	station.Order
	Created, Closed, Release string
	StatusKey                string
}

func viewOrder(o station.Order) orderView {
	return orderView{Order: o, Created: when(o.CreatedAt), Closed: when(o.ClosedAt), Release: when(o.ReleaseAfter), StatusKey: statusKey(o.Status)}
}

// stationWrite runs a station change (stock, donations, funds) once per form
// key, so a resent form changes nothing twice, then shows the page again
// with the outcome: page(status, flash, error).
func (s *Server) stationWrite(w http.ResponseWriter, r *http.Request, flashKey string,
	page func(status int, flash, errMsg string) error, fn func(tx *db.Tx, a civic.Actor) error) error {
	a, _ := ActorFrom(r.Context())
	if err := r.ParseForm(); err != nil {
		return civic.Errorf(civic.Invalid, "web.bad_form", "the form could not be read: %v", err)
	}
	var done bool
	err := s.once(r.Context(), a, "station:"+a.CommunityID, r.PostForm.Get("key"), r.PostForm, &done, func(tx *db.Tx) (any, error) {
		return true, fn(tx, a)
	})
	if err != nil {
		c := civic.ErrorCode(err)
		if c == civic.Internal {
			return err
		}
		return page(HTTPStatus(c), "", i18n.Error(LangFrom(r.Context()), err))
	}
	return page(http.StatusOK, s.T(r, flashKey), "")
}
