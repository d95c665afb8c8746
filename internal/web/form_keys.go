package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"civicpoints/internal/civic"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
	"civicpoints/internal/ledger"
)

// The one-time keys of forms that write: a double-click or a resent form
// replays the first answer instead of paying (or publishing, signing up…)
// twice.

// newFormKey is the hidden idempotency key of a form, new on every render.
func newFormKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// commandKey reads a form's hidden key as a command takes it. A missing or
// broken key is refused with the pages' message (reload and send again),
// never replaced by one made up here: a double submit would then count twice.
func commandKey(r *http.Request) (idem.Key, error) {
	key, err := formKey(r)
	if err != nil {
		return "", err
	}
	k, err := idem.ParseKey(key)
	if err != nil {
		return "", civic.Errorf(civic.Invalid, "web.form_key_bad", "this form's one-time key is not valid (it must be 1–%d printable ASCII characters) and the form was not accepted: reload the page and send it again", ledger.MaxKeyLen)
	}
	return k, nil
}

// once runs fn through the group-commit batcher under the form's key
// (ledger.Idempotent): the first request with the key runs, a replay returns
// the stored JSON answer into out, a different request with the key is refused.
// The earning pages still use it until they call their commands.
func (s *Server) once(ctx context.Context, a civic.Actor, shard, key string, form url.Values, out any, fn func(tx *db.Tx) (any, error)) error {
	if err := checkFormKey(key); err != nil {
		return err
	}
	if s.Batch == nil {
		return fmt.Errorf("web: these pages need Options.Batch")
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
