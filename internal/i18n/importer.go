package i18n

func init() {
	Add(map[string][2]string{
		"import.open":            {"无法打开 %s：%v", "Cannot open %s: %v"},
		"import.empty":           {"文件是空的", "The file is empty"},
		"import.too_big":         {"文件超过 50 MB，请拆分成几个文件", "The file is larger than 50 MB: split it into several files"},
		"import.xls":             {"这是旧版 Excel 文件（.xls），请另存为 .xlsx 或 .csv 后再试", "This is an old Excel file (.xls): save it as .xlsx or .csv and try again"},
		"import.format":          {"文件既不是 xlsx 也不是 csv", "The file is neither xlsx nor csv"},
		"import.bad_xlsx":        {"无法读取 Excel 文件：%v", "The Excel file cannot be read: %v"},
		"import.bad_csv":         {"无法读取 CSV 文件：%v", "The CSV file cannot be read: %v"},
		"import.missing_columns": {"表头缺少列：%s。请下载模板查看应有的表头", "The header row lacks the column(s) %s: download the template to see the expected headers"},
		"import.no_rows":         {"文件只有表头，没有居民", "The file has a header but no residents"},
		"import.row_error":       {"第 %d 行，%s：%s", "Row %d, %s: %s"},
		"import.summary":         {"共 %d 行：新增 %d，已登记 %d，有误 %d", "%d {row|rows}: %d new, %d already registered, %d bad"},
		"import.dry_run":         {"试导入：未写入任何数据", "Dry run: nothing was written"},
		"import.applied":         {"已导入 %d 名居民（新建 %d 户、%d 个小区），用时 %s", "Imported %d {resident|residents} (%d new {household|households}, %d new {estate|estates}) in %s"},
		"import.nothing_applied": {"文件有错误，未导入任何数据。请修正后重试，或选择只导入正确的行", "The file has errors; nothing was imported. Fix them and try again, or choose to import only the valid rows"},
		"import.read":            {"读取了 %d 行（%s）", "Read %d {row|rows} (%s)"},
		"import.usage":           {"请给出一个文件：civicpoints import residents 文件.xlsx --community 社区", "Give one file: civicpoints import residents FILE.xlsx --community SLUG"},
		"import.no_community":    {"请指定社区：--community 社区", "Give the community: --community SLUG"},

		"registry.import_has_errors": {"文件有 %d 行有误：请修正，或选择只导入正确的行", "The file has %d bad {row|rows}: fix {it|them}, or choose to import only the valid rows"},
		"registry.id_twice":          {"同一身份证号已出现在本文件第 %d 行", "The same ID number is already in row %d of this file"},
		"registry.yes_no":            {"%q 应为 是 或 否", "%q must be 是 or 否 (yes or no)"},
		"registry.id_tail":           {"请按身份证号后四位搜索", "Search by the last four characters of the ID number"},
		"registry.visit_method":      {"走访方式 %q 应为 入户、电话 或 其他", "The visit method %q must be door, phone or other"},
		"registry.visit_notes":       {"走访记录过长（最多 2000 字）", "The notes are too long (2,000 characters at most)"},
		"registry.visit_future":      {"不能登记未来日期的走访（%s）", "A visit cannot be recorded in the future (%s)"},
	})
}

func init() {
	Add(map[string][2]string{
		"export.name":       {"姓名", "Name"},
		"export.gender":     {"性别", "Gender"},
		"export.birth":      {"出生日期", "Birth date"},
		"export.estate":     {"小区", "Estate"},
		"export.address":    {"楼栋-单元-门牌", "Building-unit-room"},
		"export.relation":   {"与户主关系", "Relation to head"},
		"export.id":         {"身份证号（脱敏）", "ID number (masked)"},
		"export.phone":      {"联系电话（脱敏）", "Phone (masked)"},
		"export.colours":    {"颜色分类", "Colour groups"},
		"export.last_visit": {"最近走访", "Last visit"},
		"export.due":        {"下次走访", "Next visit due"},
		"registry.gender.M": {"男", "Male"},
		"registry.gender.F": {"女", "Female"},
	})
}
