package i18n

// Messages added while hardening: composed reasons, login throttling and the
// admin's unlock.
func init() {
	Add(map[string][2]string{
		// A transfer's reason as earning composes it; stored as key and
		// arguments so the history shows it in the reader's language.
		"earning.reason.attendance": {"%s · %d 分钟", "%s · %d {minute|minutes}"},
		"api.bad_page_limit":        {"limit 必须是 1 到 %d 的整数，而不是 %q", "limit must be a whole number from 1 to %d, not %q"},
	})
}
