package importer

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"civicpoints/internal/civic"
	"civicpoints/internal/i18n"
	"civicpoints/internal/idem"
	"civicpoints/internal/registry"
)

// Options control one import.
type Options struct {
	DryRun    bool // check and report only
	ValidOnly bool // import the good rows of a file that has bad ones
	// Key is the import command's idempotency key (registry.ImportKey for a
	// file from the command line): the same key and file again replays the
	// first import's answer. Needed unless DryRun.
	Key      idem.Key
	Progress func(done, total int)
}

// Report is what an import found and did.
type Report struct {
	Plan     *registry.Plan
	Result   registry.ImportResult
	Applied  bool
	Replayed bool // the answer is the first import's, under the same key: nothing was written now
	Elapsed  time.Duration
}

// Run plans the rows and, unless DryRun, applies them.
func Run(ctx context.Context, reg *registry.Service, actor civic.Actor, communityID string, rows []registry.ImportRow, o Options) (rep Report, err error) {
	defer civic.Wrap(&err, "importer.Run(%s)", communityID)
	// Elapsed is only shown, never stored; the registry's clock measures it
	// (the wall clock on a real installation).
	start := reg.Clock.Now()
	defer func() { rep.Elapsed = reg.Clock.Now().Sub(start) }()
	rep.Plan, err = reg.PlanImport(ctx, actor, communityID, rows)
	if err != nil || o.DryRun {
		return rep, err
	}
	if len(rep.Plan.Errors) > 0 && !o.ValidOnly {
		return rep, nil
	}
	ctx = registry.WithImportWatch(ctx, registry.ImportWatch{Progress: o.Progress})
	ctx, replayed := idem.WithReplayFlag(ctx)
	rep.Result, err = reg.ApplyImport(ctx, actor, o.Key, registry.ApplyImportRequest{Community: communityID, Rows: rows, ValidOnly: o.ValidOnly})
	rep.Applied, rep.Replayed = err == nil, *replayed
	return rep, err
}

// RowMessage translates one bad row: "row 12, 身份证号: …".
func RowMessage(lang i18n.Lang, e registry.RowError) string {
	return i18n.T(lang, "import.row_error", e.Line, columnName(lang, e.Field), i18n.Error(lang, e.Err))
}

func columnName(lang i18n.Lang, field string) string {
	if lang == i18n.EN {
		return field
	}
	return HeaderOf(field)
}

// WriteReport prints a report for the terminal, every bad row included.
func WriteReport(w io.Writer, lang i18n.Lang, rep Report, dryRun bool) {
	p := rep.Plan
	for _, e := range p.Errors {
		fmt.Fprintln(w, RowMessage(lang, e))
	}
	fmt.Fprintln(w, i18n.T(lang, "import.summary", p.Total, p.New, p.Existing, len(p.Errors)))
	switch {
	case dryRun:
		fmt.Fprintln(w, i18n.T(lang, "import.dry_run"))
	case rep.Applied && rep.Replayed:
		fmt.Fprintln(w, i18n.T(lang, "import.replayed", rep.Result.Added, rep.Result.Households, rep.Result.Estates))
	case rep.Applied:
		fmt.Fprintln(w, i18n.T(lang, "import.applied", rep.Result.Added, rep.Result.Households, rep.Result.Estates, rep.Elapsed.Round(time.Millisecond).String()))
	case len(p.Errors) > 0:
		fmt.Fprintln(w, i18n.T(lang, "import.nothing_applied"))
	}
}

// Bar draws a terminal progress bar on w (carriage return, no newline
// until done).
func Bar(w io.Writer) func(done, total int) {
	return func(done, total int) {
		if total == 0 {
			return
		}
		const width = 30
		n := done * width / total
		fmt.Fprintf(w, "\r[%s%s] %3d%% %d/%d", strings.Repeat("#", n), strings.Repeat(".", width-n), done*100/total, done, total)
		if done == total {
			fmt.Fprintln(w)
		}
	}
}
