package cli

import (
	"context"
	"flag"
	"fmt"

	"civicpoints/internal/app"
	"civicpoints/internal/civic"
	"civicpoints/internal/config"
	"civicpoints/internal/i18n"
	"civicpoints/internal/importer"
	"civicpoints/internal/registry"
)

var importFlags struct {
	dryRun, validOnly bool
}

func init() {
	register(&command{
		name:    "import residents",
		summary: "import residents from an xlsx or csv file (headers 姓名, 性别, 身份证号, 出生日期, 小区, 楼栋, 单元, 门牌号, …)",
		usage:   "FILE.xlsx|FILE.csv --community SLUG [--dry-run] [--valid-only]",
		fields:  []string{"db", "community", "secret-key", "lang"},
		flags: func(fs *flag.FlagSet) {
			fs.BoolVar(&importFlags.dryRun, "dry-run", false, "check the file and report every bad row; write nothing")
			fs.BoolVar(&importFlags.validOnly, "valid-only", false, "import the valid rows even when some rows are bad")
		},
		run: importResidents,
	})
}

func importResidents(ctx context.Context, env Env, cfg *config.Config, args []string) error {
	lang := i18n.Lang(cfg.Lang)
	if len(args) != 1 {
		return civic.Errorf(civic.Invalid, "import.usage", "give one file: civicpoints import residents FILE.xlsx --community SLUG")
	}
	if cfg.Community == "" {
		return civic.Errorf(civic.Invalid, "import.no_community", "give the community: --community SLUG")
	}
	a, err := app.Open(ctx, cfg, NewLogger(env.Stderr, cfg))
	if err != nil {
		return err
	}
	defer a.Close()
	com, err := registry.CommunityBySlug(ctx, a.DB, cfg.Community)
	if err != nil {
		return err
	}
	rows, err := importer.ReadFile(args[0])
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stderr, i18n.T(lang, "import.read", len(rows), args[0]))
	// The key is derived from the file's rows and the choice of rows: the
	// same file imported again replays the first import's answer.
	rep, err := importer.Run(ctx, a.Registry, civic.System, com.ID, rows, importer.Options{
		DryRun: importFlags.dryRun, ValidOnly: importFlags.validOnly, Progress: importer.Bar(env.Stderr),
		Key: registry.ImportKey("cli", rows, importFlags.validOnly)})
	if rep.Plan != nil {
		importer.WriteReport(env.Stdout, lang, rep, importFlags.dryRun)
	}
	if err != nil {
		return err
	}
	if !importFlags.dryRun && !rep.Applied {
		return civic.Errorf(civic.Invalid, "registry.import_has_errors", "the file has %d bad row(s): fix them, or choose to import only the valid rows", len(rep.Plan.Errors))
	}
	return nil
}
