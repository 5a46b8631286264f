// The compare view: the switch that shows the equal arguments too, and the
// runs' curves overlaid, every point read through /v1/runs/{id}/metrics.
"use strict";
(function () {
  const table = document.getElementById("compare-table");
  const all = document.getElementById("show-all");
  all.addEventListener("change", () => {
    table.classList.toggle("show-all", all.checked);
    const hidden = document.querySelector(".hidden-note");
    if (hidden) hidden.hidden = all.checked;
    const u = new URL(location.href);
    if (all.checked) u.searchParams.set("all", "1"); else u.searchParams.delete("all");
    history.replaceState(null, "", u);
  });
  const el = document.getElementById("compare-chart");
  if (!el) return;
  const ids = el.dataset.runs.split(",");
  const select = document.getElementById("compare-metric");
  const chart = mlrChart.create(el, document.getElementById("chart-note"), "step");
  async function points(id, name) {
    const steps = [], values = [];
    let after = 0;
    for (;;) {
      const r = await fetch("/v1/runs/" + encodeURIComponent(id) + "/metrics?limit=10000&name=" + encodeURIComponent(name) + "&after=" + after);
      const page = await r.json();
      for (const m of page.metrics || []) { steps.push(m.step); values.push(m.value === null ? NaN : m.value); }
      if (!page.next) return { label: id, steps, values };
      after = page.next;
    }
  }
  async function draw() {
    const series = await Promise.all(ids.map((id) => points(id, select.value)));
    chart.update(series);
    el.dataset.done = "true";
  }
  select.addEventListener("change", draw);
  draw();
})();
