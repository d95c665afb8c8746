package i18n

// Messages of the checks at the HTTP edge (internal/edge) and of the
// server's protection of /metrics.
func init() {
	Add(map[string][2]string{
		"edge.nul":       {"%q 中有空字符（NUL）：请删去后再提交", "%q contains a NUL character: remove it and send again"},
		"edge.utf8":      {"%q 不是有效的 UTF-8 文本：请检查编码后再提交", "%q is not valid UTF-8 text: check its encoding and send again"},
		"edge.long":      {"%q 太长：最多 %d 字节", "%q is too long: at most %d bytes"},
		"edge.too_large": {"提交的内容超过 %d MB 的上限", "What was sent is larger than the %d MB limit"},
		"edge.bad_query": {"网址中的参数无法读取：%v", "The address's parameters cannot be read: %v"},

		"config.metrics_from":  {"--metrics-from：%q 不是 IP 地址或 CIDR", "--metrics-from: %q is not an IP address or CIDR"},
		"config.metrics_token": {"--metrics-token 太短：请使用至少 16 个字符", "--metrics-token is too short: use 16 or more characters"},
		"config.timeout":       {"%s %s：请使用正的时长，例如 30s", "%s %s: use a positive duration, such as 30s"},
	})
}
