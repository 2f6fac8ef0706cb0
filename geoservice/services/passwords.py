"""Passwords and sign-in throttling: the rules a new password must meet, argon2id hashing, the
HMAC the database keeps of session and token secrets, and how long a sign-in must wait after
failures.

Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106). Session cookies and API
tokens are random secrets of 256 bits; the database keeps only an HMAC-SHA256 of each, keyed by
``GEOSERVICE_SECRET_KEY``, so a copy of the database signs nobody in and looking a secret up is
one indexed query (no argon2 cost per request). Failed sign-ins are rows in ``login_failure``,
so the limit holds across service processes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, and_, extract, func, or_, select
from zxcvbn import zxcvbn

from geoservice.db.models import LoginFailure
from geoservice.errors import ValidationFailed
from geoservice.settings import WEAK_PASSWORDS, Settings

MIN_PASSWORD_LENGTH = 10


#: A client may fail this many times more often than one username (a shared office NAT).
CLIENT_FAILURE_FACTOR = 4


_hasher = PasswordHasher()


#: Verified against when the username is unknown, so both answers take as long.
DUMMY_HASH = _hasher.hash("not the password of anyone")


#: zxcvbn's score a new password must reach: 3 is "safely unguessable: moderate protection
#: from an offline slow-hash scenario" (its guess estimate is above 10^8).
MIN_PASSWORD_SCORE = 3


#: Words of this service that make a password easier to guess (zxcvbn's ``user_inputs``).
SERVICE_WORDS = ("geoservice", "satudata", "satu data", "kelurahan", "walidata", "diskominfo")


def check_new_password(password: str, username: str) -> None:
    """ValidationFailed unless ``password`` is long enough, does not contain the username,
    and is not guessable by zxcvbn's estimate (common passwords, names, keyboard patterns,
    dates, l33t spellings and repeats, with the username and this service's words as
    dictionary entries)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed("auth.password_short", minimum=MIN_PASSWORD_LENGTH)
    lowered = password.lower()
    name = username.lower()
    if name and (name in lowered or any(len(p) >= 5 and p in lowered for p in _parts(name))):
        raise ValidationFailed("auth.password_has_username")
    if lowered in WEAK_PASSWORDS:
        raise ValidationFailed("auth.password_weak")
    # zxcvbn looks at the first 100 characters only (longer inputs cost quadratic time)
    estimate = zxcvbn(password[:100], user_inputs=[name, *_parts(name), *SERVICE_WORDS])
    if estimate["score"] < MIN_PASSWORD_SCORE:
        raise ValidationFailed("auth.password_weak")


def _parts(username: str) -> list[str]:
    """The words of a username such as ``pic.bandarlor`` (``pic``, ``bandarlor``)."""
    return [p for p in re.split(r"[._@-]+", username) if p]


def hash_password(password: str) -> str:
    """The argon2id hash of ``password``."""
    return _hasher.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    """True when ``password`` is the one hashed (a malformed hash never matches)."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def keyed(settings: Settings, secret: str) -> bytes:
    """The HMAC-SHA256 of a session or token secret the database keeps instead of it."""
    key = settings.secret_key.get_secret_value().encode()
    return hmac.new(key, secret.encode(), hashlib.sha256).digest()


#: After this many failures in the window (per client, or per username from every client),
#: each further attempt waits twice as long as the one before, up to ``BACKOFF_MAX_SECONDS``.
BACKOFF_MAX_SECONDS = 60


def sign_in_wait(conn: Connection, settings: Settings, username: str, client: str) -> int:
    """Seconds this attempt must wait (0: it may go ahead).

    Failures lock one username *from one client* for the rest of the window: guessing one
    account's password from one place stops, while colleagues behind the same office NAT sign
    in as usual. A client that fails for many usernames, and a username that fails from many
    clients (a distributed guess), back off instead: each further attempt waits 2, 4, 8 …
    seconds (at most a minute) after the last failure, which slows guessing to a crawl
    without locking anyone out (ASVS 2.2.1).
    """
    window = dt.timedelta(minutes=settings.login_window_minutes)
    at = LoginFailure.at
    of_user = func.lower(LoginFailure.username) == func.lower(username)
    of_client = LoginFailure.client == client
    of_pair = and_(of_user, of_client)
    row = conn.execute(
        select(
            func.count().filter(of_pair),
            func.ceil(extract("epoch", func.min(at).filter(of_pair) + window - func.now())),
            func.count().filter(of_client),
            extract("epoch", func.now() - func.max(at).filter(of_client)),
            func.count().filter(of_user),
            extract("epoch", func.now() - func.max(at).filter(of_user)),
        ).where(at > func.now() - window, or_(of_user, of_client))
    ).one()
    pair, pair_retry, by_client, since_client, by_user, since_user = row
    if pair >= settings.login_max_failures:
        return max(int(pair_retry or 1), 1)
    wait = 0.0
    threshold = settings.login_max_failures * CLIENT_FAILURE_FACTOR
    for failures, since in ((by_client, since_client), (by_user, since_user)):
        if failures >= threshold and since is not None:
            backoff = min(2.0 ** (failures - threshold + 1), BACKOFF_MAX_SECONDS)
            wait = max(wait, backoff - float(since))
    return max(int(wait + 0.999), 0)
