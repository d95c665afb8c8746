package i18n

func init() {
	Add(map[string][2]string{
		"error.invalid":              {"输入有误", "The input is not valid"},
		"error.unauthenticated":      {"请先登录", "Please log in"},
		"error.forbidden":            {"您无权执行此操作", "You are not allowed to do this"},
		"error.not_found":            {"未找到", "Not found"},
		"error.conflict":             {"与现有记录冲突", "This conflicts with an existing record"},
		"error.insufficient_points":  {"积分不足", "Not enough points"},
		"error.out_of_stock":         {"库存不足", "Out of stock"},
		"error.idempotency_conflict": {"该幂等键已用于另一个不同的请求", "This idempotency key was already used for a different request"},
		"error.too_many_requests":    {"尝试次数过多，请稍后再试", "Too many attempts; please try again later"},
		"error.unavailable":          {"服务暂不可用，请稍后再试", "The service is unavailable; please try again later"},
		"error.internal":             {"系统出错，请稍后再试", "Something went wrong; please try again later"},

		"db.empty":        {"未指定数据库", "No database given"},
		"db.scheme":       {"未知的数据库类型 %q：请使用文件路径、sqlite:路径 或 postgres://…", "Unknown database scheme %q: use a file path, sqlite:PATH or postgres://…"},
		"db.append_only":  {"记录只能追加，不能修改或删除", "Records are append-only and cannot be changed or deleted"},
		"db.pending":      {"数据库 %s 有 %d 个待执行的迁移；请运行 civicpoints migrate --db %s", "Database %s has %d pending {migration|migrations}; run civicpoints migrate --db %s"},
		"db.unreachable":  {"无法连接 PostgreSQL（%s）：%v", "Cannot reach PostgreSQL at %s: %v"},
		"db.sqlite_open":  {"无法写入 SQLite 数据库 %s：%v", "Cannot open SQLite database %s for writing: %v"},
		"db.no_dir":       {"无法创建数据库 %s：目录 %s 不存在", "Cannot create database %s: folder %s does not exist"},
		"db.bad_dsn":      {"无法解析 PostgreSQL 连接串：%v", "Cannot read the PostgreSQL DSN: %v"},
		"db.pg_open":      {"无法写入 PostgreSQL（%s）：%v", "Cannot write to PostgreSQL at %s: %v"},
		"config.addr":     {"--addr %q 不是 主机:端口 格式", "--addr %q is not host:port"},
		"config.lang":     {"--lang %q：请使用 zh-CN 或 en", "--lang %q: use zh-CN or en"},
		"config.secret":   {"--secret-key 太短：至少 32 个字符", "--secret-key is too short: use 32 or more characters"},
		"config.proxy":    {"--trusted-proxies：%q 不是 IP 地址或 CIDR", "--trusted-proxies: %q is not an IP address or CIDR"},
		"config.port_use": {"无法监听 %s：端口已被占用", "Cannot listen on %s: the port is already in use"},
	})
}
