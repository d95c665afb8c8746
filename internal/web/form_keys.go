package web

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"

	"civicpoints/internal/civic"
	"civicpoints/internal/idem"
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
		return "", civic.Errorf(civic.Invalid, "web.form_key_bad", "this form's one-time key is not valid (it must be 1–%d printable ASCII characters) and the form was not accepted: reload the page and send it again", idem.MaxKeyLen)
	}
	return k, nil
}
