package edge

import (
	"encoding/json"
	"unicode/utf16"
	"unicode/utf8"
)

// JSON checks every string of a JSON request body, names and values, before
// encoding/json reads it: encoding/json turns invalid UTF-8 and a lone
// surrogate escape ("\ud800") into U+FFFD without a word, and "\u0000" into
// a NUL. A value is named in the message by the key it belongs to. Grammar
// is not checked here; the decoder that follows reports that.
func JSON(body []byte) error {
	if !utf8.Valid(body) {
		return utf8Error("body")
	}
	key := "body"
	for i := 0; i < len(body); i++ {
		switch body[i] {
		case 0:
			return nulError(key)
		case '"':
			end, n, f := scanString(body, i+1)
			if isKey(body, end+1) {
				var k string
				if json.Unmarshal(body[i:end+1], &k) == nil {
					key = k
				}
			}
			switch {
			case f == hasNUL:
				return nulError(key)
			case f == badText:
				return utf8Error(key)
			case n > MaxField:
				return longError(key, MaxField)
			}
			i = end
		}
	}
	return nil
}

// isKey reports whether the next token after i is a colon.
func isKey(b []byte, i int) bool {
	for ; i < len(b); i++ {
		if c := b[i]; c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return c == ':'
		}
	}
	return false
}

type flaw int

const (
	sound   flaw = iota
	badText      // a surrogate escape without its pair
	hasNUL       // a raw NUL or \u0000
)

// scanString reads a JSON string whose first byte after the quote is at i:
// it returns the index of the closing quote, the decoded length in bytes and
// what is wrong with it (a NUL before bad text). An unterminated string or a bad escape is left for
// the decoder to refuse.
func scanString(b []byte, i int) (end, n int, f flaw) {
	for ; i < len(b); i++ {
		switch c := b[i]; {
		case c == '"':
			return i, n, f
		case c == 0:
			f = max(f, hasNUL)
			continue
		case c != '\\':
			n++
			continue
		}
		if i+1 >= len(b) {
			break
		}
		if b[i+1] != 'u' {
			i++
			n++
			continue
		}
		r, ok := hex4(b, i+2)
		if !ok {
			i++
			continue
		}
		i += 5
		switch {
		case r == 0:
			f = max(f, hasNUL)
		case utf16.IsSurrogate(r):
			lo, ok := rune(0), false
			if r < 0xdc00 && i+2 < len(b) && b[i+1] == '\\' && b[i+2] == 'u' {
				lo, ok = hex4(b, i+3)
			}
			if !ok || utf16.DecodeRune(r, lo) == utf8.RuneError {
				f = max(f, badText)
				continue
			}
			i += 6
			n += 4
		default:
			n += utf8.RuneLen(r)
		}
	}
	return len(b) - 1, n, f
}

// hex4 reads the four hex digits of a \u escape starting at i.
func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[i : i+4] {
		switch {
		case '0' <= c && c <= '9':
			r = r<<4 | rune(c-'0')
		case 'a' <= c && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case 'A' <= c && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}
