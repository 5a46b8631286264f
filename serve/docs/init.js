// Renders the API's OpenAPI description with the vendored Redoc, in the
// system's fonts: the page fetches nothing but this server's own files.
Redoc.init("/openapi.json", {
  expandResponses: "200,202",
  jsonSampleExpandLevel: 3,
  theme: {
    typography: {
      fontFamily: "system-ui, -apple-system, 'Segoe UI', sans-serif",
      headings: { fontFamily: "system-ui, -apple-system, 'Segoe UI', sans-serif" },
      code: { fontFamily: "ui-monospace, 'DejaVu Sans Mono', monospace" },
    },
  },
}, document.getElementById("redoc"));
