package i18n

// Messages of the commands reshaped in issue 10 for reversals and accounts:
// ledger.Service.ReverseTransfer and the admin commands of auth.Service.
func init() {
	Add(map[string][2]string{
		"ledger.transfer_required": {"请指明要撤销哪一笔积分", "Say which transfer to reverse"},
		"ledger.reason_required":   {"必须填写原因，居民会看到它", "A reason is required; the resident sees it"},
		// The admin's account commands (auth/commands.go); the same words the
		// admin pages used when they checked these themselves.
		"auth.unknown_resident":   {"本社区没有居民 %q", "There is no resident %q in this community"},
		"auth.reason_required":    {"请填写原因，它会记入审计日志", "A reason is required; it is kept in the audit log"},
		"auth.too_long":           {"文字超过 %d 个字符", "A text is longer than %d characters"},
		"auth.bad_username":       {"用户名最多 64 个字符，且不能包含空格", "A username has at most 64 characters and no spaces"},
		"auth.name_required":      {"请填写显示名称", "A display name is required"},
		"auth.no_registry":        {"居民名册暂不可用", "The resident registry is not available"},
		"auth.grant_workers_only": {"只有社区工作者可以被授权查看红色组", "Only community workers can be granted the red group"},
		"auth.self_disable":       {"不能停用自己的账号", "You cannot disable your own account"},
	})
}
