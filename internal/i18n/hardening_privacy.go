package i18n

// The red group seen without the grant, and the audit log's details of what
// each registry page showed.
func init() {
	Add(map[string][2]string{
		"registry.red_filter_forbidden": {"按红色人群筛选需要红色人群权限", "Filtering by the red group needs the red-group permission"},

		"admin.action.registry.read_resident":   {"查看居民档案", "Read a resident's record"},
		"admin.action.registry.read_household":  {"查看户信息", "Read a household"},
		"admin.action.registry.read_visits":     {"查看走访记录", "Read visits"},
		"admin.action.registry.list_households": {"查看小区住户列表", "Listed an estate's households"},
		"admin.action.registry.list_due":        {"查看待走访名单", "Listed the visits due"},
		"admin.action.registry.export":          {"导出居民名册", "Exported the registry"},

		"admin.audit.page":              {"页面", "Page"},
		"admin.audit.detail.residents":  {"居民数", "Residents"},
		"admin.audit.detail.households": {"户数", "Households"},
		"admin.audit.detail.filter":     {"筛选条件", "Filter"},
		"admin.audit.detail.shown":      {"显示内容", "Shown"},
		"admin.audit.list_sep":          {"、", ", "},

		"admin.audit.field.colours":        {"六色分类", "colour groups"},
		"admin.audit.field.id_masked":      {"身份证号（遮挡）", "ID number (masked)"},
		"admin.audit.field.visit_dates":    {"走访日期", "visit dates"},
		"admin.audit.field.visits":         {"走访记录", "visits"},
		"admin.audit.field.colour_history": {"分类变更记录", "colour history"},
		"admin.audit.field.tenure":         {"租住情况", "tenure"},
		"admin.audit.field.disability":     {"残疾户", "disability"},
		"admin.audit.field.id_number":      {"身份证号", "ID number"},
		"admin.audit.field.phone":          {"电话", "phone"},
	})
}
