"""One error hierarchy for the whole service, rendered once as RFC 9457 problem JSON.

Each error carries an HTTP status, a problem type and a message key; the message shown to users
is localized and never contains internal detail (SQL, stack traces). Only unexpected 5xx are
logged with their detail.
"""

from __future__ import annotations

from typing import Any

from geoservice.i18n import t

PROBLEM_BASE = "https://geoservice.id/problems/"


class ServiceError(Exception):
    """Base of every error the service answers with deliberately."""

    status: int = 500
    problem: str = "internal-error"
    title_key: str = "internal_error"

    def __init__(self, key: str, /, *, extra: dict[str, Any] | None = None, **params: Any):
        super().__init__(t(key, "en", **params))
        self.key = key
        self.params = params
        self.extra = extra or {}

    def detail(self, lang: str) -> str:
        """The user-facing explanation in ``lang``."""
        return t(self.key, lang, **self.params)

    def to_problem(self, lang: str, instance: str | None = None) -> dict[str, Any]:
        """The RFC 9457 body."""
        body: dict[str, Any] = {
            "type": PROBLEM_BASE + self.problem,
            "title": t(self.title_key, lang),
            "status": self.status,
            "detail": self.detail(lang),
        }
        if instance:
            body["instance"] = instance
        body.update(self.extra)
        return body


class BadRequest(ServiceError):
    """The request itself is malformed (bad parameter, bad body)."""

    status = 400
    problem = "bad-request"
    title_key = "bad_request"


class NotFound(ServiceError):
    """The addressed resource does not exist."""

    status = 404
    problem = "not-found"
    title_key = "not_found"


class ValidationFailed(ServiceError):
    """Well-formed input that breaks a rule of the data (schema, geometry, code)."""

    status = 422
    problem = "validation-failed"
    title_key = "validation_failed"


class MethodNotAllowed(ServiceError):
    """The path exists, the method does not."""

    status = 405
    problem = "method-not-allowed"
    title_key = "method_not_allowed"


class HTTPProblem(ServiceError):
    """Any other HTTP error raised by the framework, with its status and reason."""

    problem = "http-error"
    title_key = "bad_request"

    def __init__(self, status: int, detail: str):
        super().__init__("http.detail", detail=detail)
        self.status = status


class InternalError(ServiceError):
    """A bug: the user gets a fixed message, the log gets the detail."""

    status = 500
    problem = "internal-error"
    title_key = "internal_error"


class DatabaseUnavailable(ServiceError):
    """PostgreSQL cannot be reached."""

    status = 503
    problem = "database-unavailable"
    title_key = "database_unavailable"


class ImportFailed(Exception):
    """An import rejected rows and, being all-or-nothing, wrote nothing. Carries the report."""

    def __init__(self, report: Any):
        super().__init__(f"{report.rejected} row(s) rejected; nothing was written")
        self.report = report


def database_unavailable(exc: BaseException) -> DatabaseUnavailable:
    """A 503 whose detail is the driver's first line (host and port, never the password)."""
    orig = getattr(exc, "orig", None) or exc
    lines = str(orig).strip().splitlines()
    reason = lines[0] if lines else type(orig).__name__
    return DatabaseUnavailable(
        "database_unavailable.detail", extra={"status_text": "unavailable"}, reason=reason
    )
