package i18n

func init() {
	Add(map[string][2]string{
		"auth.password_short":   {"密码太短：至少需要 %d 个字符", "The password is too short: use at least %d characters"},
		"auth.username_empty":   {"请填写用户名", "A username is required"},
		"auth.bad_role":         {"未知的角色 %q：请使用 resident、worker、clerk、merchant、district 或 admin", "Unknown role %q: use resident, worker, clerk, merchant, district or admin"},
		"auth.needs_community":  {"角色 %s 必须属于一个社区", "A %s belongs to a community"},
		"auth.needs_resident":   {"居民账号必须关联一位居民", "A resident user must be linked to a resident"},
		"auth.username_taken":   {"用户名 %q 已被使用", "The username %q is taken"},
		"auth.user_not_found":   {"找不到用户 %q", "No user %q"},
		"auth.bad_lang":         {"不支持的语言 %q：请使用 zh-CN 或 en", "Unknown language %q: use zh-CN or en"},
		"auth.no_session":       {"请先登录", "Please log in"},
		"auth.session_expired":  {"登录已过期，请重新登录", "Your session has expired; please log in again"},
		"auth.bad_credentials":  {"用户名或密码错误", "Wrong username or password"},
		"auth.throttled":        {"登录失败次数过多，请 %d 分钟后再试", "Too many failed logins; try again in %d {minute|minutes}"},
		"auth.token_name":       {"请为令牌填写名称，说明由谁使用", "A token needs a name saying who uses it"},
		"auth.bad_token":        {"API 令牌无效或已被吊销", "The API token is unknown or revoked"},
		"auth.token_not_found":  {"找不到有效的令牌 %q", "No live token %q"},
		"auth.bad_cursor":       {"无法识别分页游标 %q", "Cannot read the page cursor %q"},
		"auth.audit_incomplete": {"审计记录必须包含操作人和操作", "An audit entry needs an actor and an action"},
	})
}
