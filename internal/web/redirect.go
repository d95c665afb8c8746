package web

import (
	"net/url"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// localPath accepts only a path on this site, so a link cannot send a user
// elsewhere after login or a language switch; anything else is fallback.
//
// The check is made on what the browser finally follows, not on the raw
// value: http.Redirect cleans the path ("/../\evil" becomes "/\evil"), and
// browsers drop tabs and newlines and read a backslash as a slash, so
// "/\t/evil" and "/\evil" both mean "//evil", another host. So the value
// must hold no control character, space or backslash (raw or
// percent-encoded, nor an encoded slash or dot, which no page of ours
// needs), parse as a bare path (no scheme, host or user), and still begin
// with exactly one slash after the same cleaning http.Redirect does. The
// answer is that cleaned path and its query, without any fragment.
func localPath(p, fallback string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || !utf8.ValidString(p) || strings.ContainsFunc(p, unsafeRune) {
		return fallback
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		strings.ContainsFunc(u.Path, unsafeRune) {
		return fallback
	}
	raw := u.EscapedPath()
	lower := strings.ToLower(raw)
	for _, enc := range []string{"%2f", "%5c", "%2e"} {
		if strings.Contains(lower, enc) {
			return fallback
		}
	}
	// The cleaning of http.Redirect: path.Clean, keeping a trailing slash.
	clean := path.Clean(raw)
	if strings.HasSuffix(raw, "/") && !strings.HasSuffix(clean, "/") {
		clean += "/"
	}
	if !strings.HasPrefix(clean, "/") || strings.HasPrefix(clean, "//") {
		return fallback
	}
	if u.RawQuery != "" {
		clean += "?" + u.RawQuery
	}
	return clean
}

// unsafeRune is what a browser may drop or reinterpret in a URL.
func unsafeRune(r rune) bool {
	return r == '\\' || r < 0x20 || r == 0x7f || unicode.IsSpace(r) || unicode.IsControl(r) || r == utf8.RuneError
}
