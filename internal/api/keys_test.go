package api_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
)

// The API judges an Idempotency-Key by the pages' rule (ledger.ValidKey):
// 1–128 printable ASCII characters, not blank, no space at either end. The
// header is set on the request as it reaches the handler, so bytes an HTTP
// client would refuse to send (NUL) are judged too; what is refused moves
// no point.
func TestIdempotencyKeyRule(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		h := f.app.Handler()
		rid := f.residents[2]
		cases := []struct {
			name, key string
			ok        bool
		}{
			{"empty", "", false},
			{"129 characters", strings.Repeat("k", 129), false},
			{"tab", "key\twith-tab", false},
			{"NUL", "key\x00nul", false},
			{"newline", "key\nline", false},
			{"DEL", "key\x7f", false},
			{"non-ASCII", "幂等键-1", false},
			{"Latin-1 byte", "caf\xe9", false},
			{"only spaces", "   ", false},
			{"leading space", " lead", false},
			{"trailing space", "trail ", false},
			{"one character", "a", true},
			{"128 characters", strings.Repeat("b", 128), true},
			{"inner space", "order 42", true},
			{"every sign", "~!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}", true},
			{"a uuid", "0b6f1c8e-3d2a-4f7b-9c1e-5a4d3b2c1f00", true},
		}
		earned := 0
		for i, c := range cases {
			body := fmt.Sprintf(`{"resident_id":%q,"points":1,"indicator":"bench","reason":"key case %d"}`, rid, i)
			req := httptest.NewRequest("POST", base+"/awards", strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+f.worker)
			req.Header["Idempotency-Key"] = []string{c.key}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if c.ok {
				earned++
			}
			want := http.StatusBadRequest
			if c.ok {
				want = http.StatusCreated
			}
			if rec.Code != want || (!c.ok && !strings.Contains(rec.Body.String(), `"code":"invalid"`)) {
				t.Errorf("%s: %d %s, want %d", c.name, rec.Code, rec.Body.String(), want)
			}
			acct := f.do(call{"GET", base + "/residents/" + rid + "/account", f.worker, "", "", ""})
			if acct.body["balance"] != float64(earned) {
				t.Errorf("%s: balance %v, want %d", c.name, acct.body["balance"], earned)
			}
		}
	})
}
