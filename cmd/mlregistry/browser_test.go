package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/mlregistry/mlregistry/internal/gomlxrace"
	"github.com/mlregistry/mlregistry/store"
)

// chromiumPath is Debian's chromium, which the browser tests drive.
const chromiumPath = "/usr/bin/chromium"

// browser starts a headless chromium, fresh profile, no network of its
// own, and returns a tab's context; it skips t without chromium.
func browser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("the browser tests need Debian's chromium (%s: %v): apt-get install chromium", chromiumPath, err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1400, 1000),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, 7*time.Minute)
	t.Cleanup(func() { cancelTime(); cancel(); cancelAlloc() })
	return ctx
}

// screenshots returns the directory the browser tests keep their
// screenshots in: $MLREGISTRY_SCREENSHOTS, else a new one under the
// temporary directory; never in the repository.
func screenshots(t *testing.T) string {
	dir := os.Getenv("MLREGISTRY_SCREENSHOTS")
	var err error
	if dir == "" {
		dir, err = os.MkdirTemp("", "mlregistry-screenshots-")
	} else {
		err = os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", dir)
	return dir
}

// field selects the element whose id is id, which may hold dots (a JSON
// path), unlike chromedp.ID's "#id".
func field(id string) chromedp.CSS { return chromedp.CSS(`[id="` + id + `"]`) }

// getJSON decodes the JSON answer of GET url into out.
func getJSON(t *testing.T, url string, out any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, data)
	}
	if err := json.Unmarshal(data, out); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

// loggedPoints returns how many values of metric name run id logged.
func loggedPoints(t *testing.T, base, id, name string) int {
	var page struct {
		Metrics []store.Metric `json:"metrics"`
	}
	getJSON(t, base+"/v1/runs/"+id+"/metrics?limit=10000&name="+name, &page)
	return len(page.Metrics)
}

// TestBrowserUI drives the web UI of a real serve in a real browser: the
// runs table, a run's page and its curve, the compare view, a launch from
// the form (its validation messages, its curve growing live) and a
// deletion.
func TestBrowserUI(t *testing.T) {
	gomlxrace.Skip(t)
	ctx := browser(t)
	shots := screenshots(t)
	bin := buildBinary(t)
	dir := t.TempDir()
	base := startServe(t, bin, "--db", "sqlite://"+filepath.Join(dir, "store.db"), "--runs", filepath.Join(dir, "runs"))

	// Two short Digits runs, with different lr.
	var runs []store.Run
	for _, lr := range []string{"0.001", "0.01"} {
		var r store.Run
		post(t, base+"/v1/runs", `{"dataset": {"name": "Digits"}, "optimizer": {"name": "Adam", "kwargs": {"lr": `+lr+`}},
			"training": {"batch_size": 32, "steps": 60, "seed": 2}}`, http.StatusAccepted, &r)
		runs = append(runs, r)
	}
	for i, r := range runs {
		done, _ := follow(t, base, r.ID, time.Now())
		if done.Status != store.StatusSucceeded {
			t.Fatalf("run %s: %s, want succeeded", r.ID, done.Status)
		}
		runs[i] = done
	}
	shot := func(t *testing.T, name string) {
		t.Helper()
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	eval := func(t *testing.T, expr string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatalf("evaluating %s: %v", expr, err)
		}
		return v
	}
	// wait evaluates expr until it is true, across page loads.
	wait := func(t *testing.T, what, expr string, timeout time.Duration) {
		t.Helper()
		deadline := time.Now().Add(timeout)
		for {
			ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("Boolean("+expr+")"))
			if err == nil && ok {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("waiting for %s (%s) %v: %v", what, expr, timeout, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	// timing logs how long the page took: the server's answer (request to
	// last byte) and the whole load (to the load event's end).
	timing := func(t *testing.T, page string) {
		t.Helper()
		t.Logf("%s: %s", page, eval(t, `(n => "served in " + (n.responseEnd - n.requestStart).toFixed(1) + " ms, loaded in " + (n.loadEventEnd - n.startTime).toFixed(1) + " ms")(performance.getEntriesByType("navigation")[0])`))
	}
	rows := `Array.from(document.querySelectorAll("table.runs tbody tr")).map(r => r.dataset.run).join(",")`

	t.Run("RunsTable", func(t *testing.T) {
		start := time.Now()
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/")); err != nil {
			t.Fatal(err)
		}
		t.Logf("runs page navigated to in %v (the browser's first page)", time.Since(start).Round(time.Millisecond))
		timing(t, "runs page")
		got := eval(t, rows)
		want := runs[1].ID + "," + runs[0].ID // newest first
		if got != want {
			t.Errorf("runs table lists %q, want %q", got, want)
		}
		shot(t, "runs")
	})

	t.Run("RunPage", func(t *testing.T) {
		r := runs[0]
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`a[href="/runs/`+r.ID+`"]`)), chromedp.WaitVisible(chromedp.ID("chart"))); err != nil {
			t.Fatal(err)
		}
		timing(t, "run page")
		wait(t, "the curve drawn", `document.getElementById("chart").dataset.done === "true" && document.getElementById("chart").uplot !== undefined`, 20*time.Second)
		model := ""
		for _, l := range r.Components {
			if l.Role == "model" {
				model = l.Hash
			}
		}
		if text := eval(t, `document.querySelector("main").innerText`); model == "" || !strings.Contains(text, model) {
			t.Errorf("the run's page does not show the model's hash %q", model)
		}
		drawn := eval(t, `String(document.getElementById("chart").uplot.data[1].filter(v => v !== null).length)`)
		if logged := loggedPoints(t, base, r.ID, "batch_loss"); drawn != fmt.Sprint(logged) || logged == 0 {
			t.Errorf("the curve draws %s points, the run logged %d", drawn, logged)
		}
		shot(t, "run")
	})

	t.Run("Compare", func(t *testing.T) {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/compare?runs="+runs[0].ID+","+runs[1].ID)); err != nil {
			t.Fatal(err)
		}
		timing(t, "compare page")
		lr := `document.querySelector('tr[data-path="components.optimizer.arguments.lr"]')`
		if got := eval(t, lr+`.innerText`); !strings.Contains(got, "0.001") || !strings.Contains(got, "0.01") {
			t.Errorf("the lr row reads %q, want both values", got)
		}
		visible := func(path string) string {
			return eval(t, `(e => e && e.offsetParent !== null ? "visible" : "hidden")(document.querySelector('tr[data-path="`+path+`"]'))`)
		}
		if visible("components.optimizer.arguments.lr") != "visible" || visible("params.batch_size") != "hidden" {
			t.Errorf("lr is %s, batch_size %s: want the difference shown, the equal argument hidden",
				visible("components.optimizer.arguments.lr"), visible("params.batch_size"))
		}
		wait(t, "the curves", `document.getElementById("compare-chart").dataset.done === "true"`, 20*time.Second)
		shot(t, "compare")
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("show-all"))); err != nil {
			t.Fatal(err)
		}
		if visible("params.batch_size") != "visible" {
			t.Errorf("after show all, batch_size is hidden")
		}
		shot(t, "compare-all")
	})

	var launched string
	t.Run("Launch", func(t *testing.T) {
		// hidden_size has no default: left empty, the server names it.
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/launch"),
			chromedp.SendKeys(field("f-model.kwargs.p"), "0.1"),
			chromedp.Click(chromedp.ID("launch-submit")),
		); err != nil {
			t.Fatal(err)
		}
		beside := `document.querySelector('[data-error-for="model.kwargs.hidden_size"]')`
		wait(t, "the validation message", "!"+beside+".hidden", 10*time.Second)
		if msg := eval(t, beside+".innerText"); !strings.Contains(msg, "hidden_size") {
			t.Errorf("beside the field hidden_size: %q, want the server's message about it", msg)
		}
		shot(t, "launch-invalid")
		if err := chromedp.Do(ctx,
			chromedp.SendKeys(field("f-model.kwargs.hidden_size"), "32"),
			chromedp.SendKeys(field("f-training.steps"), "1500"), // 100 points, in 3 s alone, minutes under go test ./...'s load
			chromedp.SendKeys(field("f-training.batch_size"), "32"),
			chromedp.Click(chromedp.ID("launch-submit")),
		); err != nil {
			t.Fatal(err)
		}
		wait(t, "the new run's page", `location.pathname.startsWith("/runs/")`, 10*time.Second)
		launched = strings.TrimPrefix(eval(t, `location.pathname`), "/runs/")
		count := `String(document.getElementById("chart").uplot ? document.getElementById("chart").uplot.data[1].filter(v => v !== null).length : 0)`
		wait(t, "a first point", count+` !== "0"`, 60*time.Second)
		first := eval(t, count)
		wait(t, "the curve growing", count+` !== "`+first+`"`, 60*time.Second)
		t.Logf("the curve grew live from %s points to %s", first, eval(t, count))
		shot(t, "launched-live")
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/")); err != nil {
			t.Fatal(err)
		}
		if got := eval(t, rows); !strings.HasPrefix(got, launched+",") {
			t.Errorf("runs table lists %q, want the launched run %s first", got, launched)
		}
		shot(t, "runs-with-launched")
	})
	if launched == "" {
		t.Fatal("no run launched")
	}

	t.Run("Delete", func(t *testing.T) {
		done, _ := follow(t, base, launched, time.Now())
		if done.Status != store.StatusSucceeded || done.ArtifactDir == "" {
			t.Fatalf("launched run: %s, dir %q", done.Status, done.ArtifactDir)
		}
		if _, err := os.Stat(done.ArtifactDir); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/runs/"+launched), chromedp.Click(chromedp.ID("delete-ask")),
			chromedp.WaitVisible(chromedp.ID("delete-yes"))); err != nil {
			t.Fatal(err)
		}
		shot(t, "delete-confirm")
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("delete-yes"))); err != nil {
			t.Fatal(err)
		}
		wait(t, "the runs page", `location.pathname === "/" && document.readyState === "complete"`, 10*time.Second)
		if got := eval(t, rows); strings.Contains(got, launched) {
			t.Errorf("after deleting %s the runs table lists %q", launched, got)
		}
		if _, err := os.Stat(done.ArtifactDir); !os.IsNotExist(err) {
			t.Errorf("the deleted run's directory %s: %v, want it gone", done.ArtifactDir, err)
		}
		shot(t, "deleted")
	})
}
