package edge

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"civicpoints/internal/civic"
)

func key(err error) string {
	if e := civic.AsError(err); e != nil {
		return e.Key
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

func TestJSON(t *testing.T) {
	long := `"` + strings.Repeat("a", MaxField+1) + `"`
	fits := `"` + strings.Repeat("中", MaxField/3) + `"`
	tests := []struct{ body, want, where string }{
		{`{"reason":"help"}`, "", ""},
		{`{"reason":"tab\tnew\nline \"quoted\" \\ \/ \u4e2d\ud83d\ude00"}`, "", ""},
		{`{"items":[{"good_id":"g1","quantity":2}],"note":null}`, "", ""},
		{`{"reason":"a\u0000b"}`, "edge.nul", "reason"},
		{`{"reason":"a\u0000"}`, "edge.nul", "reason"},
		{"{\"reason\":\"a\x00b\"}", "edge.nul", "reason"},
		{`{"items":[{"good_id":"\u0000","quantity":1}]}`, "edge.nul", "good_id"},
		{`{"re\u0000ason":"x"}`, "edge.nul", "re\x00ason"},
		{"{\"reason\":\"a\xffb\"}", "edge.utf8", "body"},
		{"{\"reason\":\"\xc3\"}", "edge.utf8", "body"},
		{`{"reason":"\ud800"}`, "edge.utf8", "reason"},
		{`{"reason":"\udc00\ud800"}`, "edge.utf8", "reason"},
		{`{"reason":"\ud800\u0041"}`, "edge.utf8", "reason"},
		{`{"reason":"\ud800x"}`, "edge.utf8", "reason"},
		{`{"reason":` + long + `}`, "edge.long", "reason"},
		{`{"reason":` + fits + `}`, "", ""},
		{`{"reason":"\u4e2d` + strings.Repeat("a", MaxField-3) + `"}`, "", ""},
		{`{"reason":"unterminated`, "", ""},
		{`{"reason":"bad \x escape"}`, "", ""},
	}
	for _, tt := range tests {
		err := JSON([]byte(tt.body))
		if got := key(err); got != tt.want {
			t.Errorf("JSON(%.60q) = %v, want %s", tt.body, err, tt.want)
			continue
		}
		if tt.where != "" {
			if e := civic.AsError(err); len(e.Args) == 0 || e.Args[0] != tt.where {
				t.Errorf("JSON(%.60q) names %v, want %q", tt.body, e.Args, tt.where)
			}
		}
	}
}

func TestRequest(t *testing.T) {
	tests := []struct{ target, header, value, want string }{
		{"/worker/registry?q=%E5%BC%A0", "", "", ""},
		{"/worker/registry?q=a%00b", "", "", "edge.nul"},
		{"/worker/registry?q%00=x", "", "", "edge.nul"},
		{"/worker/registry?q=%FF", "", "", "edge.utf8"},
		{"/worker/registry?q=%zz", "", "", "edge.bad_query"},
		{"/worker/registry?q=" + strings.Repeat("a", MaxField+1), "", "", "edge.long"},
		{"/worker/registry/residents/a%00b", "", "", "edge.nul"},
		{"/worker/registry/residents/a%C0%AFb", "", "", "edge.utf8"},
		{"/api/v1/x", "Idempotency-Key", "k\xff", "edge.utf8"},
		{"/api/v1/x", "Authorization", "Bearer \xc3", "edge.utf8"},
		{"/api/v1/x", "User-Agent", "\xff", ""}, // not an input
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", tt.target, nil)
		if tt.header != "" {
			r.Header.Set(tt.header, tt.value)
		}
		if got := key(Request(r)); got != tt.want {
			t.Errorf("%s %s: %q, want %q", tt.target, tt.header, got, tt.want)
		}
	}
}

func TestBodyError(t *testing.T) {
	w := httptest.NewRecorder()
	r := httptest.NewRequest("POST", "/", strings.NewReader(strings.Repeat("a", 3<<20)))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Body = http.MaxBytesReader(w, r.Body, 2<<20)
	err := BodyError(r.ParseForm(), 0)
	if e := civic.AsError(err); e == nil || e.Key != "edge.too_large" || e.Args[0] != int64(2) {
		t.Errorf("a body over 2 MB: %v", err)
	}
	if err := BodyError(http.ErrNotMultipart, 4); err != http.ErrNotMultipart {
		t.Errorf("other errors pass: %v", err)
	}
}
