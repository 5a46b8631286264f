// mlregistry UI: what every page shares. Writes go through the public API
// (/v1) with the token the user gave, kept in this tab's session storage.
"use strict";
window.mlr = (function () {
  const tokenKey = "mlregistry-token";
  const input = document.getElementById("token");
  if (input) {
    input.value = sessionStorage.getItem(tokenKey) || "";
    input.addEventListener("input", () => sessionStorage.setItem(tokenKey, input.value));
    document.getElementById("token-form").addEventListener("submit", (e) => e.preventDefault());
  }
  // api sends a request to the API, with the token when one is set, and
  // returns {status, body} (body: the decoded JSON, or null).
  async function api(method, url, body) {
    const headers = {};
    const token = sessionStorage.getItem(tokenKey);
    if (token) headers["Authorization"] = "Bearer " + token;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const resp = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    let data = null;
    const text = await resp.text();
    if (text) {
      try { data = JSON.parse(text); } catch (e) { data = { error: text }; }
    }
    return { status: resp.status, body: data };
  }
  // errorText is an API error's message, with a hint for a missing token.
  function errorText(r) {
    let msg = (r.body && r.body.error) || "HTTP " + r.status;
    if (r.status === 401) msg += " — enter the API token at the top of the page.";
    return msg;
  }
  return { api, errorText };
})();
