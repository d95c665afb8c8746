package i18n

// Messages added while hardening: composed reasons, login throttling and the
// admin's unlock.
func init() {
	Add(map[string][2]string{
		// A transfer's reason as earning composes it; stored as key and
		// arguments so the history shows it in the reader's language.
		"earning.reason.attendance": {"%s · %d 分钟", "%s · %d {minute|minutes}"},
		// The admin's unlock of an account locked by failed logins.
		"admin.action.auth.user_unlock": {"解除登录锁定", "Unlocked a user's login"},
		"admin.user.login":              {"登录", "Login"},
		"admin.user.locked_until":       {"因多次登录失败锁定至 %s", "Locked by failed logins until %s"},
		"admin.user.unlock":             {"解除登录锁定", "Unlock the login"},
		"admin.user.unlock_note":        {"清除此账号的登录失败记录（来自所有地址），本人可立即登录。请先与本人核实。", "Clears the failed logins counted against this account, from every address, so its owner can log in at once. Check with the owner first."},
		"admin.user.unlock_submit":      {"解除锁定", "Unlock"},
		"admin.user.unlocked":           {"已解除 %s 的登录锁定", "Unlocked the login of %s"},
		"api.bad_page_limit":            {"limit 必须是 1 到 %d 的整数，而不是 %q", "limit must be a whole number from 1 to %d, not %q"},
	})
}
