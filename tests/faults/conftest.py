"""Fault tests (marker `fault`): each starts its own PostgreSQL cluster, redis-server, SMTP
sink and `undersigned serve --workers 2 --with-worker`, puts a steady sign + confirm load on
it, breaks one part, and checks that nothing acknowledged was lost.

They run on PostgreSQL only (a cluster of their own): in `make test` when DATABASE_URL is
PostgreSQL (CI's second run), and wherever they are asked for by name or with `-m fault`.
Measurements go to test-artifacts/faults.json (docs/reliability.md quotes them).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.faults.load import Load
from tests.faults.parts import (
    PROJECT_DIR,
    SLUG,
    FaultSink,
    PostgresCluster,
    RedisServer,
    Site,
    app_env,
    free_port,
    prepare_template,
    stop_process,
    wait_until,
)

ARTIFACT = PROJECT_DIR / "test-artifacts" / "faults.json"
SETTLE_TIMEOUT = 90.0  # seconds for emails, confirmations and counts to settle afterwards
NEEDED = ["initdb", "pg_ctl", "redis-server"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the fault tests only on PostgreSQL runs, or when asked for."""
    asked = "fault" in (config.option.markexpr or "") or any(
        "tests/faults" in arg for arg in config.args
    )
    on_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres", "pgsql"))
    if asked or on_postgres:
        return
    faults = [item for item in items if item.get_closest_marker("fault")]
    if faults:
        items[:] = [item for item in items if not item.get_closest_marker("fault")]
        config.hook.pytest_deselected(items=faults)


@pytest.fixture(scope="session")
def template_cluster() -> Iterator[PostgresCluster]:
    """One initdb, migrated and seeded, stopped: each test starts a copy of its own."""
    missing = [name for name in NEEDED if _missing(name)]
    if missing:
        message = f"the fault tests need {', '.join(missing)} (postgresql, redis-server)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    cluster = PostgresCluster.initdb()
    try:
        cluster.start()
        with _postgres_db(cluster) as conn:
            conn.execute("CREATE DATABASE undersigned")
        env = app_env(cluster, smtp_port=1, redis_url="", port=1, data_dir=shared_data_dir(cluster))
        prepare_template(env)
        cluster.stop("fast")
        yield cluster
    finally:
        cluster.remove()


def shared_data_dir(template: PostgresCluster) -> Path:
    return template.data_dir.parent / "var"


@pytest.fixture(autouse=True)
def quiet_sink_log() -> None:
    logging.getLogger("mail.log").setLevel(logging.WARNING)


def _missing(name: str) -> bool:
    from tests.faults.parts import tool

    try:
        tool(name)
    except FileNotFoundError:
        return shutil.which(name) is None
    return False


def _postgres_db(cluster: PostgresCluster) -> Any:
    import psycopg

    return psycopg.connect(
        host="127.0.0.1", port=cluster.port, user="postgres", dbname="postgres", autocommit=True
    )


def healthz_of(port: int, query: str = "") -> int:
    """/healthz's status (0 when nothing answers)."""
    try:
        url = f"http://127.0.0.1:{port}/healthz{query}"
        with urllib.request.urlopen(url, timeout=3) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except OSError:
        return 0


@dataclass
class Stack:
    cluster: PostgresCluster
    redis: RedisServer
    sink: FaultSink
    site: Site
    load: Load
    measured: dict[str, Any] = field(default_factory=dict)
    artifact: Path = ARTIFACT  # where settle_and_check writes its numbers

    def healthz(self, query: str = "") -> int:
        return healthz_of(self.site.port, query)

    def petition_id(self) -> int:
        return int(
            self.cluster.query("SELECT id FROM petitions_petition WHERE slug = %s", (SLUG,))[0][0]
        )

    def count_json(self) -> int | None:
        try:
            url = self.site.url(f"/petitions/{SLUG}/count.json")
            with urllib.request.urlopen(url, timeout=3) as answer:  # noqa: S310
                return int(json.loads(answer.read())["signature_count"])
        except (OSError, ValueError, KeyError):
            return None

    def settle_and_check(self, name: str, **facts: Any) -> dict[str, Any]:
        """Stop signing; wait for every email, confirmation and count; check; measure."""
        load, sink = self.load, self.sink
        load.stop_signing()
        time.sleep(0.5)  # the last sign requests return
        acknowledged = set(load.acknowledged)
        rows = {
            email: (confirmed, counted, held)
            for email, confirmed, counted, held in self.cluster.query(
                "SELECT email, confirmed_at IS NOT NULL, counted, held_reason "
                "FROM signatures_signature"
            )
        }
        lost = sorted(acknowledged - set(rows))
        started = time.monotonic()
        wait_until(
            lambda: acknowledged <= set(sink.per_recipient()),
            SETTLE_TIMEOUT,
            "every acknowledged signature's confirmation email at the sink",
            step=0.25,
        )
        emails_s = time.monotonic() - started
        wait_until(
            lambda: acknowledged <= load.confirmed,
            SETTLE_TIMEOUT,
            "every confirmation link confirmed",
            step=0.25,
        )
        load.stop()
        confirmed = set(load.confirmed)
        petition = self.petition_id()

        def recount() -> int:
            return int(
                self.cluster.query(
                    "SELECT count(*) FROM signatures_signature WHERE petition_id = %s AND "
                    "confirmed_at IS NOT NULL AND invalidated_at IS NULL AND held_reason = ''",
                    (petition,),
                )[0][0]
            )

        def settled() -> bool:
            uncounted = self.cluster.query(
                "SELECT count(*) FROM signatures_signature WHERE confirmed_at IS NOT NULL "
                "AND NOT counted AND held_reason = ''"
            )[0][0]
            return uncounted == 0 and self.count_json() == recount()

        wait_until(settled, SETTLE_TIMEOUT, "count.json equal to the recount", step=0.5)
        counted_sum = self.cluster.query(
            "SELECT coalesce(sum(count), 0) FROM signatures_signaturecount WHERE petition_id = %s",
            (petition,),
        )[0][0]
        rows_now = dict(
            self.cluster.query("SELECT email, confirmed_at IS NOT NULL FROM signatures_signature")
        )
        per_recipient = sink.per_recipient()
        result = {
            "acknowledged_signatures": len(acknowledged),
            "lost_signatures": len(lost),
            "acknowledged_confirmations": len(confirmed),
            "lost_confirmations": sum(1 for email in confirmed if not rows_now.get(email)),
            "rows": len(rows_now),
            "count_json": self.count_json(),
            "recount": recount(),
            "counted_sum": int(counted_sum),
            "emails_delivered": sum(1 for email in acknowledged if per_recipient[email]),
            "duplicate_emails": sum(n - 1 for n in per_recipient.values() if n > 1),
            "settled_s": round(time.monotonic() - started, 2),
            "emails_settled_s": round(emails_s, 2),
            "failed_requests": sum(1 for o in load.outcomes if not o.ok),
            "requests": len(load.outcomes),
            **facts,
        }
        self.measured = result
        record(name, result, self.artifact)
        assert result["lost_signatures"] == 0, lost[:5]
        assert result["lost_confirmations"] == 0
        assert result["emails_delivered"] == len(acknowledged)
        assert result["count_json"] == result["recount"] == result["counted_sum"]
        assert len(acknowledged) > 50  # the load really ran
        return result


def record(name: str, result: dict[str, Any], artifact: Path = ARTIFACT) -> None:
    artifact.parent.mkdir(exist_ok=True)
    try:
        everything = json.loads(artifact.read_text())
    except (OSError, ValueError):
        everything = {}
    everything[name] = result
    artifact.write_text(json.dumps(everything, indent=2, sort_keys=True) + "\n")
    print(f"\n{artifact.stem} {name}: {json.dumps(result, sort_keys=True)}", file=sys.stderr)


@pytest.fixture
def stack(template_cluster: PostgresCluster, request: pytest.FixtureRequest) -> Iterator[Stack]:
    cluster = template_cluster.copy()
    cluster.start()
    redis = RedisServer(cluster.data_dir.parent)
    redis.start()
    sink = FaultSink(host="127.0.0.1", port=free_port())
    port = free_port()
    env = app_env(cluster, sink.port, redis.url, port, shared_data_dir(template_cluster))
    # The task queue: the database (the default), or Redis for a test parametrised with
    # `stack` = "redis" (its own index on this test's redis-server).
    if getattr(request, "param", "database") == "redis":
        env["TASKS_URL"] = redis.url.removesuffix("/0") + "/1"
    log = Path(cluster.data_dir.parent / "serve.log")
    site = Site(env, log)
    load = Load(port=port, slug=SLUG, tag=request.node.name.removeprefix("test_")[:20])
    sink.on_link = load.link_received
    try:
        with sink.serving():
            site.start()
            wait_until(lambda: healthz_of(port) == 200, 30, "the site answering /healthz")
            built = Stack(cluster, redis, sink, site, load)
            load.start()
            try:
                yield built
            finally:
                load.stop()
                code = site.stop()
                if not isinstance(code, int) or code != 0:
                    print(log.read_text(errors="replace")[-4000:], file=sys.stderr)
                assert code == 0, f"undersigned serve exited {code}"
    finally:
        redis.kill()
        if site.process is not None:
            stop_process(site.process)
        cluster.remove()
