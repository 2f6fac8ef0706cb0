"""HTTP plumbing shared by the routers: ASGI middleware (admission, body limit, JSON guard, CORS,
security headers, the tile fast path), problem answers from middleware, conditional GET, static
files, HTML page rendering, request-validation sentences and the OpenAPI 3.0 document."""
