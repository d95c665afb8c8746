package app_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"civicpoints/internal/app"
	"civicpoints/internal/auth"
	"civicpoints/internal/civic"
	"civicpoints/internal/config"
	"civicpoints/internal/db"
	"civicpoints/internal/db/dbtest"
	"civicpoints/internal/importer"
	"civicpoints/internal/registry"
)

var formKeyField = regexp.MustCompile(`name="key" value="([^"]+)"`)

// pageKey fetches a page and returns the hidden key of its form.
func pageKey(t *testing.T, c *http.Client, url string) (string, string) {
	t.Helper()
	res, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Fatalf("GET %s: %d\n%s", url, res.StatusCode, b)
	}
	m := formKeyField.FindSubmatch(b)
	if m == nil {
		return "", string(b)
	}
	return string(m[1]), string(b)
}

// Two servers on one database, as behind a load balancer: a file uploaded
// to one shows its dry run on the other, is confirmed there, and its
// progress and outcome show on both. A resent confirmation imports nothing
// more.
func TestImportMovesBetweenServers(t *testing.T) {
	t.Parallel()
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		cfg := &config.Config{Lang: "zh-CN", SessionTTL: time.Hour, SecretKey: strings.Repeat("k", 32)}
		var servers [2]*httptest.Server
		var apps [2]*app.App
		for i := range apps {
			apps[i] = app.New(cfg, d, civic.SystemClock{}, slog.New(slog.DiscardHandler))
			t.Cleanup(apps[i].Batch.Close)
			servers[i] = httptest.NewServer(apps[i].Handler())
			t.Cleanup(servers[i].Close)
		}
		one, two := servers[0].URL, servers[1].URL
		a := apps[0]
		a.Auth.Params = auth.PasswordParams{Memory: 1024, Time: 1, Threads: 1}
		sc, err := a.ScratchCommunity(ctx, "balanced", 1)
		if err != nil {
			t.Fatal(err)
		}
		err = d.WithTx(ctx, func(tx *db.Tx) error {
			_, err := a.Auth.SeedDemoUsers(ctx, tx, sc.CommunityID, sc.Residents[0])
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		// One browser: the session cookie (in the database) works on both.
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		res, err := c.PostForm(one+"/login", url.Values{"username": {"worker"}, "password": {auth.DemoPassword("worker")}})
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		u1, _ := url.Parse(one)
		u2, _ := url.Parse(two)
		jar.SetCookies(u2, jar.Cookies(u1))

		// Upload to server one.
		key, _ := pageKey(t, c, one+"/worker/import")
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		_ = mw.WriteField("key", key)
		p, _ := mw.CreateFormFile("file", "residents.xlsx")
		if err := importer.WriteTemplate(p, registry.SyntheticRows(4, []string{"江滨苑"}, 10, 25, time.Now())); err != nil {
			t.Fatal(err)
		}
		mw.Close()
		res, err = c.Post(one+"/worker/import", mw.FormDataContentType(), &b)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		job := res.Header.Get("Location")
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(job, "/worker/import/") {
			t.Fatalf("upload: %d to %q", res.StatusCode, job)
		}

		// The dry run, and the confirmation, on server two.
		key, page := pageKey(t, c, two+job)
		if !strings.Contains(page, "共 25 行：新增 25，已登记 0，有误 0") || !strings.Contains(page, `id="confirm-form"`) || key == "" {
			t.Fatalf("server two's dry run:\n%s", page)
		}
		confirm := url.Values{"key": {key}}
		res, err = c.PostForm(two+job+"/apply", confirm)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != job {
			t.Fatalf("confirm on server two: %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		outcome := func(server string) string {
			t.Helper()
			for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
				if _, page := pageKey(t, c, server+job); strings.Contains(page, `id="outcome-message"`) {
					return page
				}
			}
			t.Fatalf("no outcome on %s", server)
			return ""
		}
		for _, server := range []string{one, two} {
			if page := outcome(server); !strings.Contains(page, "已导入 25 名居民") {
				t.Errorf("outcome on %s:\n%s", server, page)
			}
		}
		// The same confirmation resent, to either server, imports nothing more.
		for _, server := range []string{one, two} {
			res, err = c.PostForm(server+job+"/apply", confirm)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusSeeOther {
				t.Errorf("resent confirmation to %s: %d", server, res.StatusCode)
			}
		}
		var n int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM residents WHERE community_id = $1", sc.CommunityID).Scan(&n); err != nil || n != 26 {
			t.Errorf("residents = %d (%v), want 1 + 25", n, err)
		}
	})
}
