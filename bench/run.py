"""`make bench`: the surge benchmark (issue 4), bounded, on 127.0.0.1 only.

It starts the production configuration — `undersigned serve` (granian WSGI) with a random
SECRET_KEY, DEBUG off, 127.0.0.1 as the trusted proxy, proof-of-work off, PostgreSQL from
DATABASE_URL, Redis when REDIS_URL is set, and a counting SMTP sink — seeds one petition, and
drives each path with wrk + Lua (bench/lua/) at a fixed connection count:

    hello floor, one-INSERT floor        (bench/urls.py, served by the same server)
    sign POST, confirmation POST, petition page GET, count.json GET
    sign POST again, paced at 80% of its measured maximum, for its p99

Then it checks the database (every 303 to a sign has its row; the count equals the confirmed
rows once the worker has counted) and times the worker delivering 10,000 confirmation emails
to the sink. Results go to bench/results/<UTC timestamp>.json and latest.json, and a Markdown
table is printed. Everything it started is stopped by PID, also on Ctrl-C or an error.

Tunable by environment: DATABASE_URL, REDIS_URL, BENCH_DURATION (s per phase, 10),
BENCH_WARMUP (s, 2), BENCH_THREADS (2), BENCH_CONNECTIONS (32), BENCH_WEB_WORKERS (2),
BENCH_EMAILS (10000), BENCH_EMAIL_TIMEOUT (s, 180), BENCH_EMAIL_WORKERS (one per core),
BENCH_BLOCKING_THREADS (granian's threads per worker, 4; "default" for granian's own 256,
which exhausts PostgreSQL's connections under load).

This module only wires the steps together: config.py (the knobs above), stack.py (server,
sink, workers) with database.py, load.py (wrk) and phases.py, checks.py, then report.py
(with machine.py); processes.py starts, stops and meters every process.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from bench import checks
from bench.config import (
    CONNECTIONS,
    DEFAULT_DATABASE_URL,
    DURATION,
    PROJECT_DIR,
    THREADS,
    BenchError,
    log,
)
from bench.database import drop_floor_table, ensure_database, postgres_params, without_password
from bench.load import Wrk, ensure_wrk
from bench.machine import machine_facts
from bench.phases import LoadPhases
from bench.processes import Processes
from bench.report import build_results, markdown_table, write_results
from bench.stack import Stack


@contextlib.contextmanager
def _signals_raise() -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP end the run through the finally blocks.

    SIGINT too, since a process started in the background inherits it ignored.
    """

    def interrupt(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt(signal.strsignal(signum))

    signals = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {sig: signal.signal(sig, interrupt) for sig in signals}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def run() -> int:
    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    postgres_params(database_url)  # refuses anything but PostgreSQL on this machine
    if THREADS < 1 or CONNECTIONS < THREADS or DURATION < 1:
        raise SystemExit("bench: need BENCH_THREADS ≥ 1, BENCH_CONNECTIONS ≥ threads, duration ≥ 1")
    wrk = ensure_wrk()
    loadavg = os.getloadavg()
    if loadavg[0] > 1.0:
        log(
            f"warning: load average {loadavg[0]:.1f} before the start; another "
            "process is using the CPU and the numbers will be low"
        )
    postgres_version = ensure_database(database_url)
    work_dir = Path(tempfile.mkdtemp(prefix="undersigned-bench-"))
    processes = Processes(work_dir)
    ok = False
    floor_created = False
    try:
        with _signals_raise():
            stack = Stack(processes, database_url)
            load = LoadPhases(stack, Wrk(wrk, stack))
            log(f"database {without_password(database_url)}; logs in {work_dir}")
            floor_created = True
            stack.prepare_database()
            stack.start_sink()
            stack.start_server()
            load.run_all()
            stack.stop_server()  # lets in-flight requests finish before the rows are counted
            results_of_checks = {"lost": checks.check_lost(stack, load)}
            results_of_checks["double"] = checks.check_double(stack)
            results_of_checks["log"] = checks.check_log(stack)
            results_of_checks["emails"] = checks.time_emails(stack)
            facts = machine_facts(wrk, postgres_version, loadavg)
            results = build_results(stack, load, results_of_checks, facts)
            path = write_results(results)
            print()
            print(markdown_table(results))
            print()
            log(f"wrote {path.relative_to(PROJECT_DIR)} and latest.json in {stack.elapsed():.0f} s")
            ok = True
            return 0
    except BenchError as error:
        log(f"failed: {error}")
        return 1
    except KeyboardInterrupt as interruption:
        log(f"interrupted ({interruption or 'Ctrl-C'}); stopping everything")
        return 130
    finally:
        # Cleanup is bounded (each stop has a timeout): finish it whatever arrives meanwhile.
        previous = {
            sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)
        }
        try:
            processes.stop_all()
            with contextlib.suppress(Exception):
                from django.db import connections

                connections.close_all()
            if floor_created:
                drop_floor_table(database_url)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if ok:
            shutil.rmtree(work_dir, ignore_errors=True)
        else:
            log(f"logs kept in {work_dir}")


if __name__ == "__main__":
    sys.exit(run())
