"""The bench database: which one may be used, creating and migrating it, and its contents.

Django is imported inside the functions that need it, after the server's settings are in
the environment, so importing this module needs no settings.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import urllib.parse
from datetime import timedelta
from typing import Any

from bench.config import DEFAULT_DATABASE_URL, FLOOR_TABLE, HOST, PROJECT_DIR, SLUG, BenchError, log


def postgres_params(url: str) -> dict[str, Any]:
    """psycopg's connection parameters; refuses anything but a bench database on this machine."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise SystemExit(
            "bench: DATABASE_URL must point at PostgreSQL (postgres://user@127.0.0.1:5432/name)"
        )
    host = urllib.parse.unquote(parts.hostname or HOST)
    if host not in {"127.0.0.1", "localhost", "::1"} and not host.startswith("/"):
        raise SystemExit(f"bench: runs on this machine only; DATABASE_URL names host {host!r}")
    name = urllib.parse.unquote(parts.path.lstrip("/")) or "undersigned_bench"
    if "bench" not in name:
        raise SystemExit(
            f"bench: empties the signature tables, so it runs only on a database whose name "
            f"contains 'bench' (DATABASE_URL names {name!r}); e.g. {DEFAULT_DATABASE_URL}"
        )
    return {
        "host": host,
        "port": parts.port or 5432,
        "user": urllib.parse.unquote(parts.username or "postgres"),
        "password": urllib.parse.unquote(parts.password) if parts.password else None,
        "dbname": name,
        "connect_timeout": 5,
    }


def without_password(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


def ensure_database(url: str) -> str:
    """Create the database if it is missing; returns PostgreSQL's version."""
    import psycopg
    from psycopg import sql

    params = postgres_params(url)
    name = params["dbname"]
    try:
        with psycopg.connect(**{**params, "dbname": "postgres"}, autocommit=True) as conn:
            version = str(conn.execute("SHOW server_version").fetchone()[0])  # type: ignore[index]
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                return version
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            log(f"created database {name}")
            return version
    except psycopg.OperationalError as error:
        raise SystemExit(f"bench: cannot reach PostgreSQL for {name!r}: {error}") from None


def drop_floor_table(url: str) -> None:
    # Its own connection: this runs in cleanup, whatever state Django's connection is in.
    import psycopg

    with (
        contextlib.suppress(psycopg.Error),
        psycopg.connect(**postgres_params(url), autocommit=True) as conn,
    ):
        conn.execute(f"DROP TABLE IF EXISTS {FLOOR_TABLE}")


def migrate(env: dict[str, str]) -> None:
    log("migrating")
    result = subprocess.run(
        [sys.executable, "-m", "undersigned", "migrate", "--no-input"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BenchError(f"migrate failed:\n{result.stdout}{result.stderr}")


def setup_django(env: dict[str, str]) -> None:
    # The harness talks to the same database with the same settings (and SECRET_KEY, for
    # confirmation tokens) as the server.
    os.environ.update(env)
    import django

    django.setup()


def reset_tables() -> None:
    """Empty the signature tables, with what is derived from them (the hourly history, the
    transparency logs: a log left from an earlier run would not match the new rows), and
    create the floor view's table afresh."""
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from undersigned.signatures.models import HourlyCount, Signature, SignatureCount
    from undersigned.transparency.models import Checkpoint, LogEntry, LogHead, TileNode

    tables = [
        Signature,
        SignatureCount,
        HourlyCount,
        DBTaskResult,
        LogEntry,
        Checkpoint,
        LogHead,
        TileNode,
    ]
    names = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in tables)
    with connection.cursor() as cursor:
        # CASCADE: rows that refer to signatures (deliveries, …) go too, in this bench DB.
        cursor.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        cursor.execute(f"DROP TABLE IF EXISTS {FLOOR_TABLE}")
        cursor.execute(
            f"CREATE TABLE {FLOOR_TABLE} (id bigserial PRIMARY KEY, payload text NOT NULL, "
            "created_at timestamptz NOT NULL)"
        )


def seed_petition() -> Any:
    """The one open petition every phase signs; returns it (a Petition)."""
    from django.utils import timezone, translation

    from undersigned.campaigns import services as campaigns
    from undersigned.petitions import services as petitions
    from undersigned.petitions.models import PetitionStatus

    demand = "\n\n".join(
        [
            "We call on the Minister to **release the detained journalist** at once and "
            "to drop every charge brought for their reporting.",
            "- End the pre-trial detention that has lasted more than a year\n"
            "- Allow visits by family, lawyers and independent doctors\n"
            "- Guarantee a fair and public hearing",
            "Journalism is not a crime. Thousands have already added their names; "
            "add yours and share this petition.",
        ]
    )
    with translation.override("en"):
        organisation = campaigns.upsert_organisation("bench-org", "Bench Rights Watch")
        case = campaigns.upsert_case(
            organisation,
            "bench-case",
            is_published=True,
            title_en="A journalist in detention",
            summary_en="Detained for their reporting since last year.",
            story_en="Their **story**, told by their family.",
        )
        return petitions.upsert_petition(
            case,
            SLUG,
            title_en="Free the journalist",
            target_en="The Minister of Justice",
            demand_en=demand,
            goal=100_000,
            opens_at=timezone.now() - timedelta(days=1),
            closes_at=None,
            status=PetitionStatus.OPEN,
        )


def seed_debate(petition: Any) -> Any:
    """A debate on the bench petition's case, four published arguments a side, a rebuttal
    each and a few counted votes: the debate page phase reads it (cached like the petition
    page, so the phase measures the cache path of issue 15)."""
    from django.utils import timezone, translation

    from undersigned.debates import services, tallies
    from undersigned.debates.models import Debate
    from undersigned.debates.validation import SourceInput

    source = [SourceInput("https://www.ohchr.org/en/about-us", "A public source")]
    with translation.override("en"):
        debate, created = Debate.objects.get_or_create(
            case=petition.case, slug="bench-debate",
            defaults={"question_en": "Should the journalist be released at once?",
                      "introduction_en": "The case's open question, argued from both sides.",
                      "opens_at": timezone.now() - timedelta(days=1)},
        )  # fmt: skip
        if created:
            for n in range(8):
                side = "for" if n % 2 == 0 else "against"
                top = services.add_argument(
                    debate, side=side, claim=f"Argument {n}: a claim of the {side} side",
                    explanation="An *explanation* with a [link](https://example.org/).",
                    sources=source, acting_user=None,
                )  # fmt: skip
                services.add_argument(
                    debate, side="against" if side == "for" else "for",
                    claim=f"A rebuttal of argument {n}", explanation="Because.",
                    sources=source, replies_to=top, acting_user=None,
                )  # fmt: skip
                services.cast_vote(top, client_ip=f"192.0.2.{n}")
            tallies.tally_new_votes()
    return debate
