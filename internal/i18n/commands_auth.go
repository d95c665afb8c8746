package i18n

// Messages of the commands reshaped in issue 10 for reversals and accounts:
// ledger.Service.ReverseTransfer and the admin commands of auth.Service.
func init() {
	Add(map[string][2]string{
		"ledger.transfer_required": {"请指明要撤销哪一笔积分", "Say which transfer to reverse"},
		"ledger.reason_required":   {"必须填写原因，居民会看到它", "A reason is required; the resident sees it"},
	})
}
