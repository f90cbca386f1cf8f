"""A real streaming replica (marker `replica`): the tests start a PostgreSQL primary of their
own, migrate it, make a hot standby of it with `pg_basebackup -R`, and run each scenario in a
process configured as an operator would (DATABASE_URL, DATABASE_REPLICA_URL).

They run on PostgreSQL runs only (CI's second `make test`) or when asked for
(`-m replica`, or tests/replica by name), like the fault tests, whose cluster helpers they use
(tests/faults/parts.py). Ports come from 20100-20199 (REPLICA_PORT_BASE moves them).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.faults.parts import (
    PROJECT_DIR,
    PostgresCluster,
    app_env,
    free_port,
    tool,
)

PORT_BASE = int(os.environ.get("REPLICA_PORT_BASE", "20100"))
ARTIFACT = PROJECT_DIR / "test-artifacts" / "replica.json"  # docs/scaling.md quotes it
NEEDED = ["initdb", "pg_ctl", "pg_basebackup"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the replica tests only on PostgreSQL runs, or when asked for."""
    asked = "replica" in (config.option.markexpr or "") or any(
        "tests/replica" in arg for arg in config.args
    )
    on_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres", "pgsql"))
    if asked or on_postgres:
        return
    chosen = [item for item in items if item.get_closest_marker("replica")]
    if chosen:
        items[:] = [item for item in items if not item.get_closest_marker("replica")]
        config.hook.pytest_deselected(items=chosen)


@dataclass
class Replicated:
    """A primary and its streaming replica, and a way to run a scenario against both."""

    primary: PostgresCluster
    replica: PostgresCluster
    env: dict[str, str]

    def run(self, *scenarios: str) -> dict[str, Any]:
        """Scenarios of tests/replica/scenarios.py (all by default) in one process of their
        own: their facts, by scenario."""
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "tests.replica.scenarios", *scenarios],
            env=self.env, cwd=PROJECT_DIR, capture_output=True, text=True, timeout=120,
            check=False,
        )  # fmt: skip
        lines = result.stdout.strip().splitlines()
        if result.returncode != 0 or not lines:
            raise AssertionError(
                f"scenarios {scenarios} exited {result.returncode}:\n{result.stderr[-4000:]}"
            )
        facts: dict[str, Any] = json.loads(lines[-1])
        ARTIFACT.parent.mkdir(exist_ok=True)
        ARTIFACT.write_text(json.dumps(facts, indent=2, sort_keys=True) + "\n")
        return facts


def _missing() -> list[str]:
    missing = []
    for name in NEEDED:
        try:
            tool(name)
        except FileNotFoundError:
            missing.append(name)
    return missing


def make_replica(primary: PostgresCluster) -> PostgresCluster:
    """A hot standby of `primary`: pg_basebackup -R writes standby.signal and the
    primary_conninfo it streams from."""
    base = PostgresCluster.make_dir()
    replica = PostgresCluster(base / "data")
    backup = [
        tool("pg_basebackup"), "-D", str(replica.data_dir), "-R", "-X", "stream",
        "-c", "fast", "--no-sync", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
    ]  # fmt: skip
    subprocess.run(  # noqa: S603
        PostgresCluster._as_postgres(backup), check=True, capture_output=True, timeout=60
    )
    replica.port = free_port(PORT_BASE)
    replica.start()
    return replica


@pytest.fixture(scope="module")
def replicated() -> Iterator[Replicated]:
    missing = _missing()
    if missing:
        message = f"the replica tests need {', '.join(missing)} (postgresql)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    started = time.monotonic()
    primary = PostgresCluster.initdb()
    replica: PostgresCluster | None = None
    try:
        primary.port = free_port(PORT_BASE)
        primary.start()
        with _postgres(primary) as conn:
            conn.execute("CREATE DATABASE undersigned")
        env = app_env(primary, smtp_port=1, redis_url="", port=1, data_dir=_data_dir(primary))
        env.pop("EMAIL_URL")  # emails stay in the database's outbox: no SMTP here
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "tests.replica.settings",
                "ALLOWED_HOSTS": "testserver",
                "PYTHONPATH": str(PROJECT_DIR),
            }
        )
        migrated = subprocess.run(
            [sys.executable, "-m", "undersigned", "migrate", "--no-input", "-v", "0"],
            env=env, cwd=PROJECT_DIR, check=False, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert migrated.returncode == 0, migrated.stderr[-3000:]
        replica = make_replica(primary)
        env["DATABASE_REPLICA_URL"] = replica.url
        env["REPLICA_DATA_DIR"] = str(replica.data_dir)  # the down scenario stops it
        print(f"\nreplica: primary and replica ready in {time.monotonic() - started:.1f} s")
        yield Replicated(primary, replica, env)
    finally:
        if replica is not None:
            replica.remove()
        primary.remove()


def _data_dir(primary: PostgresCluster) -> Path:
    return primary.data_dir.parent / "var"


def _postgres(cluster: PostgresCluster) -> Any:
    import psycopg

    return psycopg.connect(
        host="127.0.0.1", port=cluster.port, user="postgres", dbname="postgres", autocommit=True
    )
