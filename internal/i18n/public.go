package i18n

func init() {
	Add(map[string][2]string{
		"web.thanks.donor":         {"捐赠方", "Donor"},
		"web.thanks.kind":          {"类型", "Kind"},
		"web.thanks.points":        {"捐赠折合积分", "Given, in points"},
		"web.thanks.note":          {"物资按积分价格折算，资金按社区兑换比例折算。", "Goods are valued at their points price, funds at the community's rate."},
		"station.stock.edit_good":  {"修改物品", "Edit this good"},
		"station.stock.offered":    {"在兑换商城和柜台上架", "Offered in the shop and at the counter"},
		"station.stock.edit_help":  {"改价只影响今后的兑换，已完成的兑换保持原价。", "A new price applies to future redemptions; past ones keep their price."},
		"station.stock.save_good":  {"保存", "Save"},
		"station.stock.good_saved": {"物品已保存", "The good is saved"},
		"web.thanks.none":          {"暂无捐赠记录。", "No donations yet."},
	})
}
