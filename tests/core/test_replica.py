"""The read-replica rules of core/replica.py, on any database: which reads may go to the
replica, when it is passed over, and what the pages say. (With a real streaming replica:
tests/replica/.)

The suite runs with one database (tests/settings.py drops DATABASE_REPLICA_URL), so these
tests stand in a replica's answers for the probe and ask the router where each read would go.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError, transaction
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone, translation

from tests.factories import make_petition, make_signature, make_staff
from tests.sign_in import sign_in
from undersigned.campaigns.models import Role
from undersigned.core import replica
from undersigned.core.replica import (
    FALLBACK,
    NOT_ANSWERING,
    PRIMARY,
    REPLICA,
    TOO_FAR_BEHIND,
    Reading,
    ReplicaRouter,
    iterate_on_replica,
    read_on_replica,
    reads_from_primary,
    reads_from_replica,
)
from undersigned.petitions import selectors as petition_selectors
from undersigned.signatures import selectors as signature_selectors
from undersigned.signatures.models import Signature

PACKAGE = Path(__file__).resolve().parents[2] / "undersigned"
router = ReplicaRouter()


def where_reads_go() -> str:
    return router.db_for_read(Signature)


@pytest.fixture
def with_replica(monkeypatch):
    """A configured replica whose probe answers what the test sets (fresh by default)."""
    answers: list[Reading | None] = []

    def probe() -> Reading | None:
        answers.append(state["answer"])
        return state["answer"]

    state: dict[str, Reading | None] = {"answer": Reading(REPLICA, timezone.now(), behind=0.4)}
    monkeypatch.setattr(replica, "configured", lambda: True)
    monkeypatch.setattr(replica, "_probe", probe)
    monkeypatch.setattr(replica, "_close_replica", lambda: None)
    replica.forget_probe()
    yield state, answers
    replica.forget_probe()


def test_without_a_replica_everything_reads_from_the_one_database():
    assert "replica" not in settings.DATABASES
    assert settings.DATABASE_ROUTERS == []
    result, reading = read_on_replica(lambda: "read")
    assert (result, reading.source, reading.shown) == ("read", PRIMARY, False)


def test_reads_go_to_the_replica_only_inside_the_helpers(with_replica):
    assert where_reads_go() == "default"
    assert read_on_replica(where_reads_go) == ("replica", with_replica[0]["answer"])
    assert reads_from_replica(where_reads_go)() == "replica"
    assert list(iterate_on_replica(lambda: (where_reads_go() for _ in range(3)))) == ["replica"] * 3
    assert where_reads_go() == "default"


def test_writes_and_migrations_stay_on_the_primary(with_replica):
    assert read_on_replica(lambda: router.db_for_write(Signature))[0] == "default"
    assert router.allow_migrate("default", "signatures") is True
    assert router.allow_migrate("replica", "signatures") is False


def test_a_cache_the_signing_path_shares_is_filled_from_the_primary(with_replica):
    marked = reads_from_primary(where_reads_go)
    assert read_on_replica(marked)[0] == "default"
    for shared in (
        petition_selectors.get_public_petition,
        petition_selectors.petition_by_id,
        petition_selectors.petition_changed_at,
        signature_selectors.counted_totals,
    ):
        assert shared.__code__.co_name == "on_primary", shared.__name__


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_stay_on_the_primary(with_replica):
    def inside_a_transaction() -> tuple[str, str]:
        before = where_reads_go()
        with transaction.atomic():
            return before, where_reads_go()

    assert read_on_replica(inside_a_transaction)[0] == ("replica", "default")


def test_a_replica_that_does_not_answer_is_passed_over_and_the_reading_says_so(with_replica):
    with_replica[0]["answer"] = None
    result, reading = read_on_replica(where_reads_go)
    assert result == "default"
    assert (reading.source, reading.reason, reading.shown) == (FALLBACK, NOT_ANSWERING, True)


def test_a_replica_too_far_behind_is_passed_over(with_replica):
    late = settings.DATABASE_REPLICA_MAX_LAG + 1
    with_replica[0]["answer"] = Reading(REPLICA, timezone.now() - timedelta(seconds=late), late)
    result, reading = read_on_replica(where_reads_go)
    assert (result, reading.source, reading.reason) == ("default", FALLBACK, TOO_FAR_BEHIND)


def test_a_replica_failing_mid_read_runs_the_reads_again_on_the_primary(with_replica):
    tried: list[str] = []

    def dashboard_numbers() -> str:
        tried.append(where_reads_go())
        if tried[-1] == "replica":
            raise OperationalError("server closed the connection unexpectedly")
        return "numbers"

    result, reading = read_on_replica(dashboard_numbers)
    assert (result, tried, reading.source) == ("numbers", ["replica", "default"], FALLBACK)
    # Then it is left alone for RETRY_SECONDS: no probe, straight to the primary.
    probes = len(with_replica[1])
    assert read_on_replica(where_reads_go)[0] == "default"
    assert len(with_replica[1]) == probes


def test_an_export_whose_replica_fails_before_the_first_row_reads_from_the_primary(
    with_replica,
):
    def rows():
        if where_reads_go() == "replica":
            raise OperationalError("connection refused")
        yield from ("header", "row")

    assert list(iterate_on_replica(rows)) == ["header", "row"]


def test_the_replica_is_asked_how_far_behind_it_is_at_most_once_a_second(with_replica, monkeypatch):
    for _ in range(5):
        read_on_replica(where_reads_go)
    assert len(with_replica[1]) == 1
    monkeypatch.setattr(replica, "PROBE_SECONDS", 0.0)
    read_on_replica(where_reads_go)
    assert len(with_replica[1]) == 2


AS_OF = datetime(2026, 12, 4, 18, 40, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("reading", "english"),
    [
        (Reading(REPLICA, AS_OF, 2.5), "Figures as of 18:40:12 (a few seconds behind)."),
        (Reading(REPLICA, AS_OF, 190), "Figures as of 18:40:12 (3 minutes behind)."),
        (Reading(REPLICA, AS_OF, 61), "Figures as of 18:40:12 (1 minute behind)."),
        (
            Reading(FALLBACK, AS_OF, reason=NOT_ANSWERING),
            "Figures as of 18:40:12, read from the main database: the read replica is not "
            "answering.",
        ),
        (
            Reading(FALLBACK, AS_OF, reason=TOO_FAR_BEHIND),
            "Figures as of 18:40:12, read from the main database: the read replica is too far "
            "behind.",
        ),
    ],
)
def test_the_staleness_line_says_how_old_the_figures_are_in_every_language(reading, english):
    def line(language: str) -> str:
        with translation.override(language), timezone.override(UTC):
            html = render_to_string("staff/_figures_as_of.html", {"reading": reading})
        return " ".join(html.split("</span>")[0].split(">", 1)[1].split())

    assert line("en") == english
    for language in ("de", "es"):
        assert "18:40:12" in line(language) and line(language) != english


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("page", "role"),
    [("", Role.ANALYST), ("fraud/", Role.MODERATOR), ("retention/", Role.DATA_OFFICER)],
)
def test_the_staff_pages_read_from_a_replica_show_the_staleness_line(with_replica, page, role):
    # (The test's own transaction keeps these reads on the one test database.)
    petition = make_petition()
    make_signature(petition)
    staff = sign_in(Client(), make_staff(petition.case.organisation, role))
    html = staff.get(f"/staff/petitions/{petition.slug}/{page}").content.decode()
    assert 'data-figures="replica"' in html
    assert "(a few seconds behind)." in html


@pytest.mark.django_db
def test_without_a_replica_the_dashboard_keeps_its_own_line():
    petition = make_petition()
    staff = sign_in(Client(), make_staff(petition.case.organisation, Role.ANALYST))
    html = staff.get(f"/staff/petitions/{petition.slug}/").content.decode()
    assert "data-figures" not in html
    assert "they are counted again at most once a minute" in html


def test_only_core_replica_picks_a_database_or_asks_about_replication():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text()
        name = str(path.relative_to(PACKAGE))
        if name == "core/replica.py" or "migrations" in path.parts:
            continue
        for sign in ('.using("', "using=", 'connections["', "pg_last_", "pg_is_in_recovery"):
            if sign in text:
                offenders.append((name, sign))
    assert offenders == []
