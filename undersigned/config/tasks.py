"""The two task backends `TASKS_URL` chooses between (docs/scaling.md, "Tasks").

- unset: `django-tasks-db`, the queue as a table of the main database (the embedded default);
- `redis://host:port/db`: `django-tasks-rq`, the queue in Redis, run by RQ's job code inside
  `undersigned worker` (undersigned/worker/redis_worker.py).

Task code is the same on both: `django.tasks` `@task` functions and `.enqueue()`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

DATABASE_TASKS: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
}
# A job still running this long is stopped (RQ's SIGALRM "death penalty") and failed; every
# periodic task keeps to a 30 s budget, a mailing batch to less.
JOB_TIMEOUT_SECONDS = 600
# Connecting must not hang a request that enqueues (the web processes enqueue too).
SOCKET_OPTIONS = {"socket_connect_timeout": "2", "socket_timeout": "10"}
RQ = {"JOB_CLASS": "django_tasks_rq.Job"}


def redis_tasks() -> dict[str, dict[str, Any]]:
    return {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}


def rq_queues(url: str) -> dict[str, dict[str, Any]]:
    """django-rq's queue table: one queue, "default", on `url` (with our socket timeouts
    unless the URL sets its own)."""
    return {"default": {"URL": with_socket_options(url), "DEFAULT_TIMEOUT": JOB_TIMEOUT_SECONDS}}


def with_socket_options(url: str) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    for name, value in SOCKET_OPTIONS.items():
        query.setdefault(name, value)
    return urlunsplit(parts._replace(query=urlencode(query)))
