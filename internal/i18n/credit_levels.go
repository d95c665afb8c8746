package i18n

// Credit rules, levels, level changes and consent (信用授权).
func init() {
	Add(map[string][2]string{
		"credit.rate_range":      {"每个信用分所需积分须为 1 到 %d", "Points per credit point must be 1 to %d"},
		"credit.levels_count":    {"等级须有 %d 到 %d 级，现有 %d 级", "A ladder has %d to %d levels, not %d"},
		"credit.lowest_zero":     {"最低等级须从 0 信用分开始：人人都有", "The lowest level starts at 0 credit points: it is everyone's"},
		"credit.code_twice":      {"等级代码 %s 重复", "The level code %s appears twice"},
		"credit.thresholds_rise": {"第 %d 级（%s）所需信用分须高于下一级", "Level %d (%s) must need more credit points than the level below it"},
		"credit.note_long":       {"说明最多 %d 个字，现有 %d 个", "The note may have at most %d characters, not %d"},
		"credit.level_code":      {"第 %d 级：代码须为 1–32 个小写字母、数字、_ 或 -，以字母开头", "Level %d: the code must be 1 to 32 lower-case letters, digits, _ or -, starting with a letter"},
		"credit.level_name":      {"第 %d 级须有中文和英文名称，各不超过 %d 个字", "Level %d needs a Chinese and an English name of at most %d characters"},
		"credit.threshold_range": {"第 %d 级：门槛须为 0 到 %d 信用分", "Level %d: the threshold must be 0 to %d credit points"},
		"credit.benefits_many":   {"第 %d 级：每种语言最多 %d 项权益", "Level %d: at most %d benefits in each language"},
		"credit.benefit_long":    {"第 %d 级：每项权益最多 %d 个字", "Level %d: a benefit may have at most %d characters"},
		"credit.effective_date":  {"生效日期须为日期，例如 2025-07-01，而不是 %q", "The effective date must be a date such as 2025-07-01, not %q"},
		"credit.effective_past":  {"生效日期 %s 已过：变更只能从今天（%s）或以后生效，不能改写过去", "The effective date %s has passed: a change takes effect today (%s) or later, never in the past"},
		"credit.rules_changed":   {"规则刚被他人修改并保存，请查看历史后重试", "Another change of these rules was saved meanwhile; look at the history and try again"},
		"credit.not_yet":         {"规则第 %d 版自 %s 起生效，尚未生效", "Rule version %d takes effect on %s, not before"},
		"credit.bad_purpose":     {"未知的授权用途 %q：只有商户或报告", "Unknown use %q: merchants or reports"},
		"credit.reason_long":     {"理由最多 %d 个字，现有 %d 个", "A reason may have at most %d characters, not %d"},
		"credit.own_consent":     {"居民只能在自己的页面上授权或撤回自己的信用授权", "A resident gives or withdraws only their own consent, on their own page"},
		"credit.paper_only":      {"社工只能登记居民书面作出的授权（请勾选“书面”）", "A worker records only a consent given on paper (tick \"on paper\")"},
		"credit.paper_reason":    {"请说明书面授权的情况；理由会记入审计日志", "Say why and how the paper consent was given; the reason is audited"},
		"credit.minor":           {"未满 %d 周岁的居民不能进行信用授权", "Residents under %d cannot consent to credit use"},
		"credit.not_consented":   {"居民未授权此项信用使用", "The resident has not authorised this use of their credit"},

		"credit.purpose.merchants":       {"商户优惠（出示信用码时商户可见等级并给予优惠）", "Merchant benefits (merchants see the level and apply its discounts when you show your code)"},
		"credit.purpose.reports":         {"评优评先、参军入党（信用报告中使用等级）", "Evaluations and military or party applications (the level in credit reports)"},
		"credit.purpose_short.merchants": {"商户优惠", "Merchant benefits"},
		"credit.purpose_short.reports":   {"评优评先、参军入党", "Evaluations and applications"},
	})
}
