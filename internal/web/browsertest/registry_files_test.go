package browsertest

import (
	"bytes"
	"context"
	"encoding/base64"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"civicpoints/internal/registry"
)

const importHeader = "姓名,性别,身份证号,出生日期,小区,楼栋,单元,门牌号,联系电话,与户主关系,居住性质,残疾户\n"

func TestWorkerImportsAFileDryRunThenConfirm(t *testing.T) {
	t.Parallel()
	srv := newRegistryWorld(t)
	good := registry.SyntheticID(time.Date(1948, 2, 2, 0, 0, 0, 0, time.UTC), 21, false)
	bad := good[:17] + "0"
	if bad == good {
		bad = good[:17] + "1"
	}
	file := writeFile(t, "居民.csv", importHeader+
		"王芳,女,"+good+",,柳岸小区,2,1,201,13900001111,户主,自有,否\n"+
		"赵六,男,"+bad+",,柳岸小区,2,1,202,,户主,出租,否\n"+
		"钱七,男,,1990-01-01,柳岸小区,,1,203,,户主,自有,否\n")
	tab := NewTab(t)
	srv.Login(t, tab, "worker")
	Do(t, tab, chromedp.Navigate(srv.URL+"/worker/import"), chromedp.WaitVisible(chromedp.CSS("#upload-form")),
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{file}), chromedp.Click(chromedp.CSS("#upload")),
		chromedp.WaitVisible(chromedp.CSS("#report")))
	if got := Text(t, tab, "#summary"); got != "共 3 行：新增 1，已登记 0，有误 2" {
		t.Errorf("summary %q", got)
	}
	problems := Text(t, tab, "#problems")
	for _, want := range []string{"3\t身份证号\t身份证号校验位不正确", "4\t楼栋\t户需要楼栋和门牌号"} {
		if !strings.Contains(problems, want) {
			t.Errorf("report lacks %q:\n%s", want, problems)
		}
	}
	// Nothing was written by the dry run.
	report := Get(t, tab, chromedp.Location())
	Do(t, tab, chromedp.Navigate(srv.URL+"/worker/registry?q=王芳"), chromedp.WaitVisible(chromedp.CSS("#no-results")))
	Do(t, tab, chromedp.Navigate(report), chromedp.WaitVisible(chromedp.CSS("#confirm-form")),
		chromedp.Click(chromedp.CSS("#valid-only")), chromedp.Click(chromedp.CSS("#confirm")),
		chromedp.WaitVisible(chromedp.CSS("#outcome")))
	if got := Text(t, tab, "#outcome-message"); !strings.HasPrefix(got, "已导入 1 名居民（新建 1 户、1 个小区）") {
		t.Errorf("outcome %q", got)
	}
	Do(t, tab, chromedp.Navigate(srv.URL+"/worker/registry?q=王芳"), chromedp.WaitVisible(chromedp.CSS("#residents")))
	if got := Text(t, tab, "#residents"); !strings.Contains(got, "柳岸小区 2-1-201") {
		t.Errorf("imported resident: %q", got)
	}
}

func TestWorkerImportRefusesANonSpreadsheet(t *testing.T) {
	t.Parallel()
	srv := newRegistryWorld(t)
	file := writeFile(t, "photo.xlsx", "\x89PNG\r\n\x1a\n\x00\x00\x00binary")
	tab := NewTab(t)
	srv.Login(t, tab, "worker")
	Do(t, tab, chromedp.Navigate(srv.URL+"/worker/import"), chromedp.WaitVisible(chromedp.CSS("#upload-form")),
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{file}), chromedp.Click(chromedp.CSS("#upload")),
		chromedp.WaitVisible(chromedp.CSS("#error")))
	if got := Text(t, tab, "#error"); got != "文件既不是 xlsx 也不是 csv" {
		t.Errorf("error %q", got)
	}
}

// fetchXLSX downloads url in the tab (with its session) and opens it.
func fetchXLSX(t *testing.T, tab context.Context, url string) [][]string {
	t.Helper()
	js := `(function(){var x=new XMLHttpRequest();x.open("GET",` + strconv.Quote(url) + `,false);
		x.overrideMimeType("text/plain; charset=x-user-defined");x.send();
		if(x.status!==200){return "status "+x.status;}
		var s=x.responseText,b="";for(var i=0;i<s.length;i++){b+=String.fromCharCode(s.charCodeAt(i)&255);}return btoa(b);})()`
	b64 := Get(t, tab, chromedp.Evaluate[string](js))
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatalf("download %s: %s", url, b64)
	}
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestWorkerExportsWhatTheyMaySee(t *testing.T) {
	t.Parallel()
	srv := newRegistryWorld(t)
	for _, tt := range []struct {
		user    string
		seesRed bool
	}{{"worker", true}, {"worker2", false}} {
		t.Run(tt.user, func(t *testing.T) {
			tab := NewTab(t)
			srv.Login(t, tab, tt.user)
			Do(t, tab, chromedp.Navigate(srv.URL+"/worker/export"), chromedp.WaitVisible(chromedp.CSS("#export-form")))
			// The whole registry, through the form's own fields.
			q := Get(t, tab, chromedp.Evaluate[string](`new URLSearchParams(new FormData(document.getElementById("export-form"))).toString()`))
			rows := fetchXLSX(t, tab, "/worker/export/residents.xlsx?"+q)
			if len(rows) != 5 || rows[0][0] != "姓名" {
				t.Fatalf("export has %d rows: %v", len(rows), rows)
			}
			all := ""
			for _, r := range rows {
				all += strings.Join(r, "|") + "\n"
			}
			if strings.Contains(all, srv.MaoID) || !strings.Contains(all, "138****5678") {
				t.Errorf("ID or phone not masked:\n%s", all)
			}
			if strings.Contains(all, "红色") != tt.seesRed {
				t.Errorf("%s export shows red = %v:\n%s", tt.user, !tt.seesRed, all)
			}
			// A filtered list: one estate and one colour.
			Do(t, tab, chromedp.SetValue(chromedp.CSS("#estate"), srv.Garden), chromedp.SetValue(chromedp.CSS("#colour"), "green"))
			q = Get(t, tab, chromedp.Evaluate[string](`new URLSearchParams(new FormData(document.getElementById("export-form"))).toString()`))
			rows = fetchXLSX(t, tab, "/worker/export/residents.xlsx?"+q)
			if len(rows) != 2 || rows[1][0] != "毛小雨" {
				t.Errorf("green in 春江花园: %v", rows)
			}
		})
	}
}
