"""A data officer previews a file of paper signatures, applies it as one batch and reverts it:
duplicates found by normalised address, the count shown in two parts, the log told of both."""

from __future__ import annotations

import pytest

from tests.factories import make_petition, make_signature, pending
from tests.paper.helpers import apply, csv_bytes, preview
from undersigned.audit.models import AuditAction, AuditLogEntry
from undersigned.paper import services
from undersigned.paper.models import BatchStatus, PaperRow, PaperSignature, RowStatus
from undersigned.petitions.models import Milestone
from undersigned.signatures.selectors import count_snapshot, counted_totals
from undersigned.signatures.services import count_new_confirmations
from undersigned.transparency import tlog
from undersigned.transparency.models import LogEntry

pytestmark = pytest.mark.django_db


def rows_of(batch):
    return list(
        PaperRow.objects.filter(batch=batch)
        .order_by("row_number")
        .values_list("row_number", "status", "column", "problem")
    )


def test_the_preview_sorts_rows_into_accepted_duplicate_and_rejected_with_reasons():
    petition = make_petition()
    make_signature(petition, email="Online.Signer+x@example.org")
    batch = preview(petition, csv_bytes(
        "Ada Lovelace,ada@example.org,GB",
        "Grace Hopper,,US",
        "Online Signer,online.signer@example.org,DE",
        "Ada again,ADA+paper@example.org,United Kingdom",
        "=HYPERLINK(1),x@example.org,FR",
        ",nobody@example.org,FR",
        "Karl,not-an-address,DE",
        "Rosa,rosa@example.org,Atlantis",
    ))  # fmt: skip
    assert rows_of(batch) == [
        (2, RowStatus.ACCEPTED, "", ""),
        (3, RowStatus.ACCEPTED, "", ""),
        (4, RowStatus.DUPLICATE, "", "online"),
        (5, RowStatus.DUPLICATE, "", "same_file"),
        (6, RowStatus.REJECTED, "name", "formula"),
        (7, RowStatus.REJECTED, "name", "name_missing"),
        (8, RowStatus.REJECTED, "email", "email_invalid"),
        (9, RowStatus.REJECTED, "country", "country_unknown"),
    ]
    assert (batch.accepted_count, batch.duplicate_count, batch.rejected_count) == (2, 2, 4)
    assert PaperRow.objects.get(batch=batch, row_number=5).duplicate_of_row == 2
    assert counted_totals(petition.pk, cached=False)[1] == 0  # nothing counted yet
    assert not PaperSignature.objects.exists()


def test_applying_counts_the_accepted_rows_on_paper_by_country_and_logs_the_batch(admin_user):
    petition = make_petition()
    make_signature(petition)
    count_new_confirmations()
    batch = preview(petition, csv_bytes("A,a@example.org,DE", "B,,DE", "C,,FR"), admin_user)
    assert apply(batch, admin_user) is services.ApplyOutcome.APPLIED
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPLIED
    snapshot = count_snapshot(petition)
    assert (snapshot.signature_count, snapshot.paper_count) == (1, 3)
    assert not PaperRow.objects.filter(batch=batch).exists()  # the preview's rows are gone
    assert batch.log_index is not None
    entry = LogEntry.objects.get(petition=petition, index=batch.log_index)
    assert bytes(entry.payload) == b"undersigned/paper/v1\n3\n"
    applied = AuditLogEntry.objects.get(action=AuditAction.PAPER_IMPORT_APPLIED)
    assert applied.row_count == 3
    assert "a@example.org" not in applied.detail + applied.subject


def test_an_address_counted_on_paper_is_a_duplicate_in_a_later_batch():
    petition = make_petition()
    assert apply(preview(petition, csv_bytes("A,jane.doe@gmail.com,DE"))).value == "applied"
    later = preview(petition, csv_bytes("Jane,JaneDoe+street@googlemail.com,DE"))
    assert rows_of(later) == [(2, RowStatus.DUPLICATE, "", "paper")]


def test_a_pending_online_signature_is_a_duplicate_too():
    petition = make_petition()
    make_signature(petition, email="late@example.org", **pending())
    batch = preview(petition, csv_bytes("Late,late@example.org,DE"))
    assert batch.duplicate_count == 1


def test_apply_refuses_when_the_duplicates_changed_since_the_preview():
    petition = make_petition()
    batch = preview(petition, csv_bytes("A,a@example.org,DE", "B,b@example.org,DE"))
    make_signature(petition, email="b@example.org")  # signed online meanwhile
    outcome = services.apply_batch(batch, token=batch.token, expected=2, acting_user=None)
    assert outcome is services.ApplyOutcome.CHANGED
    batch.refresh_from_db()
    assert (batch.status, batch.accepted_count) == (BatchStatus.PREVIEW, 1)
    assert counted_totals(petition.pk, cached=False)[1] == 0


def test_apply_needs_the_preview_token():
    petition = make_petition()
    batch = preview(petition, csv_bytes("A,,DE"))
    outcome = services.apply_batch(batch, token="guess", expected=1, acting_user=None)
    assert outcome is services.ApplyOutcome.NOT_APPLICABLE
    assert not PaperSignature.objects.exists()


def test_reverting_takes_the_batch_off_the_count_and_the_log_says_so(admin_user):
    petition = make_petition()
    batch = preview(petition, csv_bytes("A,,DE", "B,b@example.org,FR"))
    apply(batch)
    batch.refresh_from_db()
    assert services.revert_batch(batch, acting_user=admin_user) == 2
    batch.refresh_from_db()
    assert batch.status == BatchStatus.REVERTED
    assert counted_totals(petition.pk, cached=False)[1] == 0
    assert not PaperSignature.objects.exists()
    payloads = [bytes(p) for p in LogEntry.objects.filter(petition=petition).order_by("index")
                .values_list("payload", flat=True)]  # fmt: skip
    assert payloads[-1] == f"undersigned/paper/v1\n-2\nreverts {batch.log_index}\n".encode()
    assert tlog.tally(payloads)["paper"] == 0
    assert AuditLogEntry.objects.get(action=AuditAction.PAPER_IMPORT_REVERTED).row_count == 2
    assert services.revert_batch(batch, acting_user=admin_user) == 0  # once only
    # The address may come in again, in a new batch.
    assert preview(petition, csv_bytes("B,b@example.org,FR")).accepted_count == 1


def test_the_verifier_refuses_a_revert_no_batch_added():
    entries = [b"undersigned/paper/v1\n5\n", b"undersigned/paper/v1\n-6\nreverts 0\n"]
    with pytest.raises(tlog.VerificationError, match="takes back"):
        tlog.tally(entries)


def test_paper_counts_toward_the_goal_only_when_the_petition_says_so(admin_user):
    petition = make_petition(goal=4)
    make_signature(petition)
    count_new_confirmations()
    goal = Milestone.objects.create(petition=petition, kind="goal")
    apply(preview(petition, csv_bytes("A,,DE", "B,,DE", "C,,DE")))
    assert count_snapshot(petition).percent_of_goal == 25
    goal.refresh_from_db()
    assert goal.crossed_at is None
    assert services.set_toward_goal(petition, True, acting_user=admin_user)
    assert count_snapshot(petition).percent_of_goal == 100
    goal.refresh_from_db()
    assert goal.crossed_at is not None
    assert AuditLogEntry.objects.filter(action=AuditAction.PAPER_GOAL_CHANGED).count() == 1


def test_a_recount_keeps_the_paper_part():
    from undersigned.signatures.services import recount_petition

    petition = make_petition()
    make_signature(petition, country="DE")
    count_new_confirmations()
    apply(preview(petition, csv_bytes("A,,DE")))
    recount_petition(petition.pk)
    assert counted_totals(petition.pk, cached=False)[:2] == (1, 1)
