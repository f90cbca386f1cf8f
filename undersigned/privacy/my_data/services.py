"""Manage my data: a signer asks for a link, opens a short session with it, and sees, takes
back or erases what we hold under their address.

How the pieces protect the signer:
- Asking is one INSERT, the same for any address; the worker decides what to email
  (emails.py), so the site never tells a stranger whether an address has signed.
- The link opens only what is stored under exactly the address that received it — the local
  part as typed, the domain in lower case, as every public form writes an address — never
  other spellings that normalise alike (`Victim@…`, `victim+x@…`, Gmail dots): receiving
  mail at one of them proves nothing about the others (docs/privacy.md, "Which address").
- The link carries a random key and an HMAC of it; the database keeps only the key's sha256.
  It expires after LINK_LIFETIME and is used up by the one POST that opens a session.
- The session lives in its own cookie, not Django's session: HttpOnly (no script reads it),
  SameSite=Strict (no other site can make a browser send it), Path=/my-data/ (no other page
  ever receives it, so the cached public pages stay cookie-free), SESSION_LIFETIME long. The
  server keeps only the cookie's sha256, so a database copy cannot be replayed as a cookie,
  which Django's session table (the key stored as is, Path=/, SameSite=Lax) would allow.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from undersigned.core import linktoken, personal_data, ratelimit
from undersigned.notifications.services import forget_dev_outbox_emails
from undersigned.petitions.selectors import accepts_signatures
from undersigned.privacy.models import DataRequest, DataSession
from undersigned.signatures.erasure import erase_signatures_of
from undersigned.signatures.models import Signature
from undersigned.signatures.normalise import mailbox, normalise_email, stored_under

LINK_LIFETIME = timedelta(hours=1)
SESSION_LIFETIME = timedelta(minutes=30)
# Request rows (with the address they were for) are deleted this long after they were made.
REQUESTS_KEPT = timedelta(days=1)
COOKIE_NAME = "my_data_session"
COOKIE_PATH = "/my-data/"


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


# -- asking for a link ------------------------------------------------------------------------


def request_rate_exceeded(client_ip: str) -> bool:
    """True when this client address asked for more links this hour than allowed (counted in
    the cache for the hour only; the address is never stored)."""
    return ratelimit.over("my_data_requests", client_ip)


def request_link(email: str, language: str) -> None:
    """Queue the email for this address. Returns nothing and reads nothing: the caller answers
    every address the same way, and the work done is the same too."""
    DataRequest.objects.create(
        email=email,
        email_normalised=normalise_email(email),
        language=language,
        email_next_attempt_at=timezone.now(),
    )


# -- the link ---------------------------------------------------------------------------------


def new_link_key() -> tuple[str, str]:
    """(token for the link, hash to store)."""
    key = linktoken.new_key()
    return linktoken.token_for(linktoken.Kind.MY_DATA, key), _sha256(key)


def _key_hash_from_token(token: str) -> str | None:
    key = linktoken.key_from(linktoken.Kind.MY_DATA, token)
    return None if key is None else _sha256(key)


def link_is_usable(token: str) -> bool:
    """Whether POSTing this link would open a session (the GET page asks this)."""
    key_hash = _key_hash_from_token(token)
    return (
        key_hash is not None
        and DataRequest.objects.filter(
            key_hash=key_hash, used_at__isnull=True, link_expires_at__gt=timezone.now()
        ).exists()
    )


def open_session(token: str) -> str | None:
    """Use the link up and open a session; returns the cookie's value, or None if the link is
    forged, used or expired. One conditional UPDATE, so two POSTs cannot both succeed."""
    key_hash = _key_hash_from_token(token)
    if key_hash is None:
        return None
    now = timezone.now()
    with transaction.atomic():
        unused = DataRequest.objects.filter(
            key_hash=key_hash, used_at__isnull=True, link_expires_at__gt=now
        )
        asked = unused.values_list("email", "email_normalised").first()
        if asked is None or not unused.update(used_at=now):
            return None
        cookie = secrets.token_urlsafe(32)
        DataSession.objects.create(
            cookie_hash=_sha256(cookie),
            email=asked[0],  # the address the link was sent to, exactly
            email_normalised=asked[1],
            expires_at=now + SESSION_LIFETIME,
        )
    return cookie


def session_for(cookie: str | None) -> DataSession | None:
    if not cookie or len(cookie) > 100:
        return None
    return DataSession.objects.filter(
        cookie_hash=_sha256(cookie), expires_at__gt=timezone.now()
    ).first()


def end_session(cookie: str | None) -> None:
    if cookie and len(cookie) <= 100:
        DataSession.objects.filter(cookie_hash=_sha256(cookie)).delete()


# -- what the signer sees ---------------------------------------------------------------------


def signatures_of(address: str) -> QuerySet[Signature]:
    """The signatures stored under exactly this address (the normalised key finds them fast;
    the address as stored decides)."""
    candidates = Signature.objects.filter(email_normalised=normalise_email(address))
    return stored_under(candidates, address)


def holds_data_of(address: str) -> bool:
    """Whether we hold anything under exactly this address: signatures, or other apps' data."""
    return signatures_of(address).exists() or personal_data.holds_anything(address)


@dataclass(frozen=True)
class MySignature:
    signature: Signature
    can_withdraw: bool


def my_signatures(session: DataSession) -> list[MySignature]:
    """Every signature under the session's address, on any organisation's petition."""
    now = timezone.now()
    rows = (
        signatures_of(session.email)
        .select_related("petition__case__organisation")
        .order_by("-created_at", "-id")
    )
    return [MySignature(row, accepts_signatures(row.petition, now)) for row in rows]


def owns_signature(session: DataSession, signature_id: int) -> Signature | None:
    return signatures_of(session.email).filter(pk=signature_id).first()


# -- erasing everything -----------------------------------------------------------------------


def erase_everything(session: DataSession) -> int:
    """Delete every signature of the address (counts corrected, pending emails with them), what
    other apps hold under it (core.personal_data: public petitions, update emails), the
    address's data requests and sessions, and emails to it kept in the development outbox.
    All in one transaction, for exactly the session's address. Returns how many signatures
    were erased."""
    address = session.email
    with transaction.atomic():
        # First, while the signatures still exist: an app may find its rows through them.
        personal_data.erase_everything(address)
        erased = erase_signatures_of(address)
        for model in (DataRequest, DataSession):
            rows = model.objects.filter(email_normalised=session.email_normalised)
            stored_under(rows, address).delete()
        _forget_outbox_emails_to(address)
    return erased.signatures


def _forget_outbox_emails_to(address: str) -> None:
    """The development outbox (EMAIL_URL unset) keeps every email sent; drop those to this
    address (its domain in any case)."""
    domain = address.rpartition("@")[2].lower()
    forget_dev_outbox_emails({domain}, lambda one: mailbox(one) == mailbox(address))


# -- housekeeping -----------------------------------------------------------------------------


def purge_expired_my_data() -> int:
    """Delete request rows older than REQUESTS_KEPT and sessions past their end."""
    now = timezone.now()
    requests, _ = DataRequest.objects.filter(created_at__lt=now - REQUESTS_KEPT).delete()
    sessions, _ = DataSession.objects.filter(expires_at__lte=now).delete()
    return requests + sessions
