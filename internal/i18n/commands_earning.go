package i18n

// Messages of earning's commands (internal/earning) that the pages used to
// word themselves: the catalogue's refusals now come from the command, so
// the API and any other caller get them too.
func init() {
	Add(map[string][2]string{
		"earning.indicator_exists": {"已有代码为 %q 的指标", "There is already an indicator %q"},
		"earning.category_exists":  {"已有代码为 %q 的类别", "There is already a category %q"},
	})
}
