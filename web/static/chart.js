// Curves drawn with uPlot: every logged point, unless a series has more
// than maxPoints — then it is reduced to the minimum and maximum of each of
// maxPoints/2 step ranges, and the note says so.
"use strict";
window.mlrChart = (function () {
  const maxPoints = 400000;

  // reduce returns the steps and values to draw of one series, and how it
  // was reduced ("" when it was not).
  function reduce(steps, values) {
    if (steps.length <= maxPoints) return { steps, values, how: "" };
    const buckets = maxPoints / 2, per = steps.length / buckets;
    const s = [], v = [];
    for (let b = 0; b < buckets; b++) {
      const from = Math.floor(b * per), to = Math.min(steps.length, Math.floor((b + 1) * per));
      let lo = from, hi = from;
      for (let i = from; i < to; i++) {
        if (values[i] < values[lo]) lo = i;
        if (values[i] > values[hi]) hi = i;
      }
      for (const i of lo <= hi ? [lo, hi] : [hi, lo]) { s.push(steps[i]); v.push(values[i]); }
    }
    return { steps: s, values: v, how: "reduced to the minimum and maximum of each of " + buckets.toLocaleString("en") + " step ranges" };
  }

  const palette = ["#1f5fa8", "#c0392b", "#2e8b57", "#8e44ad", "#d68910", "#17a2b8", "#7f8c8d", "#e84393"];

  // create draws series (an array of {label, steps, values}) in el, and
  // returns an object whose update(series) redraws them.
  function create(el, note, xLabel) {
    let plot = null, labels = [];
    function update(series) {
      const drawn = series.map((s) => ({ label: s.label, logged: s.steps.length, ...reduce(s.steps, s.values) }));
      const xs = Array.from(new Set(drawn.flatMap((d) => d.steps))).sort((a, b) => a - b);
      const at = new Map(xs.map((x, i) => [x, i]));
      const data = [xs];
      for (const d of drawn) {
        const ys = new Array(xs.length).fill(null);
        d.steps.forEach((x, i) => { ys[at.get(x)] = d.values[i]; });
        data.push(ys);
      }
      const newLabels = drawn.map((d) => d.label);
      if (!plot || newLabels.join("\n") !== labels.join("\n")) {
        if (plot) plot.destroy();
        labels = newLabels;
        el.textContent = "";
        plot = new uPlot({
          width: Math.max(320, el.clientWidth || 800), height: 320,
          scales: { x: { time: false } },
          axes: [{ label: xLabel }, { label: "value" }],
          series: [{ label: xLabel }].concat(drawn.map((d, i) => ({ label: d.label, stroke: palette[i % palette.length], width: 1.5, spanGaps: true, points: { show: false } }))),
        }, data, el);
        el.uplot = plot;
      } else {
        plot.setData(data);
      }
      el.dataset.drawn = JSON.stringify(Object.fromEntries(drawn.map((d) => [d.label, d.steps.length])));
      if (note) {
        note.textContent = drawn.map((d) => d.label + ": " + d.logged.toLocaleString("en") + " points logged, " +
          (d.how ? d.steps.length.toLocaleString("en") + " drawn (" + d.how + ")" : "every one drawn")).join("; ") + ".";
      }
    }
    window.addEventListener("resize", () => { if (plot) plot.setSize({ width: Math.max(320, el.clientWidth), height: 320 }); });
    return { update };
  }
  return { create, reduce, maxPoints };
})();
