// Swagger UI over this server's own OpenAPI document. Everything is served by this server:
// no CDN, no online validator badge (validatorUrl: null), no "explore" bar for other documents.
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    displayRequestDuration: true,
    persistAuthorization: false,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
});
