package i18n

// The station's commands: who may redeem what, and requests that name no
// community or resident.
func init() {
	Add(map[string][2]string{
		"station.no_community":    {"请求未指明社区", "The request names no community"},
		"station.no_resident":     {"兑换清单未指明居民", "The basket names no resident"},
		"station.not_your_basket": {"居民只能使用自己的积分兑换", "A resident may redeem only their own points"},
		"station.channel_refused": {"%s 不能通过 %s 渠道兑换", "A %s may not redeem through the %s channel"},
	})
}
