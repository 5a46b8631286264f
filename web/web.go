// Package web is the browser UI of mlregistry serve: pages of runs, a run
// (its loss curve live), a comparison of runs, recorded components, and a
// form that launches a run. Pages are html/template documents rendered on
// the server from the service layer (the tables read without JavaScript);
// a little JavaScript draws the curves (uPlot, vendored), follows a
// training run's events and sends writes through the public API (/v1).
// Every asset is embedded: the UI needs no network.
package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"

	"github.com/mlregistry/mlregistry/service"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Config configures the UI.
type Config struct {
	// Runs reads, compares and deletes runs (the same service the API
	// uses).
	Runs *service.Runs
	// Records shows recorded components and lists the configurations of
	// a name (the same service the API uses).
	Records *service.Records
	// Catalogue describes the registered components (the launch form and
	// the component pages).
	Catalogue *service.Catalogue
	// DB is the store's URL, redacted, for the commands the pages show
	// (mlregistry rebuild --db DB RUN).
	DB string
	// TokenRequired says that writes need the API token: the pages then
	// ask for it (kept in the browser's session storage) before a launch
	// or a deletion.
	TokenRequired bool
}

// UI is the web UI: an http.Handler.
type UI struct {
	cfg   Config
	pages map[string]*template.Template
	mux   *http.ServeMux
}

// New returns the UI for cfg.
func New(cfg Config) *UI {
	u := &UI{cfg: cfg, pages: map[string]*template.Template{}, mux: http.NewServeMux()}
	for _, page := range []string{"runs", "run", "compare", "component", "components", "launch", "error"} {
		u.pages[page] = template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", "templates/"+page+".html"))
	}
	static, err := fs.Sub(staticFiles, "static")
	if err != nil {
		panic(err) // the embedded tree always has it
	}
	u.mux.Handle("GET /static/", http.StripPrefix("/static/", cacheable(http.FileServerFS(static))))
	u.mux.HandleFunc("GET /{$}", u.runs)
	u.mux.HandleFunc("GET /runs/{id}", u.run)
	u.mux.HandleFunc("GET /compare", u.compare)
	u.mux.HandleFunc("GET /components", u.components)
	u.mux.HandleFunc("GET /components/{hash}", u.component)
	u.mux.HandleFunc("GET /launch", u.launch)
	u.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		u.fail(w, r, fmt.Errorf("%w: no page %s %s", service.ErrNotFound, r.Method, r.URL.Path))
	})
	return u
}

// ServeHTTP serves the pages and the static assets.
func (u *UI) ServeHTTP(w http.ResponseWriter, r *http.Request) { u.mux.ServeHTTP(w, r) }

// cacheable lets browsers keep the static assets for an hour.
func cacheable(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(w, r)
	})
}

// page is what every template gets: the title, the page's own data, and
// the JSON twin of the page in /v1.
type page struct {
	Title         string
	Nav           string // the navigation entry to highlight
	API           string // the page's JSON twin
	TokenRequired bool
	Data          any
}

// render writes the page template name with data; a template error is a
// 500 (and logged), never half a page.
func (u *UI) render(w http.ResponseWriter, name string, status int, p page) {
	p.TokenRequired = u.cfg.TokenRequired
	var b bytes.Buffer
	if err := u.pages[name].Execute(&b, p); err != nil {
		slog.Error("web: rendering page", "page", name, "err", err)
		http.Error(w, "rendering the page failed: "+err.Error(), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}

// errorPage is the data of the error page.
type errorPage struct {
	Status  int
	Message string
}

// fail renders an error page with the status the API gives err
// (service.HTTPStatus).
func (u *UI) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := service.HTTPStatus(err)
	u.render(w, "error", status, page{Title: http.StatusText(status), Data: errorPage{status, err.Error()}})
}
