package i18n

// Messages of the earning catalogue's categories (earning/categories.go) and
// the catalogue page's category forms.
func init() {
	Add(map[string][2]string{
		"earning.bad_category_code":               {"类别代码 %q 须为 2–40 个小写字母、数字或下划线", "Category code %q must be 2–40 lower-case letters, digits or _"},
		"earning.bad_position":                    {"排序须在 0 到 1000 之间，不能是 %d", "The position must be between 0 and 1000, not %d"},
		"earning_pages.catalogue.new_category":    {"新增类别", "New category"},
		"earning_pages.catalogue.add_category":    {"添加类别", "Add the category"},
		"earning_pages.catalogue.rename_category": {"重命名类别", "Rename the category"},
		"earning_pages.catalogue.category_code":   {"类别代码", "Category code"},
		"earning_pages.catalogue.category_saved":  {"已保存类别「%s」。", "Saved the category “%s”."},
		"earning_pages.catalogue.category_exists": {"已有代码为 %q 的类别", "There is already a category %q"},
	})
}
