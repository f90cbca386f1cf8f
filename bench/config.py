"""The bench's knobs (read from the environment once, at import) and fixed constants.

The environment variables are listed in run.py's docstring. Also home to `log` and
`BenchError`, which every step of the run shares.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
LUA_DIR = BENCH_DIR / "lua"
RESULTS_DIR = BENCH_DIR / "results"
HOST = "127.0.0.1"
SLUG = "bench-petition"
DEBATE_PATH = "/cases/bench-case/debates/bench-debate/"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/undersigned_bench"
FLOOR_TABLE = "bench_floor"


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"bench: {name} must be a whole number, not {value!r}") from None


DURATION = _env_int("BENCH_DURATION", 10)
WARMUP = _env_int("BENCH_WARMUP", 2)
THREADS = _env_int("BENCH_THREADS", 2)
CONNECTIONS = _env_int("BENCH_CONNECTIONS", 32)
WEB_WORKERS = _env_int("BENCH_WEB_WORKERS", 2)
EMAILS = _env_int("BENCH_EMAILS", 10_000)
EMAIL_TIMEOUT = _env_int("BENCH_EMAIL_TIMEOUT", 180)
# Granian's WSGI default is backpressure/2 = 256 threads per worker, each keeping its own
# PostgreSQL connection (CONN_MAX_AGE): a surge then exhausts max_connections (100) and
# answers 500. Until `undersigned serve` bounds it, the bench does, through granian's own
# variable (a --blocking-threads given by `serve` wins). "default" leaves granian's value.
BLOCKING_THREADS = os.environ.get("BENCH_BLOCKING_THREADS", "4").strip() or "4"
EMAIL_WORKERS = int(os.environ.get("BENCH_EMAIL_WORKERS", "") or os.cpu_count() or 1)
PACED_FRACTION = 0.8
TIME_BUDGET = 290.0  # the whole run stays under 5 minutes: the email wait gives way first

# result key -> its target, as the table shows it (report.py decides whether it is met)
TARGETS = {
    "sign": "≥ 60% of insert floor and ≥ 750/s",
    "confirm": "≥ 60% of insert floor",
    "page": "≥ 50% of hello floor",
    "debate": "≥ 50% of hello floor",
    "count": "≥ 80% of hello floor",
    "embed": "≥ 80% of hello floor",
    "sign_p99": "< 100 ms",
    "emails": "≤ 60 s",
    "lost": "0",
    "double": "0",
    "log": "≥ 1,000 leaves/s",
}


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


class BenchError(Exception):
    """A step failed; the message says which, and run() still stops everything."""
