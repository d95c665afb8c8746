package app_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
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

// slowServer runs a.Server(), the server `civicpoints serve` runs, on a real
// listening socket with short timeouts.
func slowServer(t *testing.T) (addr string, a *app.App) {
	t.Helper()
	cfg := &config.Config{Lang: "zh-CN", SecretKey: strings.Repeat("k", 32),
		ReadTimeout: time.Second, WriteTimeout: 2 * time.Second, IdleTimeout: time.Second, UploadTimeout: 20 * time.Second}
	d := dbtest.SQLite(t)
	a = app.New(cfg, d, civic.SystemClock{}, slog.New(slog.DiscardHandler))
	t.Cleanup(a.Batch.Close)
	a.Auth.Params = auth.PasswordParams{Memory: 1024, Time: 1, Threads: 1}
	srv := a.Server()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String(), a
}

// dribble writes b to conn a few bytes at a time, every gap, until done or
// the connection breaks.
func dribble(conn net.Conn, b []byte, chunk int, gap time.Duration) {
	for len(b) > 0 {
		n := min(chunk, len(b))
		if _, err := conn.Write(b[:n]); err != nil {
			return
		}
		b = b[n:]
		time.Sleep(gap)
	}
}

// closedWithin reads conn until the server closes it and reports how long
// that took; it gives up after limit.
func closedWithin(t *testing.T, conn net.Conn, limit time.Duration) (time.Duration, bool) {
	t.Helper()
	start := time.Now()
	conn.SetReadDeadline(start.Add(limit))
	_, err := io.Copy(io.Discard, conn)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		return time.Since(start), false
	}
	return time.Since(start), true
}

// A body sent a byte at a time, and a kept-alive connection left idle, are
// cut off by the server's timeouts; an upload by a logged-in worker gets the
// longer upload deadline and is answered.
func TestSlowClientsAreCutOff(t *testing.T) {
	t.Parallel()
	addr, _ := slowServer(t)

	t.Run("slow body", func(t *testing.T) {
		t.Parallel()
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		body := "username=resident&password=" + strings.Repeat("x", 200)
		fmt.Fprintf(conn, "POST /login HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n", addr, len(body))
		go dribble(conn, []byte(body), 1, 200*time.Millisecond) // 45 s in all
		if took, closed := closedWithin(t, conn, 6*time.Second); !closed {
			t.Errorf("a body sent a byte every 200 ms held the connection for %s; the read timeout is 1s", took.Round(time.Millisecond))
		}
	})

	t.Run("idle keep-alive", func(t *testing.T) {
		t.Parallel()
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprintf(conn, "GET /healthz HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
		br := bufio.NewReader(conn)
		res, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		start := time.Now()
		conn.SetReadDeadline(start.Add(6 * time.Second))
		if _, err := br.ReadByte(); err == nil {
			t.Fatal("the server sent more after the answer")
		} else if ne, ok := err.(net.Error); ok && ne.Timeout() {
			t.Errorf("an idle kept-alive connection stayed open %s; the idle timeout is 1s", time.Since(start).Round(time.Millisecond))
		}
	})
}

// An upload page extends its deadlines for a logged-in user: a file that
// takes longer than --read-timeout to arrive is still read and answered.
func TestSlowUploadGetsTheUploadTimeout(t *testing.T) {
	t.Parallel()
	addr, a := slowServer(t)
	sc, err := a.ScratchCommunity(t.Context(), "slow", 1)
	if err != nil {
		t.Fatal(err)
	}
	err = a.DB.WithTx(t.Context(), func(tx *db.Tx) error {
		_, err := a.Auth.SeedDemoUsers(t.Context(), tx, sc.CommunityID, sc.Residents[0])
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	res, err := c.PostForm("http://"+addr+"/login", url.Values{"username": {"worker"}, "password": {auth.DemoPassword("worker")}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	cookies := jar.Cookies(&url.URL{Scheme: "http", Host: addr})
	if len(cookies) == 0 {
		t.Fatal("no session cookie after login")
	}

	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	_ = mw.WriteField("key", "slow-upload") // the upload form's hidden key
	p, _ := mw.CreateFormFile("file", "residents.xlsx")
	if err := importer.WriteTemplate(p, registry.SyntheticRows(1, []string{"测试小区"}, 20, 200, time.Now())); err != nil {
		t.Fatal(err)
	}
	mw.Close()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /worker/import HTTP/1.1\r\nHost: %s\r\nCookie: %s=%s\r\nContent-Type: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n",
		addr, cookies[0].Name, cookies[0].Value, mw.FormDataContentType(), b.Len())
	start := time.Now()
	dribble(conn, b.Bytes(), b.Len()/10+1, 250*time.Millisecond) // about 2.5 s
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	res, err = http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("an upload taking %s (read timeout 1s, upload timeout 20s) got no answer: %v", time.Since(start).Round(time.Millisecond), err)
	}
	defer res.Body.Close()
	page, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/worker/import/") {
		t.Errorf("an upload taking %s answered %d, want 303 to its import job:\n%s", time.Since(start).Round(time.Millisecond), res.StatusCode, page)
	}
}
