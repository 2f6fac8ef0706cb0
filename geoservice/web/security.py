"""Browser-facing hardening: the security headers of every response, the Content-Security-Policy
of every HTML page with its per-response script nonce, the public origin absolute URLs are built
from, and text from data made safe for the places a page puts it.

The policy would stop an injected ``<img onerror=…>`` or ``<script>`` even if a page had a bug:
scripts run only from this service's own files or with the nonce of this one response (folium
writes its map scaffold as inline scripts; those carry the nonce), never from an inline event
handler, a ``javascript:`` URL or another host. Styles follow the same rule: this service's
stylesheets or an element carrying the nonce; the scripts set styles through the DOM, which a
policy does not restrict.
"""

from __future__ import annotations

import json
import re
import secrets
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup
from starlette.requests import Request

from geoservice.errors import BadRequest
from geoservice.settings import Settings
from geoservice.web.asgi import send_problem

#: Characters JSON may hold that would end or confuse an inline ``<script>`` block: ``<`` and
#: ``>`` (``</script>``, ``<!--``), ``&``, and U+2028/U+2029 (line ends to older JavaScript).
_SCRIPT_UNSAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_SCRIPT_UNSAFE_RE = re.compile("[<>&\u2028\u2029]")
_OPENING_TAG = re.compile(r"<(script|style)\b", re.IGNORECASE)


def script_json_text(text: str) -> Markup:
    """JSON text made safe inside ``<script type="application/json">``: every character that
    HTML or JavaScript could read as markup is written as its ``\\u`` escape (the JSON means
    the same). ``text`` must be JSON."""
    return Markup(_SCRIPT_UNSAFE_RE.sub(lambda m: _SCRIPT_UNSAFE[m.group()], text))


def script_json(value: Any) -> Markup:
    """``value`` as JSON safe to embed in a page's ``<script type="application/json">``."""
    return script_json_text(json.dumps(value, ensure_ascii=False))


def csp_nonce(request: Request) -> str:
    """The nonce of this response's inline scripts and styles (made on first use)."""
    state = request.scope.setdefault("state", {})
    nonce = state.get("csp_nonce")
    if nonce is None:
        nonce = state["csp_nonce"] = secrets.token_urlsafe(18)
    return str(nonce)


_SCRIPT_BREAKERS = re.compile(r"</script|<!--|<script", re.IGNORECASE)


def inline_script(code: str) -> Markup:
    """Generated JavaScript (folium's) to put inside the page's own nonced ``<script>``.

    folium writes every value as escaped JSON (``<`` as ``\\u003c``) and the names it is
    given are HTML-escaped first, so this code can hold no ``</script``, ``<!--`` or
    ``<script``; should a future folium change that, the page fails closed (an error, logged)
    instead of letting data end the script block.
    """
    if _SCRIPT_BREAKERS.search(code):
        raise RuntimeError("generated script holds markup that would end its <script> block")
    return Markup(code)


def with_nonce(markup: str, nonce: str) -> Markup:
    """Generated markup (folium's) with ``nonce`` on each ``<script>`` and ``<style>``.

    Only for markup this service generated from escaped text: folium writes every value into
    its scripts as escaped JSON (``<`` as ``\\u003c``) and the names it is given are
    HTML-escaped first (``maps.py``), so no ``<script`` in it can come from data.
    """
    return Markup(_OPENING_TAG.sub(lambda m: f'<{m.group(1)} nonce="{nonce}"', markup))


def basemap_origin(url: str) -> str | None:
    """The CSP source of the basemap's tiles: its origin, with a ``{s}`` subdomain as ``*``."""
    scheme, _, rest = url.partition("://")
    host = rest.split("/", 1)[0].replace("{s}", "*")
    if scheme not in ("http", "https") or not host or "{" in host:
        return None
    return f"{scheme}://{host}"


#: Where a response's nonce goes in the policy built once (``SecurityHeaders``).
_NONCE_SLOT = "{nonce}"


def content_security_policy(settings: Settings, nonce: str | None) -> str:
    """The policy of an HTML page (``nonce``: that of its inline scripts, if any)."""
    own = "'self'" + (f" 'nonce-{nonce}'" if nonce else "")
    images = ["'self'", "data:"]
    if origin := basemap_origin(settings.basemap_url):
        images.append(origin)
    directives = {
        "default-src": "'none'",
        "script-src": own,
        "style-src": own,
        "img-src": " ".join(images),
        "font-src": "'self'",
        "connect-src": "'self'",
        "manifest-src": "'self'",
        "form-action": "'self'",
        "object-src": "'none'",
        "base-uri": "'none'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class SecurityHeaders:
    """ASGI middleware: ``nosniff``, ``Referrer-Policy`` and (in production) HSTS on every
    response; the CSP (with the response's nonce) and ``X-Frame-Options`` on HTML ones.

    With ``GEOSERVICE_PUBLIC_URL`` set, every request is seen as addressed to that origin, so
    the absolute URLs of answers (links, TileJSON, redirects) never come from a ``Host``
    header a client or a misconfigured proxy chose, and a shared cache cannot be poisoned
    with them.
    """

    def __init__(self, app: Any, settings: Settings):
        self.app = app
        self.settings = settings
        self.public = urlsplit(settings.public_url) if settings.public_url else None
        common = [
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),
        ]
        if not settings.development:
            common.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))
        self.common = common
        # the policy is the same for every page but for the nonce: built once
        self._plain_policy = content_security_policy(settings, None).encode("latin-1")
        self._nonced_policy = content_security_policy(settings, _NONCE_SLOT)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """Rewrite the request's origin when configured; add the headers to the answer."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.settings.allowed_hosts and not self._host_allowed(scope):
            await self._refuse_host(scope, send)
            return
        if self.public is not None:
            public = self.public
            port = public.port or (443 if public.scheme == "https" else 80)
            headers = [(k, v) for k, v in scope["headers"] if k != b"host"]
            headers.append((b"host", public.netloc.encode("latin-1")))
            scope = {
                **scope,
                "scheme": public.scheme,
                "server": (public.hostname or "", port),
                "root_path": public.path.rstrip("/"),
                "headers": headers,
            }

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.extend(self.common)
                content_type = next((v for k, v in headers if k == b"content-type"), b"")
                if content_type.startswith(b"text/html"):
                    nonce = scope.get("state", {}).get("csp_nonce")
                    policy = (
                        self._nonced_policy.replace(_NONCE_SLOT, nonce).encode("latin-1")
                        if nonce
                        else self._plain_policy
                    )
                    headers.append((b"content-security-policy", policy))
                    headers.append((b"x-frame-options", b"DENY"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _host_allowed(self, scope: dict[str, Any]) -> bool:
        host = next((v for k, v in scope["headers"] if k == b"host"), b"").decode("latin-1")
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        return name.strip("[]").lower() in self.settings.allowed_hosts

    async def _refuse_host(self, scope: dict[str, Any], send: Any) -> None:
        """400 problem JSON for a Host header this service does not answer for."""
        error = BadRequest("bad_request.host")
        error.headers.update({k.decode(): v.decode() for k, v in self.common})
        await send_problem(scope, send, error)
