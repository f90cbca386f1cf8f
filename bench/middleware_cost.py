"""What the operations middleware costs a request, in microseconds (issue 17).

    .venv/bin/python -m bench.middleware_cost

Calls a trivial view (an empty HttpResponse, its route resolved as the sign route's) 50,000
times bare and 50,000 times behind `operations.middleware.RequestMetricsMiddleware`, in
rounds that alternate, and prints the median difference per request for each mode:

- memory: one process, prometheus_client's in-memory values (tests, the development server);
- multiprocess: PROMETHEUS_MULTIPROC_DIR set, as `undersigned serve` runs with /metrics on
  (each count written to a memory-mapped file);
- multiprocess + JSON access log: LOG_REQUESTS on, each line formatted by core/jsonlog.py and
  written to /dev/null.

Each mode runs in a fresh interpreter (prometheus_client picks its mode at import). No
database, no network: the middleware makes no call to either.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

CALLS = 10_000
ROUNDS = 5


def measure() -> dict[str, float]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "undersigned.config.settings")
    os.environ.setdefault("SECRET_KEY", "middleware-bench-" + "x" * 32)
    import logging

    import django

    django.setup()
    from django.http import HttpResponse
    from django.test import RequestFactory
    from django.urls import resolve

    from undersigned.core.jsonlog import JsonFormatter
    from undersigned.operations.middleware import RequestMetricsMiddleware

    if os.environ.get("LOG_REQUESTS") == "true":
        handler = logging.FileHandler(os.devnull)
        handler.setFormatter(JsonFormatter())
        requests = logging.getLogger("undersigned.requests")
        requests.handlers, requests.propagate = [handler], False
        requests.setLevel(logging.INFO)

    match = resolve("/petitions/some-petition/sign/")
    request = RequestFactory().post("/petitions/some-petition/sign/")
    request.resolver_match = match
    answer = HttpResponse()

    def view(_request: object) -> HttpResponse:
        answer.headers.pop("X-Request-ID", None)
        return answer

    wrapped = RequestMetricsMiddleware(view)

    def per_call(handler: object) -> float:
        started = time.perf_counter()
        for _ in range(CALLS):
            handler(request)  # type: ignore[operator]
        return (time.perf_counter() - started) / CALLS * 1e6

    bare, behind = [], []
    for _ in range(ROUNDS):
        bare.append(per_call(view))
        behind.append(per_call(wrapped))
    return {
        "bare_us": statistics.median(bare),
        "middleware_us": statistics.median(behind),
        "cost_us": statistics.median(b - a for a, b in zip(bare, behind, strict=True)),
    }


def main() -> None:
    if sys.argv[1:] == ["--child"]:
        print(json.dumps(measure()))
        return
    with tempfile.TemporaryDirectory() as folder:
        modes = {
            "memory": {},
            "multiprocess": {"PROMETHEUS_MULTIPROC_DIR": folder},
            "multiprocess + JSON access log": {
                "PROMETHEUS_MULTIPROC_DIR": folder, "LOG_REQUESTS": "true", "LOG_FORMAT": "json",
            },
        }  # fmt: skip
        for mode, extra in modes.items():
            env = {**os.environ, "LOG_REQUESTS": "false", **extra}
            env.pop("DATABASE_URL", None)
            if "PROMETHEUS_MULTIPROC_DIR" not in extra:
                env.pop("PROMETHEUS_MULTIPROC_DIR", None)
            out = subprocess.run(
                [sys.executable, "-m", "bench.middleware_cost", "--child"],
                env=env, check=True, capture_output=True, text=True,
            ).stdout  # fmt: skip
            result = json.loads(out.strip().splitlines()[-1])
            print(f"{mode:32} {result['cost_us']:6.1f} µs per request "
                  f"(bare view {result['bare_us']:.1f} µs)")  # fmt: skip


if __name__ == "__main__":
    main()
