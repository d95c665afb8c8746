package i18n

// Messages of the hardening of keys and forms: idempotency keys on pages and
// in the API, the award and hours forms, resident logins, tenure words.
func init() {
	Add(map[string][2]string{
		"ledger.key_chars": {"Idempotency-Key 只能由可打印的 ASCII 字符组成，不能全为空格，首尾也不能是空格",
			"The Idempotency-Key must be printable ASCII characters, not blank and without a space at either end"},
		"web.form_key_missing": {"此表单缺少防重复提交的编号，提交可能被重复记入，因此未予受理：请刷新页面后重新提交",
			"This form arrived without its one-time key, so it could have been counted twice and was not accepted: reload the page and send it again"},
		"web.form_key_bad": {"此表单的防重复提交编号无效（应为 1–%d 个可打印 ASCII 字符），未予受理：请刷新页面后重新提交",
			"This form's one-time key is not valid (it must be 1–%d printable ASCII characters) and the form was not accepted: reload the page and send it again"},
		"earning_pages.award.bad_mode": {"未知的发放方式 %q：应为单人（single）或批量（bulk）", "Unknown kind of award %q: use single or bulk"},
		"earning.bad_hours":            {"小时数应为 0 到 12 的整数，而不是 %d", "Hours must be a whole number from 0 to 12, not %d"},
		"earning.bad_minute_part":      {"分钟数应为 0 到 59 的整数，而不是 %d", "Minutes must be a whole number from 0 to 59, not %d"},
		"earning.claim_same_pending": {"这次服务（%s，%d 分钟，说明相同）已提交，正在等待社工审核，不再重复提交；如果当天确实服务了两次，请在说明中写明（例如上午、下午）",
			"This service (%s, %d minutes, the same description) is already waiting for a worker, so it was not sent again; if you served twice that day, say so in the description (for example, morning and afternoon)"},
		"earning.claim_same_approved": {"这次服务（%s，%d 分钟，说明相同）已提交并已通过审核，不再重复提交；如果当天确实服务了两次，请在说明中写明（例如上午、下午）",
			"This service (%s, %d minutes, the same description) was already reported and approved, so it was not sent again; if you served twice that day, say so in the description (for example, morning and afternoon)"},
		"auth.resident_has_login": {"居民 %s 已有登录账号（%s）：每位居民只能有一个账号；请为该账号重置密码或重新启用，而不是再建一个",
			"Resident %s already has a login (%s): a resident has one login; reset its password or turn it back on instead"},
		"auth.resident_other_login": {"居民 %s 另有一个正在使用的登录账号：请先停用那个账号；每位居民只能有一个账号",
			"Resident %s has another login in use: turn that one off first; a resident has one login"},
	})
}
