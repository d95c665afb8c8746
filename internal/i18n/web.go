package i18n

func init() {
	Add(map[string][2]string{
		"role.resident": {"居民", "Resident"},
		"role.worker":   {"社区工作者", "Community worker"},
		"role.clerk":    {"驿站管理员", "Station clerk"},
		"role.merchant": {"商户", "Merchant"},
		"role.district": {"区信用办", "District credit office"},
		"role.admin":    {"系统管理员", "Administrator"},

		"web.app_name":       {"信用积分", "Civic points"},
		"web.logout":         {"退出登录", "Log out"},
		"web.menu":           {"菜单", "Menu"},
		"web.home":           {"首页", "Home"},
		"web.footer":         {"社区信用＋志愿积分平台", "Community credit + volunteer points"},
		"web.forbidden_role": {"此页面不对角色 %s 开放", "This page is not open to the role %s"},
		"web.page_not_found": {"找不到该页面", "There is no such page"},
		"web.bad_form":       {"无法读取表单：%v", "Cannot read the form: %v"},

		"web.login.title":      {"登录", "Log in"},
		"web.login.username":   {"用户名", "Username"},
		"web.login.password":   {"密码", "Password"},
		"web.login.submit":     {"登录", "Log in"},
		"web.login.logged_out": {"您已退出登录", "You have logged out"},

		"web.error.title": {"出错了", "Something is wrong"},
		"web.error.back":  {"返回首页", "Back to the home page"},

		"web.home.welcome":   {"您好，%s", "Hello, %s"},
		"web.home.role":      {"角色", "Role"},
		"web.home.community": {"社区", "Community"},
		"web.home.district":  {"所属区县", "District"},
		"web.home.pages":     {"常用功能", "Your pages"},
		"web.home.no_pages":  {"您的角色暂时没有可用的功能页面。", "There are no pages for your role yet."},

		"web.home.title.resident": {"居民首页", "Resident home"},
		"web.home.title.worker":   {"社区工作者首页", "Community worker home"},
		"web.home.title.clerk":    {"诚信驿站首页", "Integrity station home"},
		"web.home.title.merchant": {"商户首页", "Merchant home"},
		"web.home.title.district": {"区信用办首页", "District credit office home"},
		"web.home.title.admin":    {"系统管理首页", "Administration home"},

		"web.home.intro.resident": {"在这里查看积分余额和明细、信用等级与信用码，报名参加活动，提交金点子，在线兑换商品，查看每月公示并提出异议。",
			"Here you see your points balance and history, your credit level and credit code, sign up for activities, submit suggestions, order goods online, and read the monthly notice and object to it."},
		"web.home.intro.worker": {"在这里维护居民名册和六色分类、安排走访、组织活动与签到、审核金点子、发放和冲正积分、完成月度结算、管理驿站库存和捐赠。",
			"Here you keep the resident registry and colour groups, plan visits, run activities and attendance, review suggestions, award and reverse points, close the month, and manage station stock and donations."},
		"web.home.intro.clerk": {"在这里扫描居民的信用码、发放兑换商品、处理线上订单并盘点库存。",
			"Here you scan residents' credit codes, hand over redeemed goods, fulfil online orders and count stock."},
		"web.home.intro.merchant": {"在这里扫描居民的信用码，查看信用等级和适用的优惠，并记录使用情况。",
			"Here you scan a resident's credit code, see their credit level and the discount that applies, and record its use."},
		"web.home.intro.district": {"在这里管理各社区、信用等级与信用政策、合作商户、全区统计和数据对接。",
			"Here you manage communities, credit levels and policies, merchants, district statistics and integrations."},
		"web.home.intro.admin": {"在这里管理用户、API 令牌和备份。",
			"Here you manage users, API tokens and backups."},
	})
}
