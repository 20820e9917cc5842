// Swagger UI on this node's own OpenAPI document. A script file rather than an inline script, so
// that the page's Content-Security-Policy can refuse inline scripts.
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/v1/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    // No badge from an outside validator: the page talks to this node only.
    validatorUrl: null,
    tryItOutEnabled: false
  });
});
