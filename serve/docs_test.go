package serve_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mlregistry/mlregistry/serve"
	"github.com/mlregistry/mlregistry/store"
)

// docsServer is a server for the documentation page: no queue.
func docsServer(t *testing.T) *httptest.Server {
	t.Helper()
	s, err := store.Open(context.Background(), "sqlite://"+filepath.Join(t.TempDir(), "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(serve.New(serve.Config{Store: s}))
	t.Cleanup(func() { srv.Close(); s.Close() })
	return srv
}

// get fetches path and returns the response, its body read.
func get(t *testing.T, base, path string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, data
}

// foreignURL finds what would make a browser fetch from another host: a
// script, stylesheet or frame source, a CSS url() or @import, a font.
var foreignURL = regexp.MustCompile(`(?i)(src|href)\s*=\s*["']?(https?:)?//|url\(\s*["']?(https?:)?//|@import\s+(url\()?["']?(https?:)?//|fonts\.(googleapis|gstatic)\.com|\.woff2?\b[^"']*["']?\s*\)?\s*format|https?://[^"'\s)]+\.(woff2?|ttf|otf|css)\b`)

// TestDocsPage serves GET /docs and its files with their content types and
// a policy that allows this server's files only, and checks that nothing
// in them would fetch from another host.
func TestDocsPage(t *testing.T) {
	srv := docsServer(t)
	tests := []struct {
		path, ctype string
		want        []string
	}{
		{"/docs", "text/html; charset=utf-8", []string{`<script src="/docs/redoc.standalone.js">`, `<script src="/docs/init.js">`, `<div id="redoc">`}},
		{"/docs/init.js", "text/javascript; charset=utf-8", []string{`Redoc.init("/openapi.json"`}},
		{"/docs/redoc.standalone.js", "text/javascript; charset=utf-8", []string{"Redoc"}},
		{"/docs/LICENSE", "text/plain; charset=utf-8", []string{"The MIT License", "Rebilly"}},
		{"/docs/redoc.standalone.js.LICENSE.txt", "text/plain; charset=utf-8", []string{"MIT"}},
		{"/docs/VERSION", "text/plain; charset=utf-8", []string{"2.5.1"}},
		{"/docs/SHA256SUMS", "text/plain; charset=utf-8", []string{"redoc.standalone.js"}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, body := get(t, srv.URL, tt.path)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: %d %s", tt.path, resp.StatusCode, body)
			}
			if got := resp.Header.Get("Content-Type"); got != tt.ctype {
				t.Errorf("GET %s: Content-Type %q, want %q", tt.path, got, tt.ctype)
			}
			if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("GET %s: X-Content-Type-Options %q", tt.path, got)
			}
			csp := resp.Header.Get("Content-Security-Policy")
			if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "http") || strings.Contains(csp, "*") {
				t.Errorf("GET %s: Content-Security-Policy %q allows more than this server's files", tt.path, csp)
			}
			for _, w := range tt.want {
				if !bytes.Contains(body, []byte(w)) {
					t.Errorf("GET %s lacks %q", tt.path, w)
				}
			}
			if m := foreignURL.Find(body); m != nil {
				i := bytes.Index(body, m)
				t.Errorf("GET %s would fetch from another host: %q in …%s…", tt.path, m, body[max(0, i-80):min(len(body), i+80)])
			}
		})
	}
	t.Run("etag", func(t *testing.T) {
		resp, _ := get(t, srv.URL, "/docs/redoc.standalone.js")
		again, body := get(t, srv.URL, "/docs/redoc.standalone.js", "If-None-Match", resp.Header.Get("ETag"))
		if resp.Header.Get("ETag") == "" || again.StatusCode != http.StatusNotModified || len(body) != 0 {
			t.Errorf("revalidation with ETag %q: %d, %d bytes; want 304", resp.Header.Get("ETag"), again.StatusCode, len(body))
		}
	})
	t.Run("unknown file", func(t *testing.T) {
		resp, body := get(t, srv.URL, "/docs/swagger.js")
		if resp.StatusCode != http.StatusNotFound || !bytes.Contains(body, []byte(`"error":"no file /docs/swagger.js`)) {
			t.Errorf("GET /docs/swagger.js: %d %s", resp.StatusCode, body)
		}
	})
}

// TestForeignURLFinds is the control of TestDocsPage's check: it finds
// what it must, and not the links a page may show.
func TestForeignURLFinds(t *testing.T) {
	for _, s := range []string{`<script src="https://cdn.example/x.js">`, `<link href="//cdn.example/x.css">`,
		`@font-face{src:url(https://fonts.gstatic.com/s/x.woff2)}`, `@import url("https://x/y.css");`, `"https://cdn.example/font.woff2"`} {
		if !foreignURL.MatchString(s) {
			t.Errorf("not found: %s", s)
		}
	}
	for _, s := range []string{`<a href="/openapi.json">`, `"https://redocly.com/redoc/"`, `src="/docs/init.js"`} {
		if foreignURL.MatchString(s) {
			t.Errorf("found: %s", s)
		}
	}
}

// TestDocsChecksums checks that SHA256SUMS is the checksum of every
// vendored file the server serves (docs/vendor.sh writes it), and of the
// files in the tree.
func TestDocsChecksums(t *testing.T) {
	srv := docsServer(t)
	sums, err := os.ReadFile("docs/SHA256SUMS")
	if err != nil {
		t.Fatal(err)
	}
	_, served := get(t, srv.URL, "/docs/SHA256SUMS")
	if !bytes.Equal(sums, served) {
		t.Fatal("the server embeds another SHA256SUMS than the tree's")
	}
	n := 0
	for sc := bufio.NewScanner(bytes.NewReader(sums)); sc.Scan(); n++ {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok {
			t.Fatalf("SHA256SUMS: line %q: expected \"SUM  NAME\"", sc.Text())
		}
		resp, body := get(t, srv.URL, "/docs/"+name)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET /docs/%s: %d", name, resp.StatusCode)
			continue
		}
		got := sha256.Sum256(body)
		if hex.EncodeToString(got[:]) != sum {
			t.Errorf("%s: the served file's SHA-256 is %x, SHA256SUMS says %s: re-vendor with serve/docs/vendor.sh", name, got, sum)
		}
	}
	if n < 3 {
		t.Errorf("SHA256SUMS lists %d files, want the bundle and its licenses", n)
	}
}
