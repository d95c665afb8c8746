package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"civicpoints/internal/auth"
	"civicpoints/internal/db/dbtest"
)

// browserResolve reads a Location header the way a browser does (WHATWG URL
// parsing): leading and trailing spaces and control characters dropped, tabs
// and newlines removed anywhere, a backslash read as a slash, then resolved
// against the page that redirected.
func browserResolve(t *testing.T, base, location string) *url.URL {
	t.Helper()
	loc := strings.TrimFunc(location, func(r rune) bool { return r <= ' ' })
	loc = strings.NewReplacer("\t", "", "\n", "", "\r", "", `\`, "/").Replace(loc)
	b, _ := url.Parse(base)
	u, err := url.Parse(loc)
	if err != nil {
		// A browser that cannot parse it stays; report it as the base host.
		return b
	}
	return b.ResolveReference(u)
}

// postRaw posts a form and returns the answer as sent, redirect unfollowed
// (an http.Client refuses a Location it cannot parse before a browser would).
func postRaw(target string, form url.Values) (*http.Response, error) {
	req, err := http.NewRequest("POST", target, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return http.DefaultTransport.RoundTrip(req)
}

// nextTricks are values of ?next= and back= that try to leave the site, each
// with where it must land: "" means the fallback (the role's home page).
var nextTricks = []struct{ next, want string }{
	{"/resident/points", "/resident/points"},
	{"/resident/points?month=2025-03", "/resident/points?month=2025-03"},
	{"/resident/./points", "/resident/points"},
	{"/resident/../resident/points", "/resident/points"},
	{"", ""},
	{"resident/points", ""},
	{"//evil.example", ""},
	{"///evil.example", ""},
	{"//evil.example/resident", ""},
	{`/\evil.example`, ""},
	{`\\evil.example`, ""},
	{`/\/evil.example`, ""},
	{"/\t/evil.example", ""},
	{"/\n/evil.example", ""},
	{"/\r\n/evil.example", ""},
	{"\t//evil.example", ""},
	{" //evil.example", ""},
	{"/ /evil.example", ""},
	{"/\x7f/evil.example", ""},
	{`/../\evil.example`, ""},
	{`/./\evil.example`, ""},
	{"/..//evil.example", "/evil.example"},
	{"/../%5Cevil.example", ""},
	{"/../%5cevil.example", ""},
	{"/%2F/evil.example", ""},
	{"/%2f%2fevil.example", ""},
	{"/%2e%2e/%2fevil.example", ""},
	{"/%09/evil.example", ""},
	{"/%0a/evil.example", ""},
	{"/%00/evil.example", ""},
	{"https://evil.example/", ""},
	{"http:evil.example", ""},
	{"javascript:alert(1)", ""},
	{"data:text/html,hi", ""},
	{"/http://evil.example", "/http:/evil.example"},
	{"//user@evil.example", ""},
	{"//user:pass@evil.example/x", ""},
	{"/@evil.example", "/@evil.example"},
	{"https:/\\evil.example", ""},
	{"/\u3000/evil.example", ""},
	{"/\u2028/evil.example", ""},
	{"/resident/points#frag", "/resident/points"},
}

// After logging in, ?next= may only lead to a page of this site.
func TestLoginNextStaysOnSite(t *testing.T) {
	t.Parallel()
	f := setup(t, dbtest.SQLite(t))
	host := strings.TrimPrefix(f.srv.URL, "http://")
	for _, tt := range nextTricks {
		res, err := postRaw(f.srv.URL+"/login", url.Values{
			"username": {"resident"}, "password": {auth.DemoPassword("resident")}, "next": {tt.next}})
		if err != nil {
			t.Errorf("%q: %v", tt.next, err)
			continue
		}
		body(t, res)
		if res.StatusCode != http.StatusSeeOther {
			t.Errorf("next=%q: status %d, want 303", tt.next, res.StatusCode)
			continue
		}
		loc := res.Header.Get("Location")
		got := browserResolve(t, f.srv.URL+"/login", loc)
		want := tt.want
		if want == "" {
			want = "/resident"
		}
		if got.Host != host || got.RequestURI() != want {
			t.Errorf("next=%q: Location %q leads to %s, want %s on this site", tt.next, loc, got, want)
		}
	}
	// The login page carries only a safe next into its form.
	res, err := http.Get(f.srv.URL + "/login?next=" + url.QueryEscape("/\t/evil.example"))
	if err != nil {
		t.Fatal(err)
	}
	if page := body(t, res); !strings.Contains(page, `name="next" value=""`) {
		t.Errorf("the login form carries an offsite next")
	}
}

// The language switch's back= is held to the same rule.
func TestLangBackStaysOnSite(t *testing.T) {
	t.Parallel()
	f := setup(t, dbtest.SQLite(t))
	host := strings.TrimPrefix(f.srv.URL, "http://")
	for _, tt := range nextTricks {
		res, err := postRaw(f.srv.URL+"/lang", url.Values{"lang": {"en"}, "back": {tt.next}})
		if err != nil {
			t.Errorf("%q: %v", tt.next, err)
			continue
		}
		body(t, res)
		loc := res.Header.Get("Location")
		got := browserResolve(t, f.srv.URL+"/lang", loc)
		want := tt.want
		if want == "" {
			want = "/"
		}
		if res.StatusCode != http.StatusSeeOther || got.Host != host || got.RequestURI() != want {
			t.Errorf("back=%q: %d Location %q leads to %s, want %s on this site", tt.next, res.StatusCode, loc, got, want)
		}
	}
}
