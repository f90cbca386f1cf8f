"""What the outside verifier (scripts/verify_log.py, `undersigned verify-log`) refuses: a
tampered entry, a removed leaf, a rewritten history, a checkpoint signed by another key."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command

from tests.factories import make_petition
from tests.transparency.helpers import entries_of, run_counting, sign_and_confirm
from undersigned.transparency import keys, services, tlog
from undersigned.transparency.models import Checkpoint, LogEntry, LogHead, TileNode

pytestmark = pytest.mark.django_db(transaction=True)
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "verify_log.py"


def signed_log(slug: str = "free-them", signers: int = 5):
    petition = make_petition(slug=slug)
    sign_and_confirm(petition, *[f"s{i}@example.org" for i in range(signers)])
    run_counting()
    return petition


def rewrite_history(petition, entries: list[bytes]) -> None:
    """What a dishonest operator would do: throw the log away and sign another one."""
    for model in (LogEntry, TileNode, LogHead, Checkpoint):
        model.objects.filter(petition=petition).delete()
    services.append(petition.pk, [("signature", entry, None) for entry in entries])
    cache.clear()  # the site's own tile cache


def verify(live_server, previous: str | None = None, key: str | None = None):
    url = f"{live_server.url}/log/free-them/"
    return tlog.verify_log(url, key or keys.signer().verifier_key, previous)


def test_an_honest_log_verifies_and_counts(live_server):
    signed_log()
    _, counts = verify(live_server)
    assert counts["count"] == 5 and counts["signature"] == 5


def test_a_tampered_entry_fails(live_server):
    petition = signed_log()
    LogEntry.objects.filter(petition=petition, index=2).update(payload=b"undersigned/paper/v1\n9\n")
    with pytest.raises(tlog.VerificationError, match="tile does not hold"):
        verify(live_server)


def test_a_tampered_entry_with_its_hash_fails_the_signed_root(live_server):
    petition = signed_log()
    forged = b"undersigned/paper/v1\n9\n"
    LogEntry.objects.filter(petition=petition, index=2).update(
        payload=forged, leaf_hash=tlog.leaf_hash(forged)
    )
    with pytest.raises(tlog.VerificationError, match="checkpoint's root"):
        verify(live_server)


def test_a_removed_leaf_fails_against_the_checkpoint_seen_before(live_server):
    petition = signed_log()
    seen, _ = verify(live_server)
    entries = entries_of(petition)
    rewrite_history(petition, entries[:3] + entries[4:])
    with pytest.raises(tlog.VerificationError, match="shrank"):
        verify(live_server, previous=seen)


def test_a_removed_leaf_hidden_by_later_growth_fails_consistency(live_server):
    petition = signed_log()
    seen, _ = verify(live_server)
    entries = entries_of(petition)
    extra = [tlog.signature_entry(bytes(32), petition.pk)] * 2
    rewrite_history(petition, entries[:3] + entries[4:] + extra)
    with pytest.raises(tlog.VerificationError, match="does not extend"):
        verify(live_server, previous=seen)


def test_a_rewritten_history_fails_consistency(live_server):
    petition = signed_log()
    seen, _ = verify(live_server)
    entries = entries_of(petition)
    entries[1] = tlog.signature_entry(bytes(32), petition.pk)
    rewrite_history(petition, [*entries, entries[1]])
    verify(live_server)  # on its own the new log looks fine …
    with pytest.raises(tlog.VerificationError, match="does not extend"):
        verify(live_server, previous=seen)  # … but it is not the one seen before


def test_a_checkpoint_signed_by_another_key_fails(live_server):
    signed_log()
    other = tlog.Signer(tlog.new_signer_key(keys.log_name()))
    with pytest.raises(tlog.VerificationError, match="not signed by"):
        verify(live_server, key=other.verifier_key)


def test_the_standalone_script_needs_nothing_of_the_site_and_keeps_state(live_server, tmp_path):
    petition = signed_log()
    copy = tmp_path / "verify_log.py"
    copy.write_text(SCRIPT.read_text())  # a copy, far from the project's package
    state = tmp_path / "state.json"
    url = f"{live_server.url}/log/free-them/"
    run = [sys.executable, "-I", str(copy), url, "--state", str(state)]
    first = subprocess.run(run, capture_output=True, text=True, cwd=tmp_path, check=False)  # noqa: S603
    assert first.returncode == 0, first.stderr
    assert "count 5" in first.stdout and keys.signer().verifier_key in first.stdout
    entries = entries_of(petition)
    rewrite_history(petition, [*entries[:2], *entries[3:], entries[0]])
    second = subprocess.run(run, capture_output=True, text=True, cwd=tmp_path, check=False)  # noqa: S603
    assert second.returncode == 1 and "FAILED" in second.stderr and "fork" in second.stderr


def test_the_verify_log_command_says_ok(live_server, tmp_path, capsys):
    signed_log()
    url = f"{live_server.url}/log/free-them/"
    call_command("verify_log", url, "--key", keys.signer().verifier_key,
                 "--state", str(tmp_path / "s.json"))  # fmt: skip
    assert "OK: 6 entries" in capsys.readouterr().out
