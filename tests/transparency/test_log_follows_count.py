"""The log and the public count change together, in one transaction, or not at all."""

from __future__ import annotations

import pytest

from tests.factories import make_petition
from tests.transparency.helpers import (
    entries_of,
    latest_checkpoint,
    log_and_page_agree,
    run_counting,
    sign_and_confirm,
)
from undersigned.petitions.models import PetitionStatus
from undersigned.signatures import erasure
from undersigned.signatures.models import Signature, SignatureCount
from undersigned.signatures.services import count_new_confirmations
from undersigned.transparency import keys, tlog
from undersigned.transparency.models import Checkpoint, LogEntry

pytestmark = pytest.mark.django_db


def test_counting_appends_a_leaf_per_signature_and_signs_one_checkpoint():
    petition = make_petition()
    before = Checkpoint.objects.filter(petition=petition).count()  # the text at publication
    signatures = sign_and_confirm(petition, "a@example.org", "b@example.org", "c@example.org")
    run_counting()
    entries = entries_of(petition)
    assert [e.split(b"\n")[0] for e in entries] == [b"undersigned/text/v1"] + [
        b"undersigned/signature/v1"
    ] * 3
    assert Checkpoint.objects.filter(petition=petition).count() == before + 1
    origin, size, root = latest_checkpoint(petition)
    assert (origin, size) == (keys.origin(petition.slug), 4)
    assert root == tlog.root_of([tlog.leaf_hash(e) for e in entries])
    assert log_and_page_agree(petition) == (3, 3)
    # The leaf is the receipt's: the secret and the petition id hash to it, nothing else.
    secret = signatures[0].receipt_secret
    assert secret and entries[1] == tlog.signature_entry(tlog.urlsafe_secret(secret), petition.pk)
    assert b"example.org" not in b"".join(entries)


def test_an_error_after_the_append_rolls_back_the_count_too(monkeypatch):
    petition = make_petition()
    sign_and_confirm(petition, "a@example.org", "b@example.org")

    def worker_dies(*args, **kwargs):
        raise RuntimeError("killed between append and commit")

    monkeypatch.setattr("undersigned.transparency.services._sign_checkpoint", worker_dies)
    with pytest.raises(RuntimeError):
        count_new_confirmations()
    assert not SignatureCount.objects.filter(petition=petition).exists()
    assert LogEntry.objects.filter(petition=petition, kind="signature").count() == 0
    assert Signature.objects.filter(petition=petition, counted=False).count() == 2
    monkeypatch.undo()  # the worker restarts
    run_counting()
    assert log_and_page_agree(petition) == (2, 2)


def test_withdrawal_and_erasure_keep_the_count_verifiable():
    petition = make_petition()
    sign_and_confirm(petition, "a@example.org", "b@example.org", "c@example.org")
    run_counting()
    mine = Signature.objects.get(email="a@example.org")
    erasure.withdraw_signature(mine.pk, "a@example.org")
    erasure.erase_signatures_of("b@example.org")
    assert log_and_page_agree(petition) == (1, 1)
    kinds = [e.split(b"\n")[0] for e in entries_of(petition)][-2:]
    assert kinds == [b"undersigned/withdrawal/v1"] * 2
    # The erased signer's leaf stays in the tree but links to nobody any more.
    assert LogEntry.objects.filter(petition=petition, kind="signature",
                                   signature__isnull=True).count() == 2  # fmt: skip
    assert not Signature.objects.filter(email__in=["a@example.org", "b@example.org"]).exists()


def test_a_draft_petition_has_no_log():
    petition = make_petition(status=PetitionStatus.DRAFT)
    assert not LogEntry.objects.filter(petition=petition).exists()


def test_each_edit_of_the_demand_is_logged_once():
    petition = make_petition()
    petition.demand_en = "Release them now."  # type: ignore[attr-defined]
    petition.save()
    petition.save()  # nothing changed: nothing logged
    texts = [e for e in entries_of(petition) if e.startswith(b"undersigned/text/v1")]
    assert len(texts) == 2 and "Release them now." in texts[1].decode()
