"""The operator's commands: a new signing key, reconciling the log with the count, paper."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from tests.factories import make_petition
from tests.transparency.helpers import (
    entries_of,
    log_and_page_agree,
    run_counting,
    sign_and_confirm,
)
from undersigned.audit.models import AuditAction, AuditLogEntry
from undersigned.signatures.models import Signature
from undersigned.transparency import services, tlog
from undersigned.transparency.models import Checkpoint, LogEntry, LogHead

pytestmark = pytest.mark.django_db


def test_log_keygen_prints_a_key_that_signs_and_its_public_half(capsys):
    call_command("log_keygen", "--name", "example.org/log")
    out = capsys.readouterr().out.splitlines()
    skey = out[0].removeprefix("LOG_SIGNING_KEY=")
    vkey = out[1].removeprefix("# public (verifier) key: ")
    signer = tlog.Signer(skey)
    assert signer.verifier_key == vkey and vkey.startswith("example.org/log+")
    assert tlog.open_note(signer.sign("hello\n"), vkey) == "hello\n"


def test_reconcile_finds_nothing_wrong_with_an_honest_log(capsys):
    petition = make_petition(slug="free-them")
    sign_and_confirm(petition, "a@example.org", "b@example.org")
    run_counting()
    call_command("reconcile_log")
    assert "OK free-them: 3 entries, log count 2, page count 2" in capsys.readouterr().out


def test_reconcile_finds_signatures_counted_outside_the_log_and_repairs(capsys):
    petition = make_petition(slug="free-them")
    sign_and_confirm(petition, "a@example.org", "b@example.org")
    run_counting()
    LogEntry.objects.filter(petition=petition, kind="signature").update(signature=None)
    with pytest.raises(CommandError):
        call_command("reconcile_log", "free-them")
    assert "2 counted signatures have no live leaf" in capsys.readouterr().out
    call_command("reconcile_log", "free-them", "--repair")
    # The leaves that lost their signature are withdrawn; two new ones stand for the signatures.
    kinds = [e.split(b"\n")[0] for e in entries_of(petition)]
    assert kinds[3:] == [b"undersigned/withdrawal/v1"] * 2 + [b"undersigned/signature/v1"] * 2
    assert log_and_page_agree(petition) == (2, 2)
    call_command("reconcile_log", "free-them")  # agrees now
    assert AuditLogEntry.objects.filter(action=AuditAction.LOG_RECONCILED).exists()


def test_reconcile_sees_a_count_changed_behind_the_logs_back(capsys):
    petition = make_petition(slug="free-them")
    sign_and_confirm(petition, "a@example.org")
    run_counting()
    Signature.objects.update(counted=False)
    run_counting()  # counted twice: the counter says 2 …
    with pytest.raises(CommandError):
        call_command("reconcile_log", "free-them")
    assert log_and_page_agree(petition) == (2, 2)  # … and the log too: both saw it
    assert "1 live leaves stand for no counted signature" in capsys.readouterr().out


def test_a_paper_batch_is_logged_apart_from_the_online_count_and_audited(admin_user):
    petition = make_petition(slug="free-them")
    services.append_paper_batch(petition, 250, acting_user=admin_user)
    counts = tlog.tally(entries_of(petition))
    assert (counts["paper"], counts["count"]) == (250, 0)
    entry = AuditLogEntry.objects.get(action=AuditAction.PAPER_BATCH_LOGGED)
    assert entry.row_count == 250 and entry.petition_id == petition.pk
    with pytest.raises(ValueError, match="paper"):
        services.append_paper_batch(petition, 0, acting_user=admin_user)


def test_repair_gives_a_petition_published_before_the_log_its_text_and_leaves(client):
    petition = make_petition(slug="free-them")
    sign_and_confirm(petition, "a@example.org")
    run_counting()
    LogEntry.objects.filter(petition=petition).delete()  # as before the log existed
    for model in (LogHead, Checkpoint):
        model.objects.filter(petition=petition).delete()
    assert client.get("/log/free-them/checkpoint").status_code == 404
    call_command("reconcile_log", "--repair")
    kinds = [e.split(b"\n")[0] for e in entries_of(petition)]
    assert kinds == [b"undersigned/text/v1", b"undersigned/signature/v1"]
    assert client.get("/log/free-them/checkpoint").status_code == 200
