// Package importer reads residents from Excel (xlsx) and CSV files into the
// registry: columns found by header, every bad row reported, a dry run,
// progress, and export back to xlsx.
//
// Column mapping (a header matches when it equals one of the names, ignoring
// spaces and a trailing *):
//
//	姓名 name (required)            性别 gender (男/女)
//	身份证号 id_number              出生日期 birth_date (required when no ID number column)
//	小区 estate (required)          楼栋 building (required)
//	单元 unit                       门牌号 room (required)
//	联系电话 phone                  与户主关系 relation
//	居住性质 tenure (自有/出租/其他)  残疾户 disability (是/否)
//	入住日期 moved_in
package importer

import (
	"strings"
)

// Column is one field of a resident row.
type Column struct {
	Field    string   // registry field name, as in registry.RowError.Field
	Header   string   // the Chinese header of the template
	Aliases  []string // other headers accepted
	Required bool
}

// Columns lists the template's columns in order.
var Columns = []Column{
	{"name", "姓名", []string{"居民姓名", "name"}, true},
	{"gender", "性别", []string{"gender", "sex"}, false},
	{"id_number", "身份证号", []string{"身份证号码", "公民身份号码", "证件号码", "id_number", "id"}, false},
	{"birth_date", "出生日期", []string{"出生年月日", "birth_date", "birthday"}, false},
	{"estate", "小区", []string{"小区名称", "所属小区", "estate"}, true},
	{"building", "楼栋", []string{"楼幢", "幢", "栋", "楼号", "building"}, true},
	{"unit", "单元", []string{"单元号", "unit"}, false},
	{"room", "门牌号", []string{"房号", "室", "房间号", "room"}, true},
	{"phone", "联系电话", []string{"电话", "手机", "手机号", "手机号码", "phone"}, false},
	{"relation", "与户主关系", []string{"关系", "relation"}, false},
	{"tenure", "居住性质", []string{"房屋性质", "tenure"}, false},
	{"disability", "残疾户", []string{"是否残疾户", "disability"}, false},
	{"moved_in", "入住日期", []string{"迁入日期", "moved_in"}, false},
}

// HeaderOf names the column of a field as the template does.
func HeaderOf(field string) string {
	for _, c := range Columns {
		if c.Field == field {
			return c.Header
		}
	}
	return field
}

func normHeader(s string) string {
	s = strings.TrimSpace(strings.TrimPrefix(s, "\ufeff"))
	s = strings.TrimSuffix(strings.TrimSuffix(s, "*"), "＊")
	return strings.ToLower(strings.ReplaceAll(strings.ReplaceAll(s, " ", ""), "\u3000", ""))
}

// mapHeader finds each field's column index in a header row.
func mapHeader(header []string) (idx map[string]int, missing []string) {
	idx = map[string]int{}
	for i, h := range header {
		n := normHeader(h)
		if n == "" {
			continue
		}
		for _, c := range Columns {
			if _, done := idx[c.Field]; done {
				continue
			}
			if n == normHeader(c.Header) || containsNorm(c.Aliases, n) {
				idx[c.Field] = i
				break
			}
		}
	}
	for _, c := range Columns {
		if _, ok := idx[c.Field]; c.Required && !ok {
			missing = append(missing, c.Header)
		}
	}
	_, id := idx["id_number"]
	_, birth := idx["birth_date"]
	if !id && !birth {
		missing = append(missing, "身份证号/出生日期")
	}
	return idx, missing
}

func containsNorm(list []string, n string) bool {
	for _, a := range list {
		if normHeader(a) == n {
			return true
		}
	}
	return false
}
