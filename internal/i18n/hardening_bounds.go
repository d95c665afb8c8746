package i18n

// Messages of the bounds on figures and text lengths (civic/bounds.go): each
// names the bound, so whoever typed the figure knows what is allowed.
func init() {
	Add(map[string][2]string{
		// The ledger.
		"ledger.posting_too_large": {"单条记账 %d 分超过了单笔上限 %d 分", "A posting of %d points is more than one transfer may move (%d)"},
		"ledger.reason_long":       {"原因最多 %d 个字，现在是 %d 个字", "A reason may have at most %d characters, not %d"},

		// Earning.
		"earning.points_over":      {"%d 分超过了单次奖励的上限 %d 分", "%d points is more than one award may give (%d)"},
		"earning.cap_too_large":    {"上限最多 %d 分，不能是 %d 分", "A cap may be at most %d points, not %d"},
		"earning.description_long": {"说明最多 %d 个字，现在是 %d 个字", "A description may have at most %d characters, not %d"},

		// The station.
		"station.quantity_too_many":   {"数量 %d 超过了单次最多 %d 件", "%d units is more than one move may carry (%d)"},
		"station.stock_too_many":      {"库存 %d 超过了每种物品最多 %d 件", "A stock of %d is more than a station may keep of one good (%d)"},
		"station.stock_full":          {"%s：现有库存 %d，再加 %d 件将超过每种物品最多 %d 件", "%s: %d in stock, %d more would pass the most a station keeps of one good (%d)"},
		"station.price_too_high":      {"%d 积分超过了物品价格上限 %d 积分", "%d points is more than a good may cost (%d)"},
		"station.price_out_of_bounds": {"%s 的价格为 %d 积分，超过了上限 %d 积分：请先修改价格", "%s costs %d points, more than a good may cost (%d): correct its price first"},
		"station.basket_too_dear":     {"本次兑换超过了 %d 积分，即单次兑换的上限", "The basket costs more than %d points, the most one redemption may"},
		"station.basket_long":         {"一次兑换最多 %d 项，现在有 %d 项", "A basket may hold at most %d lines, not %d"},
		"station.amount_too_large":    {"¥%s 超过了单笔金额上限 ¥%s", "¥%s is more than one amount may be (¥%s)"},
		"station.funds_full":          {"捐赠资金余额为 ¥%s，再加 ¥%s 将超过驿站资金上限 ¥%s", "The donated funds hold ¥%s; ¥%s more would pass the most a station holds (¥%s)"},
		"station.rate_too_high":       {"每积分对应的资金最多 ¥%s，不能是 ¥%s", "One point may be backed by at most ¥%s, not ¥%s"},
		"station.good_name_long":      {"物品名称最多 %d 个字，现在是 %d 个字", "A good's name may have at most %d characters, not %d"},
		"station.unit_long":           {"单位最多 %d 个字，现在是 %d 个字", "A unit may have at most %d characters, not %d"},
		"station.category_long":       {"分类最多 %d 个字，现在是 %d 个字", "A category may have at most %d characters, not %d"},
		"station.donor_name_long":     {"捐赠方名称最多 %d 个字，现在是 %d 个字", "A donor's name may have at most %d characters, not %d"},
		"station.supplier_long":       {"供应商名称最多 %d 个字，现在是 %d 个字", "A supplier's name may have at most %d characters, not %d"},
		"station.note_long":           {"原因或备注最多 %d 个字，现在是 %d 个字", "A reason or note may have at most %d characters, not %d"},
	})
}
