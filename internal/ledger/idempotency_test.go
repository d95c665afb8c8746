package ledger

import (
	"strings"
	"testing"

	"civicpoints/internal/civic"
)

// ValidKey is the one key rule of pages and API; CheckKey leaves room for a
// caller's namespace in front of a full-length client key and nothing else.
func TestValidKey(t *testing.T) {
	tests := []struct {
		key  string
		want KeyFault
	}{
		{"", KeyMissing},
		{strings.Repeat("k", 129), KeyTooLong},
		{strings.Repeat("é", 65), KeyTooLong}, // 130 bytes
		{"a\tb", KeyNotPrintable},
		{"a\x00b", KeyNotPrintable},
		{"a\r\nb", KeyNotPrintable},
		{"a\x7f", KeyNotPrintable},
		{"键", KeyNotPrintable},
		{"caf\xe9", KeyNotPrintable},
		{" ", KeyNotPrintable},
		{"    ", KeyNotPrintable},
		{" a", KeyNotPrintable},
		{"a ", KeyNotPrintable},
		{"a", KeyOK},
		{strings.Repeat("b", 128), KeyOK},
		{"a b", KeyOK},
		{"~!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}", KeyOK},
	}
	for _, tt := range tests {
		if got := ValidKey(tt.key); got != tt.want {
			t.Errorf("ValidKey(%q) = %d, want %d", tt.key, got, tt.want)
		}
		perr := ParseKey(tt.key)
		if (perr == nil) != (tt.want == KeyOK) || (perr != nil && civic.ErrorCode(perr) != civic.Invalid) {
			t.Errorf("ParseKey(%q) = %v", tt.key, perr)
		}
	}
	for _, key := range []string{"web:a\tb", "web:a\x00", "web:键", "web:caf\xe9", "web: ", ""} {
		if CheckKey(key) == nil {
			t.Errorf("CheckKey(%q) accepted a key no client could have sent", key)
		}
	}
	if err := CheckKey("web:" + strings.Repeat("b", 128)); err != nil {
		t.Errorf("a full-length key behind its namespace: %v", err)
	}
	if err := CheckKey(strings.Repeat("b", 128+17)); err == nil {
		t.Errorf("CheckKey accepted a key longer than any namespace allows")
	}
}
