package registry

import (
	"strings"
	"time"
	"unicode/utf8"

	"civicpoints/internal/civic"
)

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheckChars = "10X98765432"

// NormalizeIDNumber checks an 18-character resident ID number (GB 11643): the
// digits, the check character and the embedded birth date, which it returns.
func NormalizeIDNumber(s string, today time.Time) (id string, birth time.Time, err error) {
	defer civic.Wrap(&err, "registry.NormalizeIDNumber") // never the number itself: it would reach the log
	id = strings.ToUpper(strings.TrimSpace(s))
	if len(id) != 18 {
		return "", birth, civic.Errorf(civic.Invalid, "registry.id_length", "the ID number must have 18 characters, not %d", utf8.RuneCountInString(id))
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := id[i]
		if c < '0' || c > '9' {
			return "", birth, civic.Errorf(civic.Invalid, "registry.id_chars", "the ID number may hold only digits and a final X")
		}
		sum += int(c-'0') * idWeights[i]
	}
	if id[17] != idCheckChars[sum%11] {
		return "", birth, civic.Errorf(civic.Invalid, "registry.id_checksum", "the ID number's check character is wrong: a digit was probably mistyped")
	}
	birth, perr := time.Parse("20060102", id[6:14])
	if perr != nil || birth.Year() < 1890 || birth.After(today) {
		return "", birth, civic.Errorf(civic.Invalid, "registry.id_birth", "the ID number holds no valid birth date (%s)", id[6:14])
	}
	return id, birth, nil
}

// NormalizePhone accepts a mainland mobile number (11 digits starting with 1)
// or a landline (area code 0xx/0xxx and a 7–8 digit number, with an optional
// extension), ignoring spaces and a +86 prefix.
func NormalizePhone(s string) (_ string, err error) {
	defer civic.Wrap(&err, "registry.NormalizePhone")
	p := strings.NewReplacer(" ", "", "\u00a0", "", "(", "", ")", "", "（", "", "）", "").Replace(strings.TrimSpace(s))
	if p == "" {
		return "", nil
	}
	p = strings.TrimPrefix(strings.TrimPrefix(p, "+86"), "0086")
	if allDigits(p) && len(p) == 11 && p[0] == '1' && p[1] >= '3' {
		return p, nil
	}
	main, ext, _ := strings.Cut(p, "#")
	if ext != "" && (!allDigits(ext) || len(ext) > 6) {
		return "", badPhone()
	}
	area, num, dashed := strings.Cut(main, "-")
	if !dashed {
		if len(main) < 10 || main[0] != '0' {
			if allDigits(main) && (len(main) == 7 || len(main) == 8) {
				return main, nil // a local number without area code
			}
			return "", badPhone()
		}
		area, num = main[:len(main)-8], main[len(main)-8:]
		if len(area) < 3 {
			area, num = main[:len(main)-7], main[len(main)-7:]
		}
	}
	if !allDigits(area) || !allDigits(num) || area == "" || area[0] != '0' || len(area) < 3 || len(area) > 4 || len(num) < 7 || len(num) > 8 {
		return "", badPhone()
	}
	out := area + "-" + num
	if ext != "" {
		out += "#" + ext
	}
	return out, nil
}

func badPhone() error {
	return civic.Errorf(civic.Invalid, "registry.phone", "the phone number is neither an 11-digit mobile number nor a landline such as 0570-1234567")
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// MaskName shows the first and last characters: 毛小波 → 毛*波, 李四 → 李*.
func MaskName(name string) string {
	r := []rune(strings.TrimSpace(name))
	switch len(r) {
	case 0:
		return ""
	case 1:
		return string(r) + "*"
	case 2:
		return string(r[0]) + "*"
	default:
		return string(r[0]) + strings.Repeat("*", len(r)-2) + string(r[len(r)-1])
	}
}

// MaskID shows the first four and last four characters: 3308**********1234.
func MaskID(id string) string {
	if len(id) < 8 {
		return strings.Repeat("*", len(id))
	}
	return id[:4] + strings.Repeat("*", len(id)-8) + id[len(id)-4:]
}

// MaskPhone shows a mobile as 138****5678 and a landline with its last four digits.
func MaskPhone(p string) string {
	if len(p) == 11 && allDigits(p) {
		return p[:3] + "****" + p[7:]
	}
	if len(p) <= 4 {
		return strings.Repeat("*", len(p))
	}
	return strings.Repeat("*", len(p)-4) + p[len(p)-4:]
}

// validName checks a person's name: 1–30 characters, no control characters.
func validName(s string) (string, error) {
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	if n == 0 {
		return "", civic.Errorf(civic.Invalid, "registry.name_empty", "the name is empty")
	}
	if n > 30 || strings.ContainsAny(s, "\t\r\n") {
		return "", civic.Errorf(civic.Invalid, "registry.name_bad", "the name is too long or holds line breaks")
	}
	return s, nil
}

// parseDate reads YYYY-MM-DD (also YYYY/MM/DD and YYYYMMDD).
func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02", "2006/01/02", "20060102", "2006-1-2", "2006/1/2", "2006.01.02", "2006.1.2"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, civic.Errorf(civic.Invalid, "registry.date", "%q is not a date such as 1960-03-15", s)
}

// ageOn returns the age in whole years on day.
func ageOn(birth, day time.Time) int {
	y := day.Year() - birth.Year()
	if day.Month() < birth.Month() || (day.Month() == birth.Month() && day.Day() < birth.Day()) {
		y--
	}
	return y
}

// Today is the Asia/Shanghai calendar day of t, as a date at UTC midnight.
func Today(t time.Time) time.Time {
	s := t.In(civic.Shanghai)
	return time.Date(s.Year(), s.Month(), s.Day(), 0, 0, 0, 0, time.UTC)
}

const dateLayout = "2006-01-02"
