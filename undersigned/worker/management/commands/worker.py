"""`undersigned worker`: the background task worker (undersigned/worker/runner.py)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from undersigned.worker import runner


class Command(BaseCommand):
    help = "Run the background task worker (emails, counting)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--tick", type=float, default=2.0, help="seconds between periodic runs")
        parser.add_argument("--interval", type=float, default=0.5, help="idle poll interval")

    def handle(self, *args: Any, tick: float, interval: float, **options: Any) -> None:
        self.stdout.write(f"Worker running; periodic tasks every {tick:g}s. Ctrl-C stops it.")
        runner.run(tick=tick, interval=interval)
