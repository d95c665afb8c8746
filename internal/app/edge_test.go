package app_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"slices"
	"strings"
	"testing"

	"civicpoints/internal/app"
	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/config"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/earning"
	"civicpoints/internal/i18n"
)

// edgeSite is a running server over a scratch community with the demo users,
// a worker API token and one logged-in browser per role.
type edgeSite struct {
	url, slug, token, resident string
	clients                    map[string]*http.Client
}

func newEdgeSite(t *testing.T, d *db.DB, cfg *config.Config) (*edgeSite, *app.App) {
	t.Helper()
	ctx := context.Background()
	a := app.New(cfg, d, civic.SystemClock{}, slog.New(slog.DiscardHandler))
	t.Cleanup(a.Batch.Close)
	a.Auth.Params = auth.PasswordParams{Memory: 1024, Time: 1, Threads: 1}
	sc, err := a.ScratchCommunity(ctx, "edge", 2)
	if err != nil {
		t.Fatal(err)
	}
	err = d.WithTx(ctx, func(tx *db.Tx) error {
		_, err := a.Auth.SeedDemoUsers(ctx, tx, sc.CommunityID, sc.Residents[0])
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	s := &edgeSite{url: srv.URL, slug: sc.Slug, token: sc.Token, resident: sc.Residents[0], clients: map[string]*http.Client{"": {}}}
	for _, user := range []string{"resident", "worker", "clerk", "admin"} {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar}
		res, err := c.PostForm(srv.URL+"/login", url.Values{"username": {user}, "password": {auth.DemoPassword(user)}})
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 || res.Request.URL.Path == "/login" {
			t.Fatalf("login %s: %d at %s", user, res.StatusCode, res.Request.URL)
		}
		s.clients[user] = c
	}
	return s, a
}

// edgeCase is one request carrying bad text in one place.
type edgeCase struct {
	name, user, method, path string
	form                     url.Values // a urlencoded form, or multipart when files is set
	files                    map[string]string
	json                     string // an API body
	header                   map[string]string
	want                     string // part of the translated (zh-CN) message
}

const (
	nul  = "a\x00b"
	bad  = "a\xffb"
	wNUL = "空字符"
	wUTF = "UTF-8"
	wLen = "10000 字节"
)

var long = strings.Repeat("长", 3334) // 10,002 bytes

func (s *edgeSite) cases() []edgeCase {
	api := "/api/v1/communities/" + s.slug
	award := func(field, v string) string {
		m := map[string]any{"resident_id": s.resident, "points": 1, "indicator": "bench", "reason": "help"}
		m[field] = v
		b, _ := json.Marshal(m)
		return string(b)
	}
	return []edgeCase{
		// Pages: form fields, query parameters, path values, multipart fields.
		{name: "login name NUL", method: "POST", path: "/login", form: url.Values{"username": {nul}, "password": {"x"}}, want: wNUL},
		{name: "login name bad UTF-8", method: "POST", path: "/login", form: url.Values{"username": {bad}, "password": {"x"}}, want: wUTF},
		{name: "login password bad UTF-8", method: "POST", path: "/login", form: url.Values{"username": {"worker"}, "password": {bad}}, want: wUTF},
		{name: "login next NUL", method: "GET", path: "/login?next=%2Fa%00b", want: wNUL},
		{name: "lang back NUL", user: "worker", method: "POST", path: "/lang", form: url.Values{"lang": {"en"}, "back": {nul}}, want: wNUL},
		{name: "award reason NUL", user: "worker", method: "POST", path: "/worker/award",
			form: url.Values{"mode": {"single"}, "resident": {s.resident}, "indicator": {"bench"}, "points": {"5"}, "reason": {nul}, "key": {"k1"}}, want: wNUL},
		{name: "award resident NUL", user: "worker", method: "POST", path: "/worker/award",
			form: url.Values{"mode": {"single"}, "resident": {s.resident + "\x00"}, "indicator": {"bench"}, "points": {"5"}, "reason": {"x"}, "key": {"k2"}}, want: wNUL},
		{name: "award field name NUL", user: "worker", method: "POST", path: "/worker/award",
			form: url.Values{"re\x00ason": {"x"}, "key": {"k3"}}, want: wNUL},
		{name: "visit notes NUL", user: "worker", method: "POST", path: "/worker/visits",
			form: url.Values{"resident": {s.resident}, "date": {"2025-03-01"}, "method": {"home"}, "notes": {nul}}, want: wNUL},
		{name: "activity title bad UTF-8", user: "worker", method: "POST", path: "/worker/activities",
			form: url.Values{"title": {bad}, "indicator": {"bench"}, "key": {"k4"}}, want: wUTF},
		{name: "reversal reason NUL", user: "worker", method: "POST", path: "/worker/reverse", form: url.Values{"transfer": {"t"}, "reason": {nul}}, want: wNUL},
		{name: "registry search NUL", user: "worker", method: "GET", path: "/worker/registry?q=a%00b", want: wNUL},
		{name: "registry cursor bad UTF-8", user: "worker", method: "GET", path: "/worker/registry?cursor=%FF", want: wUTF},
		{name: "resident id NUL", user: "worker", method: "GET", path: "/worker/registry/residents/a%00b", want: wNUL},
		{name: "resident id bad UTF-8", user: "worker", method: "POST", path: "/worker/registry/residents/a%FFb/open", form: url.Values{"why": {"x"}}, want: wUTF},
		{name: "good name NUL", user: "clerk", method: "POST", path: "/clerk/stock/good", form: url.Values{"name": {nul}, "unit": {"袋"}, "category": {"food"}, "points": {"10"}}, want: wNUL},
		{name: "good name 10 KB", user: "clerk", method: "POST", path: "/clerk/stock/good", form: url.Values{"name": {long}, "unit": {"袋"}, "category": {"food"}, "points": {"10"}}, want: wLen},
		{name: "donor name NUL", user: "clerk", method: "POST", path: "/clerk/donations/donor", form: url.Values{"name": {nul}}, want: wNUL},
		{name: "donor name 10 KB", user: "clerk", method: "POST", path: "/clerk/donations/donor", form: url.Values{"name": {long}}, want: wLen},
		{name: "counter code NUL", user: "clerk", method: "POST", path: "/clerk/counter/scan", form: url.Values{"code": {nul}}, want: wNUL},
		{name: "points cursor NUL", user: "resident", method: "GET", path: "/resident/points?cursor=%00", want: wNUL},
		{name: "hours evidence bad UTF-8", user: "resident", method: "POST", path: "/resident/hours",
			form: url.Values{"day": {"2025-03-01"}, "minutes": {"60"}, "evidence": {bad}, "key": {"k5"}}, want: wUTF},
		{name: "suggestion title NUL", user: "resident", method: "POST", path: "/resident/suggestions",
			form: url.Values{"title": {nul}, "body": {"a good idea"}, "key": {"k6"}}, files: map[string]string{}, want: wNUL},
		{name: "suggestion body 10 KB", user: "resident", method: "POST", path: "/resident/suggestions",
			form: url.Values{"title": {"idea"}, "body": {long}, "key": {"k7"}}, files: map[string]string{}, want: wLen},
		{name: "import file name bad UTF-8", user: "worker", method: "POST", path: "/worker/import",
			files: map[string]string{"file": "re\xffsidents.csv"}, want: wUTF},
		{name: "new user name NUL", user: "admin", method: "POST", path: "/admin/users",
			form: url.Values{"username": {nul}, "role": {"worker"}, "password": {"long enough password"}}, want: wNUL},
		// API: path values, query parameters, headers used as input, JSON strings.
		{name: "API community NUL", method: "GET", path: "/api/v1/communities/a%00b/residents", want: wNUL},
		{name: "API cursor NUL", method: "GET", path: api + "/residents?cursor=%00", want: wNUL},
		{name: "API cursor bad UTF-8", method: "GET", path: api + "/residents?cursor=%C3", want: wUTF},
		{name: "API account id NUL", method: "GET", path: api + "/residents/a%00b/account", want: wNUL},
		{name: "API award reason NUL", method: "POST", path: api + "/awards", json: award("reason", nul), want: wNUL},
		{name: "API award resident NUL", method: "POST", path: api + "/awards", json: award("resident_id", nul), want: wNUL},
		{name: "API award reason bad UTF-8", method: "POST", path: api + "/awards",
			json: `{"resident_id":"` + s.resident + `","points":1,"indicator":"bench","reason":"a` + "\xff" + `b"}`, want: wUTF},
		{name: "API award reason lone surrogate", method: "POST", path: api + "/awards",
			json: `{"resident_id":"` + s.resident + `","points":1,"indicator":"bench","reason":"a\ud800b"}`, want: wUTF},
		{name: "API award reason 10 KB", method: "POST", path: api + "/awards", json: award("reason", long), want: wLen},
		{name: "API award key NUL", method: "POST", path: api + "/awards", json: `{"resident_id":"x","points":1,"indicator":"bench","reas\u0000on":"x"}`, want: wNUL},
		{name: "API idempotency key bad UTF-8", method: "POST", path: api + "/awards", json: award("reason", "ok"),
			header: map[string]string{"Idempotency-Key": "k\xff"}, want: wUTF},
		{name: "API redemption good NUL", method: "POST", path: api + "/redemptions",
			json: `{"resident_id":"` + s.resident + `","items":[{"good_id":"g\u0000","quantity":1}]}`, want: wNUL},
		{name: "API reversal reason NUL", method: "POST", path: api + "/reversals", json: `{"transfer_id":"t","reason":"\u0000"}`, want: wNUL},
		{name: "API token bad UTF-8", method: "GET", path: api + "/goods", header: map[string]string{"Authorization": "Bearer \xff"}, want: wUTF},
	}
}

func (s *edgeSite) do(t *testing.T, i int, c edgeCase) *http.Response {
	t.Helper()
	var body io.Reader
	ctype := ""
	switch {
	case c.files != nil:
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		for k, vs := range c.form {
			for _, v := range vs {
				mw.WriteField(k, v)
			}
		}
		for field, name := range c.files {
			h := textproto.MIMEHeader{}
			h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename="%s"`, field, name))
			h.Set("Content-Type", "text/csv")
			p, _ := mw.CreatePart(h)
			p.Write([]byte("姓名\n"))
		}
		mw.Close()
		body, ctype = &b, mw.FormDataContentType()
	case c.form != nil:
		body, ctype = strings.NewReader(c.form.Encode()), "application/x-www-form-urlencoded"
	case c.json != "":
		body, ctype = strings.NewReader(c.json), "application/json"
	}
	req, err := http.NewRequest(c.method, s.url+c.path, body)
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if strings.HasPrefix(c.path, "/api/") {
		req.Header.Set("Authorization", "Bearer "+s.token)
		if c.method == "POST" {
			req.Header.Set("Idempotency-Key", fmt.Sprintf("edge-%d", i))
		}
	}
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	res, err := s.clients[c.user].Do(req)
	if err != nil {
		t.Fatalf("%s: %v", c.name, err)
	}
	return res
}

// Text the database refuses (a NUL, invalid UTF-8) and oversized fields are
// refused at the edge, in every place a request carries text, with 400
// invalid and a translated message, and nothing is written.
func TestBadTextRefusedAtTheEdge(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		t.Parallel()
		s, _ := newEdgeSite(t, d, &config.Config{Lang: "zh-CN", SecretKey: strings.Repeat("k", 32)})
		before := digest(t, d)
		for i, c := range s.cases() {
			res := s.do(t, i, c)
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusBadRequest {
				t.Errorf("%s: status %d, want 400:\n%.300s", c.name, res.StatusCode, b)
				continue
			}
			if strings.HasPrefix(c.path, "/api/") {
				var e struct {
					Error struct{ Code, Message string }
				}
				if err := json.Unmarshal(b, &e); err != nil || e.Error.Code != "invalid" || !strings.Contains(e.Error.Message, c.want) {
					t.Errorf("%s: answer %s, want code invalid and a message with %q", c.name, b, c.want)
				}
				continue
			}
			if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(b), c.want) {
				t.Errorf("%s: page lacks %q:\n%.600s", c.name, c.want, b)
			}
		}
		if after := digest(t, d); !maps(before, after) {
			for table, sum := range after {
				if before[table] != sum {
					t.Errorf("table %s changed", table)
				}
			}
		}
	})
}

func maps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// digest sums every row of every table but sessions (whose last use moves
// with every request), so any write shows.
func digest(t *testing.T, d *db.DB) map[string]string {
	t.Helper()
	ctx := context.Background()
	q := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
	if d.Dialect != db.SQLite {
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
	}
	rows, err := d.Query(ctx, q)
	tables, err := db.Collect(rows, err, db.ScanString)
	if err != nil || len(tables) == 0 {
		t.Fatalf("tables: %v %v", tables, err)
	}
	out := map[string]string{}
	for _, table := range tables {
		if table == "sessions" {
			continue
		}
		rows, err := d.R.QueryContext(ctx, "SELECT * FROM "+table)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		var lines []string
		for rows.Next() {
			vals := make([]sql.RawBytes, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			lines = append(lines, fmt.Sprintf("%q", vals))
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
		slices.Sort(lines)
		sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
		out[table] = hex.EncodeToString(sum[:])
	}
	return out
}

// A photo over the limit is refused with the translated limit, not Go's
// "http: request body too large".
func TestPhotoOverLimitNamesTheLimit(t *testing.T) {
	t.Parallel()
	s, _ := newEdgeSite(t, dbtest.SQLite(t), &config.Config{Lang: "zh-CN", SecretKey: strings.Repeat("k", 32)})
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("title", "idea")
	mw.WriteField("body", "a good idea")
	mw.WriteField("key", "photo-1")
	p, _ := mw.CreateFormFile("photo", "big.jpg")
	p.Write(bytes.Repeat([]byte{0xff}, earning.MaxPhoto+200<<10))
	mw.Close()
	req, _ := http.NewRequest("POST", s.url+"/resident/suggestions", &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := s.clients["resident"].Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	want := i18n.T(i18n.ZH, "edge.too_large", earning.MaxPhoto>>20)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(page), want) || strings.Contains(string(page), "too large") {
		t.Errorf("a photo over the limit: %d, want 400 with %q:\n%s", res.StatusCode, want, page)
	}
}
