"""The log's signing key (LOG_SIGNING_KEY) and the names checkpoints carry."""

from __future__ import annotations

import base64
import functools
import hashlib

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings

from undersigned.core.site import site_authority
from undersigned.transparency import tlog


def log_name() -> str:
    """The key's name and the origins' prefix: the site's host and /log, e.g. example.org/log."""
    return f"{site_authority()}/log"


def origin(slug: str) -> str:
    """The first line of a petition's checkpoints (C2SP tlog-checkpoint)."""
    return f"{log_name()}/{slug}"


def _derived_key() -> str:
    """Without LOG_SIGNING_KEY (development, tests): a key derived from SECRET_KEY."""
    seed = hashlib.sha256(b"undersigned log signing key\x00" + settings.SECRET_KEY.encode())
    private = Ed25519PrivateKey.from_private_bytes(seed.digest())
    public = private.public_key().public_bytes_raw()
    name = log_name()
    raw = base64.b64encode(b"\x01" + seed.digest()).decode()
    return f"PRIVATE+KEY+{name}+{tlog.key_id(name, public).hex()}+{raw}"


@functools.cache
def _signer(skey: str) -> tlog.Signer:
    return tlog.Signer(skey)


def signer() -> tlog.Signer:
    return _signer(settings.LOG_SIGNING_KEY or _derived_key())
