package i18n

func init() {
	Add(map[string][2]string{
		"civic.other_community": {"这属于另一个社区", "This belongs to another community"},
		"civic.role_refused":    {"%s 角色不能进行此操作", "A %s may not do this"},
	})
}
