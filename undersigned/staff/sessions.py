"""Staff sessions: when they end (idle, absolute, on a password change or a 2FA reset) and
the list a staff member sees of their own (OWASP ASVS V3).

A session is Django's (the database session backend); `StaffSession` only describes it for
its owner. Ending one deletes both, so the cookie stops working at the next request.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.http import HttpRequest
from django.utils import timezone

from undersigned.audit.models import AuditAction
from undersigned.audit.services import record
from undersigned.staff.models import StaffSession

SIGNED_IN_AT = "staff_signed_in_at"
LAST_SEEN_AT = "staff_last_seen_at"
TOUCH_EVERY = timedelta(minutes=1)  # how often a busy session's "last seen" is written

_current_key: ContextVar[str | None] = ContextVar("staff_session_key", default=None)


def idle_limit() -> timedelta:
    return timedelta(minutes=settings.STAFF_SESSION_IDLE_MINUTES)


def absolute_limit() -> timedelta:
    return timedelta(hours=settings.STAFF_SESSION_MAX_HOURS)


@contextmanager
def serving(request: HttpRequest) -> Iterator[None]:
    """While a staff request is served, its session is "this session" (kept on a password
    change)."""
    token = _current_key.set(request.session.session_key)
    try:
        yield
    finally:
        _current_key.reset(token)


def started(request: HttpRequest, user: Any = None) -> None:
    """Right after a sign-in."""
    user = user if user is not None else request.user
    now = timezone.now()
    request.session[SIGNED_IN_AT] = now.timestamp()
    request.session[LAST_SEEN_AT] = now.timestamp()
    request.session.save()  # the key exists from here on
    StaffSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user_id": user.pk,
            "signed_in_at": now,
            "last_seen_at": now,
            "user_agent": request.headers.get("user-agent", "")[:200],
        },
    )


def expired(request: HttpRequest, now: datetime) -> bool:
    """Idle too long, or signed in too long ago. A session from before these limits existed
    counts as signed in now."""
    signed_in = request.session.get(SIGNED_IN_AT)
    last_seen = request.session.get(LAST_SEEN_AT)
    if signed_in is None or last_seen is None:
        started(request)
        return False
    moment = now.timestamp()
    return (
        moment - last_seen > idle_limit().total_seconds()
        or moment - signed_in > absolute_limit().total_seconds()
    )


def touch(request: HttpRequest, now: datetime) -> None:
    """Note activity, at most once a minute (one session write, one row update)."""
    if now.timestamp() - request.session.get(LAST_SEEN_AT, 0) < TOUCH_EVERY.total_seconds():
        return
    request.session[LAST_SEEN_AT] = now.timestamp()
    key = request.session.session_key
    if key and not StaffSession.objects.filter(session_key=key).update(last_seen_at=now):
        started(request)


def rotate_key(request: HttpRequest) -> None:
    """A new session id for the same session (after the second factor: ASVS 3.2.1)."""
    old = request.session.session_key
    request.session.cycle_key()
    if old:
        StaffSession.objects.filter(session_key=old).update(session_key=request.session.session_key)


def ended(request: HttpRequest) -> None:
    """Right before a sign-out (Django deletes the session itself)."""
    if request.session.session_key:
        StaffSession.objects.filter(session_key=request.session.session_key).delete()


def active_sessions(user: Any) -> list[StaffSession]:
    """The user's sessions that still work: the session exists and is neither idle nor too
    old. The current one is marked `is_current`."""
    now = timezone.now()
    live = Session.objects.filter(expire_date__gt=now).values("session_key")
    rows = list(
        StaffSession.objects.filter(
            user_id=user.pk,
            session_key__in=live,
            last_seen_at__gt=now - idle_limit() - TOUCH_EVERY,
            signed_in_at__gt=now - absolute_limit(),
        )
    )
    for row in rows:
        row.is_current = row.session_key == _current_key.get()  # type: ignore[attr-defined]
    return rows


def end_session(user: Any, session_id: int, *, acting_user: Any) -> bool:
    """End one of the user's own sessions (by its row id, never by its key)."""
    row = StaffSession.objects.filter(pk=session_id, user_id=user.pk).first()
    if row is None:
        return False
    _delete(row)
    record(AuditAction.SESSION_ENDED, user=acting_user, detail="ended by its owner")
    return True


def end_other_sessions(user: Any) -> int:
    """Every session of the user but the one serving this request (a password change)."""
    rows = StaffSession.objects.filter(user_id=user.pk)
    if current := _current_key.get():
        rows = rows.exclude(session_key=current)
    return _delete_all(rows)


def end_all_sessions(user: Any) -> int:
    return _delete_all(StaffSession.objects.filter(user_id=user.pk))


def _delete_all(rows: Any) -> int:
    count = 0
    for row in rows:
        _delete(row)
        count += 1
    return count


def _delete(row: StaffSession) -> None:
    store = import_module(settings.SESSION_ENGINE).SessionStore
    store(session_key=row.session_key).delete()
    row.delete()
