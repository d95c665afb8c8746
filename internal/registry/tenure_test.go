package registry

import (
	"testing"

	"civicpoints/internal/civic"
	"civicpoints/internal/i18n"
)

// An import takes back every word the app itself prints for a tenure, in
// both languages, and the words people write in their own sheets.
func TestParseTenureReadsTheAppsOwnWords(t *testing.T) {
	for _, want := range []Tenure{TenureOwner, TenureRental, TenureOther} {
		for _, lang := range i18n.Langs {
			word := i18n.T(lang, "registry.ui.tenure."+string(want))
			if got, err := ParseTenure(word); err != nil || got != want {
				t.Errorf("ParseTenure(%q), the %s page's word for %s = %q, %v", word, lang, want, got, err)
			}
		}
	}
	tests := []struct {
		in   string
		want Tenure
	}{
		{"", TenureOwner}, {"  ", TenureOwner},
		{"自有", TenureOwner}, {"自有住房", TenureOwner}, {"自有房", TenureOwner}, {"自住", TenureOwner}, {"自住房", TenureOwner},
		{"自购", TenureOwner}, {"自购房", TenureOwner}, {"产权", TenureOwner}, {"产权房", TenureOwner}, {"业主", TenureOwner},
		{"owner", TenureOwner}, {"Owner", TenureOwner}, {"owned", TenureOwner}, {"own", TenureOwner}, {"OWNER-OCCUPIED", TenureOwner},
		{"owner occupied", TenureOwner}, {"owner_occupied", TenureOwner}, {"self-owned", TenureOwner},
		{"出租", TenureRental}, {"出租户", TenureRental}, {"出租房", TenureRental}, {"租住", TenureRental}, {"租赁", TenureRental},
		{"承租", TenureRental}, {"租户", TenureRental}, {"租房", TenureRental},
		{"rental", TenureRental}, {"Rented", TenureRental}, {"rent", TenureRental}, {"renting", TenureRental}, {"tenant", TenureRental},
		{"other", TenureOther}, {"Other tenure", TenureOther}, {"其他", TenureOther}, {"其它", TenureOther}, {"借住", TenureOther},
		{"　自有住房　", TenureOwner}, {" rental ", TenureRental}, {"ＲＥＮＴＡＬ", TenureRental}, {"自有住房。", TenureOwner},
	}
	for _, tt := range tests {
		if got, err := ParseTenure(tt.in); err != nil || got != tt.want {
			t.Errorf("ParseTenure(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"别墅", "maybe", "自有出租", "owner/rental", "0", "?", "—"} {
		_, err := ParseTenure(bad)
		if e := civic.AsError(err); e == nil || e.Key != "registry.tenure" {
			t.Errorf("ParseTenure(%q) = %v, want the registry.tenure refusal", bad, err)
		}
	}
}
