package i18n

import (
	"strings"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// Plurals. A text names the forms of a word that follows a count as
// {one|other}: "%d {minute|minutes}" prints "1 minute" and "2 minutes". A
// choice follows the nearest fmt verb before it (or, with none before, the
// first after it), whose argument must be an integer; anything else takes
// the other form. Which numbers are "one" comes from CLDR's rules
// (golang.org/x/text), so a language added later gets its own. Chinese has one
// form and needs no choices.

var tags = map[Lang]language.Tag{ZH: language.Chinese, EN: language.English}

// choose replaces each {one|other} in s by the form its count asks for.
func choose(lang Lang, s string, args []any) string {
	if !strings.Contains(s, "|") {
		return s
	}
	verbs := verbEnds(s)
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		one, other, size, ok := choiceAt(s, i)
		if !ok {
			b.WriteByte(s[i])
			continue
		}
		if n, ok := countFor(verbs, i, args); ok && isOne(lang, n) {
			b.WriteString(one)
		} else {
			b.WriteString(other)
		}
		i += size - 1
	}
	return b.String()
}

// choiceAt reads "{one|other}" at s[i:]: its forms and length.
func choiceAt(s string, i int) (one, other string, n int, ok bool) {
	if s[i] != '{' {
		return "", "", 0, false
	}
	end := strings.IndexByte(s[i:], '}')
	if end < 0 {
		return "", "", 0, false
	}
	body := s[i+1 : i+end]
	one, other, ok = strings.Cut(body, "|")
	if !ok || strings.ContainsAny(body, "{%") || strings.Contains(other, "|") {
		return "", "", 0, false
	}
	return one, other, end + 1, true
}

// verb is a fmt verb of a text: where it ends and which argument it prints.
type verb struct{ end, arg int }

// verbEnds lists the verbs of a fmt format in order. Widths and precisions
// taken from an argument (*) consume one; explicit indexes [n] move on.
func verbEnds(format string) []verb {
	var out []verb
	arg := 0
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		for i < len(format) && strings.IndexByte("+-# 0.123456789[]*", format[i]) >= 0 {
			switch format[i] {
			case '*':
				arg++
			case '[':
				j := strings.IndexByte(format[i:], ']')
				if j < 0 {
					return out
				}
				n := 0
				for _, c := range format[i+1 : i+j] {
					n = n*10 + int(c-'0')
				}
				arg = n - 1
				i += j
			}
			i++
		}
		if i < len(format) && format[i] != '%' {
			out = append(out, verb{end: i + 1, arg: arg})
			arg++
		}
	}
	return out
}

// countFor returns the argument of the verb a choice at pos follows.
func countFor(verbs []verb, pos int, args []any) (n int64, ok bool) {
	at := -1
	for _, v := range verbs {
		if v.end <= pos {
			at = v.arg
		} else if at < 0 {
			at = v.arg
			break
		}
	}
	if at < 0 || at >= len(args) {
		return 0, false
	}
	switch x := args[at].(type) {
	case int:
		return int64(x), true
	case int8:
		return int64(x), true
	case int16:
		return int64(x), true
	case int32:
		return int64(x), true
	case int64:
		return x, true
	case uint:
		return int64(x), true
	case uint8:
		return int64(x), true
	case uint16:
		return int64(x), true
	case uint32:
		return int64(x), true
	case uint64:
		return int64(x), true
	}
	return 0, false
}

func isOne(lang Lang, n int64) bool {
	if n < 0 {
		n = -n
	}
	return plural.Cardinal.MatchPlural(tags[lang], int(n), 0, 0, 0, 0) == plural.One
}
