"""The consent record: which words, in which notice version and language, a signer agreed to.

Each signature stores the id of a ConsentWording row (one integer). The row for the wording
shown now is found once per process and language, by the digest of what it says, so signing
costs no query for it after the first signature.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import connection, transaction
from django.db.models.signals import post_migrate
from django.utils import translation

from undersigned.signatures.forms import OPT_IN_LABEL, consent_label
from undersigned.signatures.models import ConsentWording

_known: dict[tuple[str, str], int] = {}


def consent_wording_id(language: str) -> int:
    """The ConsentWording of the privacy notice version and the labels shown in `language`."""
    version = settings.PRIVACY_NOTICE_VERSION
    memo_key = (version, language)
    known = _known.get(memo_key)
    if known is not None:
        return known
    with translation.override(language):
        wording = f"{consent_label()}\n{OPT_IN_LABEL}"
    digest = hashlib.sha256(f"{version}\n{language}\n{wording}".encode()).hexdigest()
    row, _created = ConsentWording.objects.get_or_create(
        digest=digest,
        defaults={"notice_version": version, "language": language, "wording": wording},
    )
    # Remember only rows that are committed: a rolled-back transaction would leave an id
    # pointing at nothing.
    if connection.in_atomic_block:
        transaction.on_commit(lambda: _known.__setitem__(memo_key, row.pk))
    else:
        _known[memo_key] = row.pk
    return row.pk


def partner_consent_wording_id(wording: str, language: str) -> int:
    """The ConsentWording of the words a partner showed its signer (the partner API sends
    them with each signature), under the current privacy notice version: one row per
    distinct text, found by its digest."""
    version = settings.PRIVACY_NOTICE_VERSION
    digest = hashlib.sha256(f"{version}\n{language}\npartner\n{wording}".encode()).hexdigest()
    row, _created = ConsentWording.objects.get_or_create(
        digest=digest,
        defaults={"notice_version": version, "language": language, "wording": wording},
    )
    return row.pk


def forget_consent_wordings(**_kwargs: object) -> None:
    """Drop what this process remembers (after a flush, e.g. between tests)."""
    _known.clear()


post_migrate.connect(forget_consent_wordings, dispatch_uid="forget_consent_wordings")
