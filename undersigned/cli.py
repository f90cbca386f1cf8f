"""The `undersigned` console script.

undersigned serve [--with-worker]   the web app under granian (WSGI), optionally with a worker,
                                    supervised (undersigned/supervisor.py)
undersigned worker                  the background task worker
undersigned demo                    load the demo case (idempotent)
undersigned log-keygen              a new LOG_SIGNING_KEY for the transparency logs
undersigned reconcile-log [--repair] rebuild each petition's log and compare it with the count
undersigned verify-log URL          check a log from outside (also scripts/verify_log.py)
undersigned <django command>        any Django management command (migrate, createsuperuser…)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import NoReturn

from undersigned.supervisor import Child, Supervisor


def _load_settings() -> None:
    """Import the settings once here, so a bad environment value ends in one readable line."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "undersigned.config.settings")
    from undersigned.config.env import ConfigError

    try:
        import django

        django.setup()
    except ConfigError as error:
        print(f"undersigned: configuration error: {error}", file=sys.stderr)
        raise SystemExit(2) from None


def serve_parser() -> argparse.ArgumentParser:
    """`undersigned serve`'s options (docs/deploy.md's units are checked against them)."""
    parser = argparse.ArgumentParser(prog="undersigned serve")
    parser.add_argument("--with-worker", action="store_true", help="also run the task worker")
    parser.add_argument(
        "--no-collectstatic",
        action="store_true",
        help="the static files are collected already (at build time); start faster",
    )
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "1")))
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    # Each thread holds a database connection; a few per process overlap I/O without
    # exhausting PostgreSQL's max_connections (granian's own default is 256).
    parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "4")))
    return parser


def _serve(argv: list[str]) -> NoReturn:
    args = serve_parser().parse_args(argv)

    from django.conf import settings
    from django.core.management import call_command

    if not settings.DEBUG and not args.no_collectstatic:
        call_command("collectstatic", "--no-input", verbosity=0)

    server = [
        sys.executable, "-m", "granian", "--interface", "wsgi",
        "--host", args.host, "--port", str(settings.PORT),
        "--workers", str(max(1, args.workers)), "--blocking-threads", str(max(1, args.threads)),
        # A dead app worker (an out-of-memory kill) is replaced while the others serve.
        "--respawn-failed-workers", "--respawn-interval", "1",
        "--no-ws", "--log-level", "warning",
        "undersigned.config.wsgi:application",
    ]  # fmt: skip
    if settings.LOG_FORMAT == "json":
        # granian's own lines (workers started, replaced) in the same JSON as the app's.
        server[-1:-1] = ["--log-config", str(_granian_json_log_config(settings.DATA_DIR))]
    if settings.METRICS_ENABLED:
        _share_metrics_between_processes(settings.DATA_DIR)
    children = [Child("app server", server)]
    if args.with_worker:
        children.append(Child("task worker", [sys.executable, "-m", "undersigned", "worker"]))
    print(f"Undersigned is serving at http://{args.host}:{settings.PORT}/ — Ctrl-C stops it.")
    raise SystemExit(Supervisor(children).run())


def _share_metrics_between_processes(data_dir: Path) -> None:
    """Let every app worker write its request metrics where a scrape adds them all up
    (prometheus_client's multiprocess mode; operations/metrics.py). The folder is emptied at
    start: the numbers of a previous run are not this one's."""
    folder = Path(os.environ.get("PROMETHEUS_MULTIPROC_DIR") or data_dir / "prometheus")
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)


def _granian_json_log_config(data_dir: Path) -> Path:
    path = data_dir / "granian-log.json"
    handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    config = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "undersigned.core.jsonlog.JsonFormatter"}},
        "handlers": {"console": handler, "access": handler},
        "loggers": {
            "_granian": {"handlers": ["console"], "level": "WARNING", "propagate": False},
            "granian.access": {"handlers": ["access"], "level": "WARNING", "propagate": False},
        },
    }
    path.write_text(json.dumps(config))
    return path


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    _load_settings()
    if argv[:1] == ["serve"]:
        _serve(argv[1:])
    if argv and not argv[0].startswith("-"):  # log-keygen → Django's log_keygen
        argv[0] = argv[0].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["undersigned", *argv])


if __name__ == "__main__":
    main()
