package i18n

// The registry's commands and its import jobs (issue 10).
func init() {
	Add(map[string][2]string{
		"registry.import_source":  {"导入只能针对一个上传的文件或一个文件的各行", "An import applies one uploaded file, or the rows of one file"},
		"registry.import_gone":    {"此次上传已失效，请重新上传文件", "This upload is no longer here: upload the file again"},
		"registry.import_started": {"此文件的导入已经确认过：请在其页面查看进度", "This file's import was already confirmed: its page shows how it goes"},
		"registry.import_stalled": {"导入未完成就中断了：请重新上传文件", "The import stopped before it finished: upload the file again"},
		"import.replayed": {"此文件此前已按相同方式导入（已导入 %d 名居民，新建 %d 户、%d 个小区）；本次未写入任何内容",
			"This file was imported the same way before (%d {resident|residents}, %d new {household|households}, %d new {estate|estates}); nothing was written now"},
	})
}
