"""Structured logs: one JSON object a line, with no personal data (`LOG_FORMAT=json`).

Every line carries the time (UTC, ISO 8601), level, logger and message, and, during a
request, the request's id (`request_id`, also sent back as `X-Request-ID`). The access line
of each request (logger `undersigned.requests`, operations/requests.py) adds the route
group, the route's name, the method, the status and the duration in milliseconds.

What never reaches a line, whatever a caller passes:

- A request's path or query string. Records that carry a request (Django's `django.request`
  and `django.security` loggers: "Not Found: /confirm/<token>/") have the path replaced by the
  route's name; our URLs carry tokens in their paths and anything in their query strings.
- An exception's message. Django's database errors quote the row (an email address in a
  unique violation); an exception is logged as its type and the frames it passed through
  (file, line, function), never its text or the values of its variables.
- Email addresses, IP addresses, anything after a `?`, and token-like strings (16 or more
  letters, digits, `-` or `_`, with at least one digit and one letter) in the message are
  replaced by `[email]`, `[ip]`, `[query]` and `[token]` — a second net under the rule that
  no code logs such things (docs/operations.md).

Names cannot be recognised in free text, so the rule stands that no code passes one to a
logger; the test that drives signing, confirming and a staff export with these logs on
(tests/operations/test_json_logs.py) checks that none appears.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import re
import traceback
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

# The id of the request this thread is serving ("" outside a request).
request_id: ContextVar[str] = ContextVar("request_id", default="")

# Fields an access line (or any caller, through `extra=`) may add; nothing else is copied.
ALLOWED_EXTRA = ("route_group", "route", "method", "status", "duration_ms", "task", "outbox")
# Of those, the ones whose values come from closed sets (route names of the URLconf, route
# groups, the methods operations/metrics.py keeps): copied as they are, without the scrub.
CLOSED_SETS = frozenset({"route_group", "route", "method"})

_EMAIL = re.compile(r"[^\s@<>\"'(),;:]+@[^\s@<>\"'(),;:]+\.[A-Za-z0-9-]+")
_QUERY = re.compile(r"\?[^\s\"']*")
_TOKEN = re.compile(r"(?<![A-Za-z0-9_-])(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])"
                    r"[A-Za-z0-9_-]{16,}(?![A-Za-z0-9_-])")  # fmt: skip
_IP_CANDIDATE = re.compile(r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f.]{0,15}"
                           r"|\b\d{1,3}(?:\.\d{1,3}){3}\b")  # fmt: skip


def _ip_or_keep(match: re.Match[str]) -> str:
    text = match.group(0)
    try:
        ipaddress.ip_address(text.split("%")[0])
    except ValueError:
        return text
    return "[ip]"


# Anything the four patterns below could match contains one of these (one search, so a plain
# message costs one pass instead of four).
_SUSPECT = re.compile(r"[@?]|\d\.\d|:[0-9A-Fa-f]*:|[A-Za-z0-9_-]{16}")


def scrub(text: str) -> str:
    """The text with addresses, query strings and token-like strings replaced."""
    if _SUSPECT.search(text) is None:
        return text
    text = _EMAIL.sub("[email]", text)
    text = _QUERY.sub("[query]", text)
    text = _IP_CANDIDATE.sub(_ip_or_keep, text)
    return _TOKEN.sub("[token]", text)


def _route_of(request: Any) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else "unresolved"


def _message_of(record: logging.LogRecord) -> str:
    request = getattr(record, "request", None)
    args = record.args
    if request is not None and args:
        # Django's request loggers pass the path as an argument: name the route instead.
        path = getattr(request, "path", None)
        full = request.get_full_path() if hasattr(request, "get_full_path") else None
        route = f"[{_route_of(request)}]"
        if isinstance(args, tuple):
            args = tuple(route if arg in (path, full) else arg for arg in args)
    try:
        message = str(record.msg) % args if args else str(record.msg)
    except (TypeError, ValueError):
        message = str(record.msg)
    return scrub(message)


def _exception_of(exc_info: Any) -> dict[str, Any]:
    kind, _value, tb = exc_info
    frames = [
        f"{frame.filename.rsplit('/site-packages/', 1)[-1]}:{frame.lineno} in {frame.name}"
        for frame in traceback.extract_tb(tb)
    ]
    return {"type": getattr(kind, "__name__", str(kind)), "frames": frames[-12:]}


class JsonFormatter(logging.Formatter):
    """One JSON object a line; see the module's docstring for what it leaves out."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": _message_of(record),
        }
        request = getattr(record, "request", None)
        # Django logs a request's error answer after the middleware has returned: its id
        # is then read from the request.
        current = request_id.get() or str(getattr(request, "request_id", ""))
        if current:
            line["request_id"] = current
        if request is not None:
            line["route"] = _route_of(request)
        status = getattr(record, "status_code", None)
        if isinstance(status, int):
            line["status"] = status
        for name in ALLOWED_EXTRA:
            value = record.__dict__.get(name)
            if isinstance(value, int | float) and not isinstance(value, bool):
                line[name] = value
            elif isinstance(value, str):
                line[name] = (value if name in CLOSED_SETS else scrub(value))[:200]
        if record.exc_info and record.exc_info[0] is not None:
            line["exception"] = _exception_of(record.exc_info)
        elif record.stack_info:
            line["stack"] = "omitted"
        return json.dumps(line, ensure_ascii=False, separators=(",", ":"))
