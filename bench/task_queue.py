"""Enqueue→run latency and tasks per second of the two task queues (docs/scaling.md, "Tasks").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/undersigned_queue \\
    BENCH_TASKS_REDIS_URL=redis://127.0.0.1:6379/7 .venv/bin/python -m bench.task_queue

For each queue — the database (django-tasks-db) and Redis (TASKS_URL; django-tasks-rq) — it
starts one real `undersigned worker` (its periodic tasks running as they always do), then:

- latency: LATENCY_SAMPLES tasks, one at a time, 50 ms apart, into the idle worker; each task
  returns the moment it began, so latency = began - enqueued;
- throughput: BURST tasks enqueued at once (the enqueue rate is measured too), drained by
  the worker; tasks/s = BURST / (last began - first enqueued).

About 15 s of load per queue on a loaded 2-core machine. The Redis index is emptied
first (use one of your own).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
LATENCY_SAMPLES = 40
BURST = 300


def measure(queue: str) -> dict[str, float]:
    """In a process configured for `queue` (TASKS_URL set or not)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "undersigned.config.settings")
    django.setup()
    from django.tasks import TaskResultStatus

    from bench.task_probe import began
    from undersigned.worker import backends

    assert backends.backend_name() == queue, backends.backend_name()
    if queue == "redis":
        backends.redis_connection().flushdb()
    else:
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.all().delete()
    worker = subprocess.Popen(
        [sys.executable, "-m", "undersigned", "worker"], cwd=PROJECT_DIR,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        warm = began.enqueue()
        wait_for(warm, TaskResultStatus, timeout=30)
        time.sleep(1)
        latencies = []
        for _ in range(LATENCY_SAMPLES):
            enqueued = time.time()
            result = began.enqueue()
            wait_for(result, TaskResultStatus, timeout=10)
            latencies.append((result.return_value - enqueued) * 1000)
            time.sleep(0.05)
        start = time.time()
        results = [began.enqueue() for _ in range(BURST)]
        enqueue_s = time.time() - start
        wait_for(results[-1], TaskResultStatus, timeout=120)
        for result in results[-20:]:
            wait_for(result, TaskResultStatus, timeout=30)
        last = max(result.return_value for result in results[-20:])
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    latencies.sort()
    return {
        "latency_ms_median": round(statistics.median(latencies), 1),
        "latency_ms_p95": round(latencies[int(len(latencies) * 0.95) - 1], 1),
        "latency_ms_max": round(latencies[-1], 1),
        "enqueues_per_s": round(BURST / enqueue_s),
        "tasks_per_s": round(BURST / (last - start)),
    }


def wait_for(result, status, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        result.refresh()
        if result.status == status.SUCCESSFUL:
            return
        if result.status == status.FAILED or time.monotonic() > deadline:
            raise RuntimeError(f"task {result.id} {result.status}")
        time.sleep(0.002)


def main() -> None:
    if len(sys.argv) > 1:
        print(json.dumps(measure(sys.argv[1])))
        return
    redis_url = os.environ.get("BENCH_TASKS_REDIS_URL", "redis://127.0.0.1:6379/7")
    cli = [sys.executable, "-m", "undersigned"]
    env = {**os.environ, "TASKS_URL": redis_url}
    subprocess.run([*cli, "migrate", "--no-input", "-v", "0"], env=env, check=True)  # noqa: S603
    found = {}
    for queue, queue_env in (("database", {**os.environ, "TASKS_URL": ""}), ("redis", env)):
        out = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "bench.task_queue", queue], env=queue_env, cwd=PROJECT_DIR,
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        found[queue] = json.loads(out.stdout.strip().splitlines()[-1])
        print(queue, found[queue], flush=True)
    print(json.dumps(found, indent=2))


if __name__ == "__main__":
    main()
