package web

import (
	"net/http"
	"strconv"

	"civicpoints/internal/civic"
	"civicpoints/internal/idem"
)

// formKey reads the hidden idempotency key of a form that moves points,
// stock or money (or writes anything else once). A form without a valid key
// is refused, never given a key made up here: a made-up key is new on every
// post, so a double submit would count twice. The rule is the API's
// (idem.Judge); only the words differ, since a person sees them.
func formKey(r *http.Request) (string, error) {
	key := r.PostFormValue("key")
	return key, checkFormKey(key)
}

func checkFormKey(key string) error {
	switch idem.Judge(key) {
	case idem.KeyOK:
		return nil
	case idem.KeyMissing:
		return civic.Errorf(civic.Invalid, "web.form_key_missing", "this form arrived without its one-time key, so it could have been counted twice and was not accepted: reload the page and send it again")
	}
	return civic.Errorf(civic.Invalid, "web.form_key_bad", "this form's one-time key is not valid (it must be 1–%d printable ASCII characters) and the form was not accepted: reload the page and send it again", idem.MaxKeyLen)
}

// formWhole reads a whole-number field as a number input sends it: digits,
// perhaps after a minus sign, and nothing else (" 5", "+5", "5.0" and "5e1"
// are refused, not read as 5); empty reads as def. Fields that move points
// take only what the person could see they typed.
func formWhole(r *http.Request, name string, def int64) (int64, error) {
	v := r.PostFormValue(name)
	if v == "" {
		return def, nil
	}
	digits := v
	if digits[0] == '-' {
		digits = digits[1:]
	}
	ok := digits != ""
	for i := 0; i < len(digits) && ok; i++ {
		ok = digits[i] >= '0' && digits[i] <= '9'
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if !ok || err != nil {
		return 0, civic.Errorf(civic.Invalid, "earning_pages.bad_number", "%q is not a whole number", v)
	}
	return n, nil
}
