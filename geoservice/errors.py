"""One error hierarchy for the whole service, rendered once as RFC 9457 problem JSON.

Each error carries an HTTP status, a problem type and a message key; the message shown to users
is localized and never contains internal detail (SQL, stack traces). Only unexpected 5xx are
logged with their detail.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import TYPE_CHECKING, Any, Literal, Self

from geoservice.i18n import LEVEL_NAMES, t
from geoservice.i18n.imports import ATTRIBUTE_TYPES

if TYPE_CHECKING:
    from geoservice.catalog.models import LocalizedText

PROBLEM_BASE = "https://geoservice.id/problems/"


class ServiceError(Exception):
    """Base of every error the service answers with deliberately."""

    status: int = 500
    problem: str = "internal-error"
    title_key: str = "internal_error.title"

    def __init__(self, key: str, /, *, extra: dict[str, Any] | None = None, **params: Any):
        super().__init__(t(key, "en", **params))
        self.key = key
        self.params = params
        self.extra = extra or {}
        #: response headers that belong to the error (WWW-Authenticate, Retry-After, Allow)
        self.headers: dict[str, str] = {}

    def detail(self, lang: str) -> str:
        """The user-facing explanation in ``lang``."""
        return t(self.key, lang, **self.params)

    def with_extra(self, **extra: Any) -> Self:
        """The error with more members for its problem body."""
        self.extra.update(extra)
        return self

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
    title_key = "bad_request.title"


class NotFound(ServiceError):
    """The addressed resource does not exist."""

    status = 404
    problem = "not-found"
    title_key = "not_found.title"


class ValidationFailed(ServiceError):
    """Well-formed input that breaks a rule of the data (schema, geometry, code)."""

    status = 422
    problem = "validation-failed"
    title_key = "validation_failed.title"


class Unauthorized(ServiceError):
    """No valid credentials: sign in, or send a valid bearer token."""

    status = 401
    problem = "unauthorized"
    title_key = "unauthorized.title"

    def __init__(self, key: str, /, *, bearer_error: str | None = None, **params: Any):
        super().__init__(key, **params)
        challenge = 'Bearer realm="geoservice"'
        if bearer_error:
            challenge += f', error="{bearer_error}"'
        self.headers["WWW-Authenticate"] = challenge


class Forbidden(ServiceError):
    """Signed in, but this is not the user's to do (another kelurahan, another role)."""

    status = 403
    problem = "forbidden"
    title_key = "forbidden.title"


class Conflict(ServiceError):
    """The write collides with existing data; ``extra`` says with what."""

    status = 409
    problem = "conflict"
    title_key = "conflict.title"


class PreconditionFailed(ServiceError):
    """If-Match names a version that is no longer current: someone else changed it."""

    status = 412
    problem = "precondition-failed"
    title_key = "precondition_failed.title"


class PreconditionRequired(ServiceError):
    """A change of an existing feature without If-Match."""

    status = 428
    problem = "precondition-required"
    title_key = "precondition_required.title"


class PayloadTooLarge(ServiceError):
    """The request body is over the configured limit."""

    status = 413
    problem = "payload-too-large"
    title_key = "payload_too_large.title"


class UnsupportedMediaType(ServiceError):
    """A body of a media type the endpoint does not read."""

    status = 415
    problem = "unsupported-media-type"
    title_key = "unsupported_media_type.title"


class TooManyRequests(ServiceError):
    """Rate limited; Retry-After says when to try again."""

    status = 429
    problem = "too-many-requests"
    title_key = "too_many_requests.title"

    def __init__(self, key: str, /, *, retry_after: int, **params: Any):
        super().__init__(key, retry_after=retry_after, **params)
        self.headers["Retry-After"] = str(retry_after)


Severity = Literal["error", "warning"]

#: parameters of a row issue that name an administrative level (1-4), given as its name
_LEVEL_PARAMS = {"actual", "expected"}


@dataclass(frozen=True)
class FieldProblem:
    """One problem of one field: a message key and its parameters.

    The one shape of a request body's field problem (``InvalidFields``), of an attribute value
    that does not fit its layer (:func:`attribute_problem`) and of an importer's finding about a
    row of a file (``ImportReport.add``): ``row``, ``severity`` and ``code`` say where in the
    file, ``field`` is then the column.
    """

    field: str | None
    key: str
    params: dict[str, Any] = dataclass_field(default_factory=dict)
    #: an attribute's problem: the message names the field by its title from the layer file
    #: (the label people see beside it), by its name in quotes when the layer has no such field
    attribute: bool = False
    title: LocalizedText | None = None
    #: for a pattern: what it asks for, in words (instead of the key's text)
    hint: LocalizedText | None = None
    #: the input row (1-based, as a spreadsheet shows it); None for the file as a whole
    row: int | None = None
    #: an importer does not load ``error`` rows; it loads ``warning`` rows
    severity: Severity = "error"
    #: the row's area code, as the file gives it
    code: str | None = None

    @property
    def column(self) -> str | None:
        """The column of the file, for a row's problem."""
        return self.field

    def message(self, lang: str = "id") -> str:
        """The message in ``lang``; an attribute's reads ``Nama posyandu: wajib diisi``, never
        a regular expression."""
        if self.attribute:
            params = dict(self.params)
            if "type" in params:
                params["type"] = t(ATTRIBUTE_TYPES[params["type"]], lang)
            field = self.title.get(lang) if self.title is not None else f"'{self.field}'"
            text = self.hint.get(lang) if self.hint is not None else t(self.key, lang, **params)
            return t("attr.invalid", lang, field=field, message=text)
        params = {"code": self.code, "column": self.field}
        params.update(
            (k, LEVEL_NAMES[v]["en" if lang == "en" else "id"] if _is_level(k, v) else v)
            for k, v in self.params.items()
        )
        return t(self.key, lang, **params)

    def as_dict(self, lang: str = "id") -> dict[str, Any]:
        """A row's problem, JSON-ready, with the message in ``lang``."""
        return {
            "row": self.row,
            "code": self.code,
            "column": self.field,
            "severity": self.severity,
            "problem": self.key,
            "message": self.message(lang),
        }


def _is_level(name: str, value: Any) -> bool:
    return name in _LEVEL_PARAMS and isinstance(value, int) and value in LEVEL_NAMES


def attribute_problem(
    name: str,
    key: str,
    params: dict[str, Any] | None = None,
    *,
    title: LocalizedText | None = None,
    hint: LocalizedText | None = None,
) -> FieldProblem:
    """The problem of a value of the layer attribute ``name`` (``title`` from the layer file)."""
    return FieldProblem(name, key, params or {}, attribute=True, title=title, hint=hint)


class InvalidFields(ValidationFailed):
    """A body breaking rules of the data: every problem, each with its field and message."""

    def __init__(self, problems: list[FieldProblem]):
        super().__init__("invalid_fields.detail", count=len(problems))
        self.problems = problems

    def detail(self, lang: str) -> str:
        """All the messages, in ``lang``."""
        return "; ".join(p.message(lang) for p in self.problems)

    def to_problem(self, lang: str, instance: str | None = None) -> dict[str, Any]:
        """The problem body with ``errors``: [{field, message}]."""
        body = super().to_problem(lang, instance)
        body["errors"] = [{"field": p.field, "message": p.message(lang)} for p in self.problems]
        return body


class MethodNotAllowed(ServiceError):
    """The path exists, the method does not."""

    status = 405
    problem = "method-not-allowed"
    title_key = "method_not_allowed.title"


class HTTPProblem(ServiceError):
    """Any other HTTP error raised by the framework, with its status and reason."""

    problem = "http-error"
    title_key = "bad_request.title"

    def __init__(self, status: int, detail: str):
        super().__init__("http.detail", detail=detail)
        self.status = status


class InternalError(ServiceError):
    """A bug: the user gets a fixed message, the log gets the detail."""

    status = 500
    problem = "internal-error"
    title_key = "internal_error.title"


class DatabaseUnavailable(ServiceError):
    """PostgreSQL cannot be reached."""

    status = 503
    problem = "database-unavailable"
    title_key = "database_unavailable.title"


class ServiceBusy(ServiceError):
    """More requests than the service serves at once and queues: come back after Retry-After."""

    status = 503
    problem = "service-busy"
    title_key = "service_busy.title"

    def __init__(self, key: str, /, *, retry_after: int, **params: Any):
        super().__init__(key, seconds=retry_after, **params)
        self.headers["Retry-After"] = str(retry_after)


def database_unavailable(exc: BaseException) -> DatabaseUnavailable:
    """A 503 with a fixed message: the driver's reason (host, port, user) goes to the log
    only, never to the client (ASVS 7.4.1)."""
    orig = getattr(exc, "orig", None) or exc
    lines = str(orig).strip().splitlines()
    logging.getLogger("geoservice").warning(
        "database unavailable: %s", lines[0] if lines else type(orig).__name__
    )
    return DatabaseUnavailable("database_unavailable.detail", extra={"status_text": "unavailable"})
