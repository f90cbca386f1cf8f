"""What the replica tests do inside a process configured as an operator would configure one:
DATABASE_URL is the test's primary, DATABASE_REPLICA_URL its streaming replica
(tests/replica/conftest.py). `python -m tests.replica.scenarios [NAME…]` runs the scenarios
named (all, in order, by default: one process, one Django start-up) and prints their facts as
JSON on the last line, keyed by scenario; the tests assert on them.

Queries are counted per database alias with Django's execute_wrapper on both connections, so
"the dashboard read from the replica" means statements ran on the replica's connection, and
"signing did not touch the replica" means none did.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import secrets
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402

from tests.factories import (  # noqa: E402
    form_token_data,
    make_case,
    make_organisation,
    make_petition,
    make_staff,
    sign_form_data,
)
from tests.faults.parts import PostgresCluster  # noqa: E402
from tests.sign_in import sign_in  # noqa: E402
from undersigned.campaigns.models import Role  # noqa: E402
from undersigned.core import replica  # noqa: E402
from undersigned.core.linktoken import Kind, token_for  # noqa: E402
from undersigned.petitions.models import Petition  # noqa: E402
from undersigned.signatures.models import Signature  # noqa: E402
from undersigned.worker.runner import PERIODIC_TASKS  # noqa: E402

ALIASES = ("default", "replica")
_addresses = itertools.count(1)
REPLAY_TIMEOUT = 20.0
CONFIRMED = re.compile(r'data-number="confirmed">([0-9,.\s]+)<')
FIGURES = re.compile(r'<span data-figures="(\w+)">([^<]*)</span>')


@contextmanager
def queries() -> Iterator[dict[str, Any]]:
    """Statements run on each alias inside the block: {"default": n, "replica": n,
    "replica_sql": [the first words of each replica statement]}."""
    seen: dict[str, Any] = {"default": 0, "replica": 0, "replica_sql": []}

    def counter(alias: str) -> Callable[..., Any]:
        def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any):
            seen[alias] += 1
            if alias == "replica":
                seen["replica_sql"].append(" ".join(sql.split())[:70])
            return execute(sql, params, many, context)

        return wrapper

    with ExitStack() as stack:
        for alias in ALIASES:
            stack.enter_context(connections[alias].execute_wrapper(counter(alias)))
        yield seen


def on_replica(sql: str, params: tuple[Any, ...] = ()) -> Any:
    """A direct look at the replica (not counted: outside `queries()`)."""
    with connections["replica"].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def counted_on_replica(petition: Petition) -> int:
    return int(
        on_replica(
            "SELECT count(*) FROM signatures_signature WHERE petition_id = %s AND counted",
            (petition.pk,),
        )
    )


def wait_for_replay(petition: Petition, counted: int) -> float:
    """Seconds until the replica has replayed `counted` counted signatures of `petition`."""
    started = time.monotonic()
    while counted_on_replica(petition) < counted:
        if time.monotonic() - started > REPLAY_TIMEOUT:
            raise AssertionError(f"the replica did not replay {counted} signatures in time")
        time.sleep(0.02)
    return time.monotonic() - started


def new_petition() -> tuple[Petition, Client]:
    """A petition and an admin of its organisation, signed in with a second factor."""
    tag = secrets.token_hex(4)  # each scenario is a new process: the factories' numbers repeat
    organisation = make_organisation(slug=f"org-{tag}", name=f"Org {tag}")
    case = make_case(organisation=organisation, slug=f"case-{tag}")
    petition = make_petition(case=case, slug=f"petition-{tag}")
    staff = sign_in(Client(), make_staff(organisation, Role.ADMIN, username=f"admin-{tag}"))
    return petition, staff


def sign_confirm_count(petition: Petition, email: str) -> dict[str, dict[str, Any]]:
    """A signer signs and confirms as a browser would, the worker runs every periodic task
    (emails, counting, …) once; the statements each step ran on each alias."""
    steps: dict[str, dict[str, Any]] = {}
    signer = Client(REMOTE_ADDR=f"192.0.2.{next(_addresses)}")  # one signer, one address
    with queries() as steps["petition page"]:
        assert signer.get(f"/petitions/{petition.slug}/").status_code == 200
    with queries() as steps["sign"]:
        answer = signer.post(f"/petitions/{petition.slug}/sign/", sign_form_data(email=email))
        assert answer.status_code == 303, answer.status_code
    key = Signature.objects.get(petition=petition, email=email).confirmation_key
    link = f"/confirm/{token_for(Kind.SIGNATURE_CONFIRMATION, key)}/"
    with queries() as steps["confirm"]:
        assert signer.get(link).status_code == 200
        assert signer.post(link, form_token_data()).status_code == 303
    with queries() as steps["worker"]:
        for task, _every in PERIODIC_TASKS:
            task.call()
    with queries() as steps["count.json"]:
        assert signer.get(f"/petitions/{petition.slug}/count.json").status_code == 200
    assert Signature.objects.get(petition=petition, email=email).counted
    return steps


def get(client: Client, url: str) -> dict[str, Any]:
    """GET `url` (a streamed answer read to its end): status, statements per alias, and the
    staleness line and confirmed figure where the page has them."""
    with queries() as seen:
        answer = client.get(url)
        body = (
            b"".join(answer.streaming_content)  # type: ignore[attr-defined]
            if answer.streaming
            else answer.content
        ).decode(errors="replace")
    figures = FIGURES.search(body)
    confirmed = CONFIRMED.search(body)
    return {
        **seen,
        "status": answer.status_code,
        "figures": figures.group(1) if figures else None,
        "line": " ".join(figures.group(2).split()) if figures else None,
        "confirmed": int(re.sub(r"\D", "", confirmed.group(1))) if confirmed else None,
        "rows": body.count("\n"),
    }


def staff_pages(petition: Petition) -> dict[str, str]:
    base = f"/staff/petitions/{petition.slug}"
    return {
        "dashboard": f"{base}/",
        "fraud page": f"{base}/fraud/",
        "retention report": f"{base}/retention/",
        "signatures export": f"{base}/export/signatures.csv",
        "countries export": f"{base}/export/countries-by-day.csv",
    }


def api_routes(petition: Petition) -> dict[str, str]:
    return {
        "api list": "/api/v1/petitions/",
        "api petition": f"/api/v1/petitions/{petition.slug}/",
        "api history": f"/api/v1/petitions/{petition.slug}/history/",
        "api trending": "/api/v1/petitions/trending/",
    }


# -- the scenarios ----------------------------------------------------------------------------


def hot_paths() -> dict[str, Any]:
    """Signing, confirming, counting (and the page and count.json) with a replica configured."""
    petition, _staff = new_petition()
    return {"steps": sign_confirm_count(petition, "hot@example.org")}


def routed_reads() -> dict[str, Any]:
    """A confirmed, counted signature reaches the replica; then every page and route that
    should read from it, each with the statements it ran on each alias."""
    petition, staff = new_petition()
    sign_confirm_count(petition, "first@example.org")
    replayed_in = wait_for_replay(petition, 1)
    replica.forget_probe()
    pages = {name: get(staff, url) for name, url in staff_pages(petition).items()}
    public = Client()
    pages.update({name: get(public, url) for name, url in api_routes(petition).items()})
    return {"replayed_in": replayed_in, "pages": pages}


def replay_paused() -> dict[str, Any]:
    """With the replica's replay paused, a second signature is counted on the primary: the
    dashboard still shows one (it reads the replica), and two once replay resumes."""
    petition, staff = new_petition()
    dashboard = staff_pages(petition)["dashboard"]
    sign_confirm_count(petition, "one@example.org")
    wait_for_replay(petition, 1)
    on_replica("SELECT pg_wal_replay_pause()")
    try:
        sign_confirm_count(petition, "two@example.org")
        time.sleep(1.5)  # the figures grow older than the probe's second
        cache.clear()
        replica.forget_probe()
        paused = get(staff, dashboard)
        on_primary = Signature.objects.filter(petition=petition).counting().count()
    finally:
        on_replica("SELECT pg_wal_replay_resume()")
    replayed_in = wait_for_replay(petition, 2)
    cache.clear()
    replica.forget_probe()
    resumed = get(staff, dashboard)
    return {"paused": paused, "on_primary": on_primary, "resumed": resumed,
            "replayed_in": replayed_in}  # fmt: skip


def replica_down() -> dict[str, Any]:
    """The replica stops between two requests (its last probe still believed): the pages
    fall back to the primary, say so, and a dead replica costs later requests nothing."""
    petition, staff = new_petition()
    sign_confirm_count(petition, "down@example.org")
    wait_for_replay(petition, 1)
    replica.PROBE_SECONDS = 3600.0  # the probe said "fine" and is believed: a mid-read failure
    replica.forget_probe()
    pages = staff_pages(petition)
    before = get(staff, pages["dashboard"])
    PostgresCluster(Path(_replica_data_dir())).stop("immediate")
    cache.clear()
    facts: dict[str, Any] = {"before": before, "after": {}}
    for name, url in {**pages, **api_routes(petition)}.items():
        client = Client() if name.startswith("api") else staff
        started = time.monotonic()
        facts["after"][name] = {**get(client, url), "seconds": time.monotonic() - started}
    return facts


def _replica_data_dir() -> str:
    return os.environ["REPLICA_DATA_DIR"]


# In this order: the last one stops the replica.
SCENARIOS: dict[str, Callable[[], dict[str, Any]]] = {
    "hot_paths": hot_paths,
    "routed_reads": routed_reads,
    "replay_paused": replay_paused,
    "replica_down": replica_down,
}

if __name__ == "__main__":
    chosen = sys.argv[1:] or list(SCENARIOS)
    facts = {}
    for name in chosen:
        started = time.monotonic()
        facts[name] = {**SCENARIOS[name](), "scenario_seconds": time.monotonic() - started}
    print(json.dumps(facts, default=str))
