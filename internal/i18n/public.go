package i18n

func init() {
	Add(map[string][2]string{
		"web.thanks.donor":  {"捐赠方", "Donor"},
		"web.thanks.kind":   {"类型", "Kind"},
		"web.thanks.points": {"捐赠折合积分", "Given, in points"},
		"web.thanks.note":   {"物资按积分价格折算，资金按社区兑换比例折算。", "Goods are valued at their points price, funds at the community's rate."},
		"web.thanks.none":   {"暂无捐赠记录。", "No donations yet."},
	})
}
