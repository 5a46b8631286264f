package serve

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"net/http"
	"path"
	"time"
)

// docsFiles is the documentation page: ours (index.html, init.js) and the
// vendored Redoc bundle with its version, licenses and checksums (see
// docs/vendor.sh).
//
//go:embed docs/index.html docs/init.js docs/redoc.standalone.js docs/redoc.standalone.js.LICENSE.txt docs/LICENSE docs/VERSION docs/SHA256SUMS
var docsFiles embed.FS

// docsPolicy is the page's Content-Security-Policy: nothing but this
// server's own files, so that the page works offline and a renderer cannot
// reach out (Redoc's branding image from its CDN is refused and hidden).
// Redoc injects its styles and runs its search index in a worker made from
// a blob.
const docsPolicy = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
	"connect-src 'self'; worker-src blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// docsTypes are the content types of the page's files, by extension.
var docsTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	"":      "text/plain; charset=utf-8", // LICENSE, VERSION, SHA256SUMS, .txt
	".txt":  "text/plain; charset=utf-8",
}

// registerDocs serves GET /docs, the API's documentation page, and its
// files under /docs/.
func registerDocs(mux *http.ServeMux) {
	files := map[string]http.HandlerFunc{}
	entries, _ := docsFiles.ReadDir("docs")
	for _, e := range entries {
		files[e.Name()] = serveDoc(e.Name())
	}
	mux.HandleFunc("GET /docs", files["index.html"])
	mux.HandleFunc("GET /docs/{file}", func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("file")
		if name == "index.html" {
			http.Redirect(w, r, "/docs", http.StatusMovedPermanently)
			return
		}
		if h, ok := files[name]; ok {
			h(w, r)
			return
		}
		writeError(w, http.StatusNotFound, "no file /docs/"+name+": the documentation page is GET /docs")
	})
}

// serveDoc serves the embedded file name, with its content type, the
// page's security policy and an ETag of its content.
func serveDoc(name string) http.HandlerFunc {
	data, _ := docsFiles.ReadFile("docs/" + name)
	ctype, ok := docsTypes[path.Ext(name)]
	if !ok {
		ctype = "application/octet-stream"
	}
	sum := sha256.Sum256(data)
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	return func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", ctype)
		h.Set("Content-Security-Policy", docsPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("ETag", etag)
		h.Set("Cache-Control", "no-cache") // revalidated by its ETag: another version of the server serves other files
		http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(data))
	}
}
