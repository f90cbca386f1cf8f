"""Signing, confirming and counting as signers and the worker do, for the log's tests."""

from __future__ import annotations

from undersigned.core.linktoken import Kind, token_for
from undersigned.petitions.models import Petition
from undersigned.signatures.models import Signature
from undersigned.signatures.selectors import counted_total
from undersigned.signatures.services import (
    confirm_signature,
    count_new_confirmations,
    sign_petition,
)
from undersigned.transparency import keys, tlog
from undersigned.transparency.models import Checkpoint, LogEntry


def sign_and_confirm(petition: Petition, *emails: str, country: str = "DE") -> list[Signature]:
    for email in emails:
        sign_petition(petition, name="A Signer", email=email, country=country,
                      updates_opt_in=False, language="en")  # fmt: skip
        key = Signature.objects.get(petition=petition, email=email).confirmation_key
        confirm_signature(token_for(Kind.SIGNATURE_CONFIRMATION, key))
    return list(Signature.objects.filter(petition=petition, email__in=emails).order_by("id"))


def run_counting() -> None:
    while count_new_confirmations():
        pass


def entries_of(petition: Petition) -> list[bytes]:
    rows = LogEntry.objects.filter(petition=petition).order_by("index")
    return [bytes(p) for p in rows.values_list("payload", flat=True)]


def latest_checkpoint(petition: Petition) -> tuple[str, int, bytes]:
    note = Checkpoint.objects.filter(petition=petition).order_by("-size").first()
    assert note is not None
    return tlog.parse_checkpoint(tlog.open_note(note.note, keys.signer().verifier_key))


def log_and_page_agree(petition: Petition) -> tuple[int, int]:
    """(count recomputed from the log's entries, count on the page)."""
    return tlog.tally(entries_of(petition))["count"], counted_total(petition.pk)[0]
