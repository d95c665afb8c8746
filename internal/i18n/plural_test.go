package i18n

import (
	"fmt"
	"strings"
	"testing"
)

func TestPlurals(t *testing.T) {
	tests := []struct {
		lang Lang
		text string
		args []any
		want string
	}{
		{EN, "%d {minute|minutes}", []any{1}, "1 minute"},
		{EN, "%d {minute|minutes}", []any{2}, "2 minutes"},
		{EN, "%d {minute|minutes}", []any{0}, "0 minutes"},
		{EN, "%d {minute|minutes}", []any{int64(-1)}, "-1 minute"},
		{EN, "%d {minute|minutes}", []any{int64(1_000_001)}, "1000001 minutes"},
		{EN, "%d {household|households}, %d {resident|residents}", []any{1, 3}, "1 household, 3 residents"},
		{EN, "%s: %d {minute|minutes} of service, %d {point|points}.", []any{"义诊", 60, 1}, "义诊: 60 minutes of service, 1 point."},
		{EN, "{Is|Are} %d {order|orders} late?", []any{1}, "Is 1 order late?"},
		{EN, "%[2]d {point|points} for %[1]s", []any{"x", 1}, "1 point for x"},
		{EN, "%v {point|points}", []any{"1"}, "1 points"}, // not an integer: the other form
		{EN, "%d {point|points}", nil, "%d points"},
		{ZH, "%d 分钟", []any{1}, "1 分钟"},
		{EN, "a {brace} and a | bar: %d", []any{1}, "a {brace} and a | bar: 1"},
	}
	for _, tt := range tests {
		s := choose(tt.lang, tt.text, tt.args)
		if len(tt.args) > 0 {
			s = fmt.Sprintf(s, tt.args...)
		}
		if s != tt.want {
			t.Errorf("%s %q %v = %q, want %q", tt.lang, tt.text, tt.args, s, tt.want)
		}
	}
}

// The catalogue says "1 minute", not "1 minutes", wherever a count names a
// thing in English.
func TestCataloguePlurals(t *testing.T) {
	tests := []struct {
		key  string
		args []any
		want string
	}{
		{"earning_pages.minutes", []any{int64(1)}, "1 minute"},
		{"earning_pages.minutes", []any{int64(2)}, "2 minutes"},
		{"earning_pages.checkin.done_out_awarded", []any{int64(60), int64(1)}, "Checked out: 60 minutes of service, 1 point."},
		{"registry.ui.estate_counts", []any{1, 1}, "1 household, 1 resident"},
		{"earning_pages.award.from_activity", []any{"义诊", 1}, "Everyone who came to “义诊”: 1 resident"},
		{"station.my_orders.points", []any{int64(1)}, "1 point"},
		{"auth.throttled", []any{1}, "Too many failed logins; try again in 1 minute"},
	}
	for _, tt := range tests {
		if got := T(EN, tt.key, tt.args...); got != tt.want {
			t.Errorf("T(en, %s, %v) = %q, want %q", tt.key, tt.args, got, tt.want)
		}
	}
	// No English text says "(s)" any more, and every choice follows a count.
	for k, v := range entries {
		if strings.Contains(v[1], "(s)") && strings.Contains(v[1], "%d") {
			t.Errorf("%s: %q: give the word its plural forms as {one|other}", k, v[1])
		}
		for i := 0; i < len(v[1]); i++ {
			if _, _, _, ok := choiceAt(v[1], i); ok && len(verbEnds(v[1])) == 0 {
				t.Errorf("%s: %q has a plural choice but no count", k, v[1])
			}
		}
	}
}
