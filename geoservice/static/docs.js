// Starts Swagger UI (served by this service) on the service's OpenAPI document. A file rather
// than an inline script, so that the page's Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  var element = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: element.dataset.openapi,
    domNode: element,
    deepLinking: true,
    validatorUrl: null,
  });
  document.documentElement.setAttribute("data-script-ready", "docs");
})();
