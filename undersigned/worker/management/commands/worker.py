"""`undersigned worker`: the background task worker (undersigned/worker/runner.py)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from undersigned.worker import backends, runner


class Command(BaseCommand):
    help = "Run the background task worker (emails, counting) on the queue TASKS_URL names."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--tick", type=float, default=2.0, help="seconds between periodic runs")
        parser.add_argument("--interval", type=float, default=0.5, help="idle poll interval")

    def handle(self, *args: Any, tick: float, interval: float, **options: Any) -> None:
        queue = backends.backend_name()
        self.stdout.write(
            f"Worker running on the {queue} queue; periodic tasks every {tick:g}s. Ctrl-C stops it."
        )
        runner.run(tick=tick, interval=interval)
