"""The request metrics each app process keeps, and the registry a scrape reads.

Several app processes (granian's workers) serve requests, so each keeps its numbers where the
others' can be added up: with PROMETHEUS_MULTIPROC_DIR set (`undersigned serve` sets it when
/metrics is switched on), prometheus_client writes every process's counters into its own
memory-mapped file there and a scrape adds the files up (`MultiProcessCollector`); the
counts of a process that died stay counted. Without it (a single process: tests, the
development server) the numbers are this process's own.

Recording one request (`observe`) is a few dictionary look-ups and two or three writes to
that memory-mapped file: no database, no network (measured in docs/operations.md).
"""

from __future__ import annotations

import os
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.multiprocess import MultiProcessCollector

from undersigned.operations.routes import GROUPS

# Requests are counted by route group, method and status; the methods clients may invent
# are folded into "other", so no client can add a series.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

if folder := os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.makedirs(folder, exist_ok=True)  # set by hand for another app server: make it once

PROCESS = CollectorRegistry()
REQUESTS = Counter(
    "undersigned_http_requests",
    "HTTP requests answered, by route group, method and status code.",
    ["group", "method", "status"],
    registry=PROCESS,
)
DURATION = Histogram(
    "undersigned_http_request_duration_seconds",
    "Time from the request reaching the app to its response leaving the middleware "
    "(a streamed body's own time not included), by route group.",
    ["group"],
    buckets=BUCKETS,
    registry=PROCESS,
)

_durations = {group: DURATION.labels(group) for group in GROUPS}
_counters: dict[tuple[str, str, int], Any] = {}


def observe(group: str, method: str, status: int, seconds: float) -> None:
    """Count one answered request and its duration."""
    key = (group, method if method in METHODS else "other", status)
    counter = _counters.get(key)
    if counter is None:
        counter = _counters[key] = REQUESTS.labels(key[0], key[1], str(status))
    counter.inc()
    _durations[group].observe(seconds)


def multiprocess() -> bool:
    return bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))


def request_registry() -> CollectorRegistry:
    """The request metrics of every app process (or of this one, outside multiprocess mode)."""
    if not multiprocess():
        return PROCESS
    registry = CollectorRegistry()
    MultiProcessCollector(registry)
    return registry
