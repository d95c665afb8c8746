package i18n

func init() {
	Add(map[string][2]string{
		"idem.key_missing":  {"此请求必须带幂等键（表单的隐藏字段 key 或 Idempotency-Key 请求头），请刷新页面后重试", "This request needs an idempotency key (a form's hidden key or the Idempotency-Key header); reload the page and try again"},
		"idem.key_long":     {"幂等键超过 %d 个字符", "The idempotency key is longer than %d characters"},
		"idem.key_bad":      {"幂等键只能由可打印的 ASCII 字符组成，不能全为空格，首尾也不能是空格", "The idempotency key must be printable ASCII characters, not blank and without a space at either end"},
		"idem.key_conflict": {"幂等键 %q 已用于另一个不同的请求", "The idempotency key %q was already used for a different request"},
	})
}
