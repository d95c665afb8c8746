package i18n

// Messages of earning: the catalogue, awards, activities, attendance, the
// approval queue and suggestions; and the resident's history (ledger/history.go).
func init() {
	Add(map[string][2]string{
		"earning.worker_only":        {"只有本社区的社工可以执行此操作", "Only a worker of this community may do this"},
		"earning.other_community":    {"这属于其他社区", "This belongs to another community"},
		"earning.not_yours":          {"只能为自己办理", "You may only do this for yourself"},
		"earning.too_long":           {"内容超过 %d 个字", "A text is longer than %d characters"},
		"earning.rule_hourly":        {"每小时积分必须能整除 60（1、2、3、4、5、6、10、12、15、20、30 或 60），不能是 %d", "Points per hour must divide 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60), not %d"},
		"earning.rule_fixed":         {"固定积分须在 1 到 1000 之间，不能是 %d", "A fixed award must be between 1 and 1000 points, not %d"},
		"earning.rule_range":         {"区间须满足 1 ≤ 最小值 ≤ 最大值 ≤ 1000，不能是 %d–%d", "A range needs 1 ≤ minimum ≤ maximum ≤ 1000, not %d–%d"},
		"earning.rule_kind":          {"未知规则 %q：请选择按小时、固定或区间", "Unknown rule %q: use hourly, fixed or range"},
		"earning.cap_negative":       {"上限须为 0（不限）或更大", "Caps must be zero (no cap) or more"},
		"earning.bad_date":           {"%q 不是日期（YYYY-MM-DD）", "%q is not a date (YYYY-MM-DD)"},
		"earning.dates_order":        {"指标的结束日期（%s）早于开始日期（%s）", "The indicator ends (%s) before it starts (%s)"},
		"earning.no_indicator":       {"本社区没有指标 %q", "No indicator %q in this community"},
		"earning.bad_code":           {"指标代码 %q 须为 2–40 个小写字母、数字或下划线", "Indicator code %q must be 2–40 lower-case letters, digits or _"},
		"earning.name_required":      {"中英文名称都必须填写", "A name is required in both languages"},
		"earning.no_category":        {"本社区没有类别 %q", "No category %q in this community"},
		"earning.no_rule_version":    {"指标 %q 没有第 %d 版规则", "Indicator %q has no rule version %d"},
		"earning.indicator_inactive": {"指标 %q 在 %s 不在有效期内", "Indicator %q is not in force on %s"},
		"earning.points_positive":    {"积分须为大于 0 的整数，不能是 %d", "Points must be a whole number above zero, not %d"},
		"earning.points_fixed":       {"此指标固定为 %d 分，不能是 %d 分", "This indicator awards exactly %d points, not %d"},
		"earning.points_range":       {"%d 分超出此指标的范围（%d 到 %d 分）", "%d points is outside this indicator's range of %d to %d"},
		"earning.points_too_many":    {"%d 分超过单次奖励的上限", "%d points is more than one award may give"},
		"earning.cap_day":            {"%d 分超出上限：该居民今天在此指标下最多还能获得 %d 分", "%d points is above the cap: the resident can earn only %d more under this indicator today"},
		"earning.cap_month":          {"%d 分超出上限：该居民本月在此指标下最多还能获得 %d 分", "%d points is above the cap: the resident can earn only %d more under this indicator this month"},
		"earning.cap_year":           {"%d 分超出上限：该居民今年在此指标下最多还能获得 %d 分", "%d points is above the cap: the resident can earn only %d more under this indicator this year"},
		"earning.reason_required":    {"必须填写原因，居民会看到它", "A reason is required; the resident sees it"},
		"earning.bulk_empty":         {"请至少列出一位居民", "List at least one resident"},
		"earning.bulk_large":         {"一次批量奖励最多 %d 位居民，当前为 %d 位", "A bulk award may name at most %d residents, not %d"},
		"ledger.bad_cursor":          {"分页游标 %q 无效", "The page cursor %q is not valid"},
	})
}
