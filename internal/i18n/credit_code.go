package i18n

func init() {
	Add(map[string][2]string{
		"credit.code_malformed":       {"这不是居民码", "This is not a resident code"},
		"credit.code_tampered":        {"居民码签名不符：已被篡改或伪造", "The code's signature does not match: it was altered or forged"},
		"credit.code_expired":         {"居民码已过期，请居民刷新后再出示", "The code has expired: ask the resident to refresh it"},
		"credit.code_revoked":         {"此卡已作废，需要补发新卡", "This card has been revoked: a new card must be issued"},
		"credit.code_other_community": {"此居民码属于其他社区", "The code belongs to another community"},
	})
}
