"""A real streaming replica: the reads that may be stale go to it, the hot paths never do, the
pages say how old their figures are, and a replica that dies takes no page down.

The scenarios (tests/replica/scenarios.py) run, in order, in one process whose DATABASE_URL
is the test's own primary and DATABASE_REPLICA_URL its hot standby
(tests/replica/conftest.py); each test reads the facts of one of them.
"""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.replica

STAFF_PAGES = {"dashboard", "fraud page", "retention report"}
EXPORTS = {"signatures export", "countries export"}
API = {"api list", "api petition", "api history", "api trending"}


@pytest.fixture(scope="module")
def facts(replicated) -> dict[str, Any]:
    """Every scenario's facts; the last scenario stops the replica."""
    return replicated.run()


def test_signing_confirming_and_counting_never_touch_the_replica(facts):
    steps = facts["hot_paths"]["steps"]
    assert set(steps) == {"petition page", "sign", "confirm", "worker", "count.json"}
    for step, seen in steps.items():
        assert seen["replica"] == 0, (step, seen["replica_sql"])
    assert steps["sign"]["default"] >= 1 and steps["worker"]["default"] >= 1  # they did run


def test_dashboards_exports_and_the_api_read_from_the_replica(facts):
    pages = facts["routed_reads"]["pages"]
    assert set(pages) == STAFF_PAGES | EXPORTS | API
    for name, seen in pages.items():
        assert seen["status"] == 200, name
        assert seen["replica"] >= 1, (name, seen)
        assert all(sql.startswith("SELECT") for sql in seen["replica_sql"]), name
    # The permission check, the session and the audit log stay on the primary.
    for name in STAFF_PAGES | EXPORTS:
        assert pages[name]["default"] >= 1, name
    assert pages["dashboard"]["confirmed"] == 1  # the row signed on the primary, replayed
    assert pages["signatures export"]["rows"] == 2  # the header and that one signer
    assert facts["routed_reads"]["replayed_in"] < 5


def test_the_staff_pages_say_how_old_the_replicas_figures_are(facts):
    pages = facts["routed_reads"]["pages"]
    for name in STAFF_PAGES:
        assert pages[name]["figures"] == "replica", name
        assert pages[name]["line"].startswith("Figures as of "), name
        assert pages[name]["line"].endswith("(a few seconds behind)."), name


def test_a_row_counted_on_the_primary_shows_on_the_dashboard_only_once_replayed(facts):
    paused, resumed = facts["replay_paused"]["paused"], facts["replay_paused"]["resumed"]
    assert facts["replay_paused"]["on_primary"] == 2
    assert paused["status"] == resumed["status"] == 200
    assert paused["confirmed"] == 1  # replay paused: the replica's figure, not the primary's
    assert paused["figures"] == "replica" and "(a few seconds behind)" in paused["line"]
    assert resumed["confirmed"] == 2


def test_a_replica_gone_mid_read_falls_back_to_the_primary_and_says_so(facts):
    down = facts["replica_down"]
    assert down["before"]["figures"] == "replica"
    after = down["after"]
    for name, seen in after.items():
        assert seen["status"] == 200, name
        assert seen["replica"] <= 1, name  # at most the one statement that found it gone
    for name in STAFF_PAGES:
        assert after[name]["figures"] == "fallback", name
        assert after[name]["line"].endswith(
            "read from the main database: the read replica is not answering."
        ), name
    assert after["dashboard"]["confirmed"] == 1
    assert after["signatures export"]["rows"] == 2
    # Once found gone it is left alone: no connection attempt per request.
    assert all(after[name]["replica"] == 0 for name in API), after
    assert max(seen["seconds"] for seen in after.values()) < 2.0
