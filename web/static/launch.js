// The launch form: a pipeline spec built from the fields the user filled
// (empty ones keep the component's default), submitted to POST /v1/runs;
// the server's validation problems are shown beside the fields they name.
"use strict";
(function () {
  const choose = document.getElementById("choose");
  choose.querySelectorAll("select").forEach((s) => s.addEventListener("change", () => choose.submit()));
  const form = document.getElementById("launch");
  const general = document.getElementById("launch-errors");

  function set(obj, path, value) {
    const keys = path.split(".");
    let o = obj;
    for (const k of keys.slice(0, -1)) o = o[k] = o[k] || {};
    o[keys[keys.length - 1]] = value;
  }
  function clear() {
    form.querySelectorAll(".field-error").forEach((p) => { p.hidden = true; p.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach((i) => i.removeAttribute("aria-invalid"));
    general.hidden = true;
    general.textContent = "";
  }
  // show puts a problem beside the field its path names, or the nearest
  // enclosing one (model.kwargs.activation.kwargs.slope → model.kwargs.activation).
  function show(problem) {
    let path = problem.path || "";
    for (; path; path = path.replace(/(\.[^.]*|\[\d+\])$/, "")) {
      const p = form.querySelector('[data-error-for="' + CSS.escape(path) + '"]');
      if (p) {
        p.textContent = (p.textContent ? p.textContent + " " : "") + (path === problem.path ? "" : problem.path + ": ") + problem.message;
        p.hidden = false;
        const input = form.querySelector('[data-path="' + CSS.escape(path) + '"]');
        if (input) input.setAttribute("aria-invalid", "true");
        return;
      }
      if (!/[.[]/.test(path)) break;
    }
    const li = document.createElement("p");
    li.textContent = (problem.path ? problem.path + ": " : "") + problem.message;
    general.appendChild(li);
    general.hidden = false;
  }
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clear();
    const spec = {};
    const local = [];
    for (const fs of form.querySelectorAll("fieldset[data-name]")) set(spec, fs.dataset.role + ".name", fs.dataset.name);
    for (const input of form.querySelectorAll("[data-path]")) {
      const raw = input.value.trim();
      if (raw === "") continue;
      let v = raw;
      switch (input.dataset.type) {
        case "integer": case "number": v = Number(raw); if (Number.isNaN(v)) { local.push({ path: input.dataset.path, message: "expected a number, got " + JSON.stringify(raw) }); continue; } break;
        case "boolean": v = raw === "true"; break;
        case "json": try { v = JSON.parse(raw); } catch (err) { local.push({ path: input.dataset.path, message: "not JSON: " + err.message }); continue; } break;
      }
      set(spec, input.dataset.path, v);
    }
    if (local.length) { local.forEach(show); return; }
    const button = document.getElementById("launch-submit");
    button.disabled = true;
    try {
      const r = await mlr.api("POST", "/v1/runs", spec);
      if (r.status === 202) { location.href = "/runs/" + encodeURIComponent(r.body.id); return; }
      const problems = (r.body && r.body.problems) || [];
      if (problems.length) problems.forEach(show); else show({ path: "", message: mlr.errorText(r) });
    } finally {
      button.disabled = false;
    }
  });
})();
