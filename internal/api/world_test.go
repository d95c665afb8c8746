package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"civicpoints/internal/api"
	"civicpoints/internal/app"
	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/config"
	"civicpoints/internal/db"
	"civicpoints/internal/idem"
)

// world is a community on a clock the test moves, with a token for every
// role, one for a worker of another community and one narrowed to a scope.
type world struct {
	t       *testing.T
	app     *app.App
	srv     *httptest.Server
	clock   *civic.FixedClock
	scratch app.Scratch
	tokens  map[string]string // role name (or "other", "scoped") → secret
	vars    map[string]string // ids the steps learn, by name
	covered *coverage
}

// start is a Monday morning in Shanghai.
var start = time.Date(2025, 6, 2, 2, 0, 0, 0, time.UTC)

func newWorld(t *testing.T, d *db.DB) *world {
	t.Helper()
	ctx := context.Background()
	clock := civic.NewFixedClock(start)
	a := app.New(&config.Config{Lang: "zh-CN"}, d, clock, slog.New(slog.NewTextHandler(io.Discard, nil)))
	t.Cleanup(func() { a.Batch.Close() })
	sc, err := a.ScratchCommunity(ctx, "chunjiang", 6)
	if err != nil {
		t.Fatal(err)
	}
	other, err := a.ScratchCommunity(ctx, "other", 0)
	if err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, app: a, srv: httptest.NewServer(a.Handler()), clock: clock, scratch: sc,
		tokens: map[string]string{"worker": sc.Token, "other": other.Token}, vars: map[string]string{},
		covered: &coverage{seen: map[string]bool{}}}
	t.Cleanup(w.srv.Close)
	districtID, err := a.District.Of(ctx, sc.CommunityID)
	if err != nil {
		t.Fatal(err)
	}
	mk := func(name, community string, role civic.Role, l auth.Limits) {
		req := auth.CreateTokenRequest{Community: community, Role: role, Name: "test " + name, Limits: l}
		if role == civic.RoleDistrict {
			req.District = districtID // the district of both scratch communities
		}
		tk, err := a.Auth.CreateToken(ctx, civic.System, idem.Key("world-token-"+name), req)
		if err != nil {
			t.Fatal(err)
		}
		w.tokens[name] = tk.Secret
	}
	mk("clerk", sc.CommunityID, civic.RoleClerk, auth.Limits{})
	mk("merchant", sc.CommunityID, civic.RoleMerchant, auth.Limits{})
	mk("district", "", civic.RoleDistrict, auth.Limits{})
	mk("admin", "", civic.RoleAdmin, auth.Limits{})
	mk("scoped", sc.CommunityID, civic.RoleWorker, auth.Limits{Scopes: []string{"catalogue:read"}})
	for i, r := range sc.Residents {
		w.vars["r"+string(rune('0'+i))] = r
	}
	return w
}

// roles are the tokens every route is tried with.
var roles = []string{"worker", "clerk", "merchant", "district", "admin", "other", "scoped"}

type answer struct {
	status int
	raw    []byte
	body   any
	header http.Header
}

func (a answer) field(path string) string {
	v := a.body
	for _, k := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[k]
		case []any:
			if len(x) == 0 {
				return ""
			}
			v = x[0]
			if m, ok := v.(map[string]any); ok {
				v = m[k]
			}
		}
	}
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case nil:
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

var placeholder = regexp.MustCompile(`\{([a-z0-9_]+)\}`)

// fill replaces {name} with what the steps learnt.
func (w *world) fill(s string) string {
	return placeholder.ReplaceAllStringFunc(s, func(m string) string {
		name := m[1 : len(m)-1]
		if v, ok := w.vars[name]; ok {
			return v
		}
		w.t.Fatalf("no value for %s in %q", m, s)
		return ""
	})
}

func (w *world) call(method, path, token, key, body, lang string) answer {
	w.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, w.srv.URL+path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	if lang != "" {
		req.Header.Set("Accept-Language", lang)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, raw: raw, header: resp.Header}
	a.body, _ = jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	return a
}

// schemas compiles the success answer of every documented operation.
type schemas struct {
	once sync.Once
	ops  []docOp
	err  error
}

type docOp struct {
	method  string
	pattern *regexp.Regexp
	status  string
	schema  *jsonschema.Schema
	errs    *jsonschema.Schema
}

var compiled schemas

func opsOf(t *testing.T) []docOp {
	compiled.once.Do(func() { compiled.ops, compiled.err = compileOps() })
	if compiled.err != nil {
		t.Fatal(compiled.err)
	}
	return compiled.ops
}

func compileOps() ([]docOp, error) {
	raw, err := api.Document()
	if err != nil {
		return nil, err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("doc.json", doc); err != nil {
		return nil, err
	}
	errSchema, err := c.Compile("doc.json#/components/schemas/Error")
	if err != nil {
		return nil, err
	}
	var ops []docOp
	for path, methods := range doc.(map[string]any)["paths"].(map[string]any) {
		re := regexp.MustCompile("^" + regexp.MustCompile(`\\\{[a-z_]+\\\}`).ReplaceAllString(regexp.QuoteMeta(path), `[^/]+`) + "$")
		for method, op := range methods.(map[string]any) {
			for status, resp := range op.(map[string]any)["responses"].(map[string]any) {
				if !strings.HasPrefix(status, "2") || strings.HasSuffix(path, "/docs") {
					continue
				}
				ptr := "doc.json#/paths/" + strings.NewReplacer("~", "~0", "/", "~1").Replace(path) + "/" + method + "/responses/" + status + "/content/application~1json/schema"
				_ = resp
				s, err := c.Compile(ptr)
				if err != nil {
					return nil, err
				}
				ops = append(ops, docOp{strings.ToUpper(method), re, status, s, errSchema})
			}
		}
	}
	return ops, nil
}

// checkShape says what is wrong with an answer's body: a success must match
// its operation's documented schema, an error the shape of every error.
func (w *world) checkShape(method, path string, a answer) string {
	p, _, _ := strings.Cut(path, "?")
	for _, op := range opsOf(w.t) {
		if op.method != method || !op.pattern.MatchString(p) {
			continue
		}
		if a.status >= 400 {
			if err := op.errs.Validate(a.body); err != nil {
				return "error shape: " + err.Error()
			}
			return ""
		}
		if err := op.schema.Validate(a.body); err != nil {
			return "answer shape: " + err.Error()
		}
		return ""
	}
	return "no documented operation for " + method + " " + p
}

// step is one call of a scenario: who, what, the status it must get, and
// the ids to learn from the answer ("name": "field.path").
type step struct {
	name, role, method, path, body string
	want                           int
	learn                          map[string]string
	check                          func(t *testing.T, a answer)
}

func (w *world) run(steps []step) {
	w.t.Helper()
	for _, s := range steps {
		path, body := w.fill("/api/v1/communities/chunjiang"+s.path), w.fill(s.body)
		key := ""
		if s.method != "GET" {
			key = "step-" + s.name
		}
		a := w.call(s.method, path, w.tokens[s.role], key, body, "")
		if a.status != s.want {
			w.t.Errorf("%s: %s %s as %s: %d %s, want %d", s.name, s.method, path, s.role, a.status, a.raw, s.want)
			continue
		}
		if msg := w.checkShape(s.method, path, a); msg != "" {
			w.t.Errorf("%s: %s: %s", s.name, msg, a.raw)
		}
		for name, field := range s.learn {
			if w.vars[name] = a.field(field); w.vars[name] == "" {
				w.t.Errorf("%s: no %s in %s", s.name, field, a.raw)
			}
		}
		if s.check != nil {
			s.check(w.t, a)
		}
		w.covered.add(s.method, path, a.status)
	}
}

// coverage records which calls a scenario drove to success, so a test can
// require that every route was.
type coverage struct {
	mu   sync.Mutex
	seen map[string]bool
}

func (c *coverage) add(method, path string, status int) {
	if status >= 300 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seen[method+" "+path] = true
}
