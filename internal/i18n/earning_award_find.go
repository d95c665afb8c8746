package i18n

// Finding a resident by name on the worker's award form and an activity's
// sign-up form (web/worker_award_find.go).
func init() {
	Add(map[string][2]string{
		"earning_pages.award.find":          {"按姓名查找居民", "Find a resident by name"},
		"earning_pages.award.find_name":     {"姓名（输入开头几个字）", "Name (type the start of it)"},
		"earning_pages.award.find_submit":   {"查找", "Find"},
		"earning_pages.award.found_none":    {"没有找到在册居民。", "No registered resident has that name."},
		"earning_pages.award.found_more":    {"只列出前 20 位，请多输入几个字。", "Only the first 20 are listed; type more of the name."},
		"earning_pages.award.chosen":        {"发放给：%s", "Awarding to: %s"},
		"earning_pages.award.resident_help": {"填写居民编号，或在上方按姓名查找后点选。", "Type the resident's id, or find them by name above and pick one."},
		"earning_pages.activity.chosen":     {"代其报名：%s", "Signing up: %s"},
	})
}
