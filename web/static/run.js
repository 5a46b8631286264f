// A run's page: its curve from the run's events (every point logged so
// far, then each new one live, resuming where it left off), and deletion.
"use strict";
(function () {
  const el = document.getElementById("chart");
  const id = el.dataset.run;
  const note = document.getElementById("chart-note");
  const chart = mlrChart.create(el, note, "step");
  const series = new Map(); // name → {steps, values}
  let pending = false;
  function redraw() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      const names = Array.from(series.keys()).sort();
      chart.update(names.map((n) => ({ label: n, steps: series.get(n).steps, values: series.get(n).values })));
      for (const n of names) {
        let row = document.querySelector('#series tr[data-metric="' + CSS.escape(n) + '"]');
        if (!row) { // a metric logged since the page was served
          row = document.querySelector("#series tbody").insertRow();
          row.dataset.metric = n;
          const th = document.createElement("th");
          th.scope = "row";
          th.textContent = n;
          row.appendChild(th);
          for (let i = 0; i < 3; i++) row.insertCell().className = "num";
        }
        const s = series.get(n);
        row.cells[1].textContent = String(s.steps.length);
        row.cells[2].textContent = s.steps[0] + "–" + s.steps[s.steps.length - 1];
        row.cells[3].textContent = Number(s.values[s.values.length - 1]).toPrecision(6);
      }
    });
  }
  const finished = new Set(["succeeded", "failed", "canceled", "interrupted"]);
  const es = new EventSource("/v1/runs/" + encodeURIComponent(id) + "/events");
  es.addEventListener("metric", (e) => {
    const m = JSON.parse(e.data);
    let s = series.get(m.name);
    if (!s) { s = { steps: [], values: [] }; series.set(m.name, s); }
    s.steps.push(m.step);
    s.values.push(m.value === null ? NaN : m.value);
    redraw();
  });
  es.addEventListener("status", (e) => {
    const run = JSON.parse(e.data);
    const badge = document.getElementById("run-status");
    badge.textContent = run.status;
    badge.className = "status status-" + run.status;
    if (finished.has(run.status)) {
      es.close();
      el.dataset.done = "true";
      if (el.dataset.active === "true") location.reload(); // its final metrics, directory and checkpoint
    }
  });
  es.onerror = () => { if (es.readyState === EventSource.CLOSED) note.textContent += " (the event stream closed)"; };

  const ask = document.getElementById("delete-ask");
  if (!ask) return;
  const box = document.getElementById("delete-confirm");
  const err = document.getElementById("delete-error");
  ask.addEventListener("click", () => { box.hidden = false; document.getElementById("delete-no").focus(); });
  document.getElementById("delete-no").addEventListener("click", () => { box.hidden = true; ask.focus(); });
  document.getElementById("delete-yes").addEventListener("click", async () => {
    const r = await mlr.api("DELETE", "/v1/runs/" + encodeURIComponent(id));
    if (r.status === 204) { location.href = "/?deleted=" + encodeURIComponent(id); return; }
    err.textContent = "Not deleted: " + mlr.errorText(r);
    err.hidden = false;
  });
})();
