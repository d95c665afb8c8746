// Package i18n translates user-facing text. zh-CN is the default; English is
// complete because every entry is added with both languages at once.
package i18n

import (
	"fmt"
	"strings"
	"sync"

	"civicpoints/internal/civic"
)

// Lang is a supported language tag.
type Lang string

const (
	ZH Lang = "zh-CN"
	EN Lang = "en"
)

// Langs lists the supported languages.
var Langs = []Lang{ZH, EN}

var (
	mu      sync.RWMutex
	entries = map[string][2]string{}
)

// Add registers messages: key → {zh-CN, en}. Each capability adds its own
// from an init function in a file of this package named after it.
func Add(m map[string][2]string) {
	mu.Lock()
	defer mu.Unlock()
	for k, v := range m {
		if _, dup := entries[k]; dup {
			panic("i18n: duplicate key " + k)
		}
		entries[k] = v
	}
}

// Has reports whether key is in the catalogue.
func Has(key string) bool {
	mu.RLock()
	defer mu.RUnlock()
	_, ok := entries[key]
	return ok
}

// T translates key into lang, filling fmt verbs with args and choosing
// plural forms by them (plural.go). An unknown key is returned as is, so a
// missing entry shows up rather than vanishing.
func T(lang Lang, key string, args ...any) string {
	mu.RLock()
	v, ok := entries[key]
	mu.RUnlock()
	if !ok {
		return key
	}
	s := v[0]
	if lang == EN {
		s = v[1]
	}
	s = choose(lang, s, args)
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// Say renders a stored message in lang; a message without a key, or with a
// key the catalogue no longer has, gives the stored text instead.
func Say(lang Lang, m civic.Message, text string) string {
	if m.IsZero() || !Has(m.Key) {
		return text
	}
	return T(lang, m.Key, m.Args...)
}

// Parse picks a supported language from a tag or an Accept-Language header,
// falling back to def.
func Parse(header string, def Lang) Lang {
	for _, part := range strings.Split(header, ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		switch {
		case strings.HasPrefix(tag, "zh"):
			return ZH
		case strings.HasPrefix(tag, "en"):
			return EN
		}
	}
	return def
}

// Error translates a coded error for a user: its own catalogue entry when it
// has one, else the generic message for its code.
func Error(lang Lang, err error) string {
	e := civic.AsError(err)
	if e == nil {
		return T(lang, "error.internal")
	}
	if e.Key != "" && Has(e.Key) {
		return T(lang, e.Key, e.Args...)
	}
	if lang == EN && e.Message != "" {
		return e.Message
	}
	return T(lang, "error."+string(e.Code))
}
