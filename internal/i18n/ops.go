package i18n

// Messages of the operator commands: backup and demo.
func init() {
	Add(map[string][2]string{
		"backup.postgres":   {"backup 只复制 SQLite 文件；PostgreSQL 请运行：pg_dump --format=custom --file=%s '%s'", "backup copies SQLite files only; for PostgreSQL run: pg_dump --format=custom --file=%s '%s'"},
		"backup.no_out":     {"未指定备份文件：请加上 --out 文件", "No backup file given: pass --out FILE"},
		"backup.no_db":      {"%s 处没有 SQLite 数据库", "No SQLite database at %s"},
		"backup.exists":     {"%s 已存在；备份从不覆盖文件：请换一个 --out", "%s already exists; backup never overwrites: choose another --out"},
		"backup.no_dir":     {"无法写入 %s：目录 %s 不存在", "Cannot write %s: folder %s does not exist"},
		"backup.same":       {"--out 不能与 --db 相同", "--out must differ from --db"},
		"backup.write":      {"无法在 %s 中写入：%v", "Cannot write in %s: %v"},
		"backup.not_sqlite": {"%s 不是可读取的 SQLite 数据库：%v", "%s is not a readable SQLite database: %v"},
		"backup.vacuum":     {"无法复制 %s：%v", "Cannot copy %s: %v"},
		"backup.corrupt":    {"副本未通过完整性检查（%s）；未写入任何文件", "The copy failed its integrity check (%s); nothing was written"},
	})
}
