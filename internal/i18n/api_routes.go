package i18n

// Messages of the API's routes and of API tokens' limits.
func init() {
	Add(map[string][2]string{
		"api.scope":                 {"此令牌的权限范围不包含 %s", "This token's scopes do not include %s"},
		"api.rate_limited":          {"此令牌每分钟请求超过 %d 次；请在 %d 秒后重试", "This token has made more than %d requests a minute; retry after %d seconds"},
		"api.bad_cursor":            {"游标 %q 不是此列表给出的", "The cursor %q is not one this list gave"},
		"api.queue_no_cursor":       {"此列表是待办队列：处理前面的条目后重新获取，不带游标", "This list is a queue: handle its first items and ask again, without a cursor"},
		"api.stock_by_moves":        {"库存只能通过捐赠、采购、报损和盘点变动", "Stock changes only through donations, purchases, write-offs and stock-takes"},
		"api.funds_by_donations":    {"驿站资金只能通过捐赠和采购变动", "The station's funds change only through donations and purchases"},
		"api.bad_time":              {"%s 必须是时间，例如 2025-06-01T08:00:00+08:00，而不是 %q", "%s must be a time such as 2025-06-01T08:00:00+08:00, not %q"},
		"api.bad_status":            {"未知的状态 %q", "Unknown status %q"},
		"api.path_mismatch":         {"请求体中的 %s（%q）与路径中的（%q）不一致", "%s in the body (%q) differs from the path (%q)"},
		"api.address_fixed":         {"住户地址不能修改；请将居民迁入另一住户", "A household's address does not change; move its residents to another household"},
		"api.resident_or_household": {"请给出 resident 或 household，二者之一", "Give resident or household, one of them"},
		"auth.bad_scope":            {"未知的权限范围 %q：可用 %s", "Unknown scope %q: use %s"},
		"auth.expiry_past":          {"令牌的到期时间必须在未来", "A token's expiry must be in the future"},
		"cli.token_expires":         {"--expires 取天数（如 90d）或日期 YYYY-MM-DD，而不是 %q", "--expires takes a number of days such as 90d or a date YYYY-MM-DD, not %q"},
		"auth.bad_rate":             {"令牌的频率限制必须是 0（默认）到每分钟 %d 次", "A token's rate limit must be 0 (the default) to %d requests a minute"},
	})
}
