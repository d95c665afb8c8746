package i18n

import "testing"

func TestParse(t *testing.T) {
	tests := []struct {
		header string
		want   Lang
	}{
		{"", ZH},
		{"en-US,en;q=0.9", EN},
		{"zh-CN,zh;q=0.9,en;q=0.8", ZH},
		{"fr-FR, en;q=0.5", EN},
	}
	for _, tt := range tests {
		if got := Parse(tt.header, ZH); got != tt.want {
			t.Errorf("Parse(%q) = %s, want %s", tt.header, got, tt.want)
		}
	}
}

// Every entry has both languages, and the same fmt verbs in each.
func TestCatalogueComplete(t *testing.T) {
	for k, v := range entries {
		if v[0] == "" || v[1] == "" {
			t.Errorf("%s: missing a language: %q", k, v)
		}
		if verbs(v[0]) != verbs(v[1]) {
			t.Errorf("%s: verbs differ: %q vs %q", k, v[0], v[1])
		}
	}
}

func verbs(s string) string {
	var out []byte
	for i := 0; i < len(s)-1; i++ {
		if s[i] == '%' {
			out = append(out, s[i+1])
			i++
		}
	}
	return string(out)
}
