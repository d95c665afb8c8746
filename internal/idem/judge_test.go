package idem

import (
	"strings"
	"testing"

	"civicpoints/internal/civic"
)

// Judge is the one key rule of pages and API.
func TestJudge(t *testing.T) {
	tests := []struct {
		key  string
		want Fault
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
		if got := Judge(tt.key); got != tt.want {
			t.Errorf("Judge(%q) = %d, want %d", tt.key, got, tt.want)
		}
		_, perr := ParseKey(tt.key)
		if (perr == nil) != (tt.want == KeyOK) || (perr != nil && civic.ErrorCode(perr) != civic.Invalid) {
			t.Errorf("ParseKey(%q) = %v", tt.key, perr)
		}
	}
}
