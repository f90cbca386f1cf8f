"""`undersigned serve`'s supervisor: keeps the app server and the task worker running.

Like PostgreSQL's postmaster or gunicorn's arbiter, it restarts a child that dies on its own:

- The app server (granian) replaces a dead app worker itself (`--respawn-failed-workers`),
  while its other workers keep serving; if granian's main process dies, it is restarted here.
- The task worker (`--with-worker`) is restarted here.
- Each restart waits a little longer than the last (FIRST_BACKOFF, doubled, up to
  MAX_BACKOFF; reset once a child has run for STABLE_AFTER seconds). A crash loop — more
  than MAX_RESTARTS restarts of one child within WINDOW seconds — is reported loudly, every
  child is stopped and `serve` exits 1 instead of spinning.
- SIGINT and SIGTERM are forwarded to every child once (a second would make the worker
  abandon its task), so one Ctrl-C stops everything at once; children still running after
  STOP_GRACE seconds are killed. Asked to stop, `serve` exits 0.

Children run in their own session, so a terminal's Ctrl-C reaches them once, from here.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime

FIRST_BACKOFF = 1.0
MAX_BACKOFF = 30.0
STABLE_AFTER = 60.0
MAX_RESTARTS = 5
WINDOW = 120.0
STOP_GRACE = 20.0
POLL = 0.2


def say(message: str) -> None:
    if os.environ.get("LOG_FORMAT", "").strip().lower() == "json":  # as core/jsonlog.py writes
        now = datetime.now(UTC).isoformat(timespec="milliseconds")
        line = {"time": now, "level": "WARNING", "logger": "undersigned.serve", "message": message}
        print(json.dumps(line), file=sys.stderr, flush=True)
    else:
        print(f"undersigned serve: {message}", file=sys.stderr, flush=True)


@dataclass
class Child:
    name: str
    argv: list[str]
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    restart_at: float | None = None  # when a dead child is due to start again
    backoff: float = field(default_factory=lambda: FIRST_BACKOFF)
    restarts: deque[float] = field(default_factory=deque)

    def start(self) -> None:
        self.process = subprocess.Popen(self.argv, start_new_session=True)  # noqa: S603
        self.started_at = time.monotonic()
        self.restart_at = None

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


class Supervisor:
    def __init__(
        self, children: list[Child], *, max_restarts: int = MAX_RESTARTS, window: float = WINDOW
    ) -> None:
        self.children = children
        self.max_restarts = max_restarts
        self.window = window
        self.stopping = False

    def stop(self, signum: int = signal.SIGINT, _frame: object = None) -> None:
        if self.stopping:
            return
        self.stopping = True
        for child in self.children:
            if child.running():
                assert child.process is not None
                child.process.send_signal(signal.SIGINT)  # graceful for granian and the worker

    def run(self) -> int:
        signal.signal(signal.SIGINT, self.stop)
        signal.signal(signal.SIGTERM, self.stop)
        for child in self.children:
            child.start()
        exit_code = 0
        while not self.stopping:
            now = time.monotonic()
            for child in self.children:
                if child.restart_at is not None:
                    if now >= child.restart_at and not self.stopping:
                        say(f"starting the {child.name} again")
                        child.start()
                    continue
                if child.running():
                    continue
                assert child.process is not None
                if not self.schedule_restart(child, child.process.returncode, now):
                    exit_code = 1
                    self.stop()
                    break
            time.sleep(POLL)
        self.wait_for_children()
        return exit_code

    def schedule_restart(self, child: Child, code: int | None, now: float) -> bool:
        """Plan a dead child's restart; False when it is crash-looping (give up)."""
        if now - child.started_at >= STABLE_AFTER:
            child.backoff = FIRST_BACKOFF
        while child.restarts and now - child.restarts[0] > self.window:
            child.restarts.popleft()
        if len(child.restarts) >= self.max_restarts:
            say(
                f"the {child.name} exited (code {code}) {len(child.restarts) + 1} times within "
                f"{self.window:g} s; giving up and stopping everything"
            )
            return False
        child.restarts.append(now)
        child.restart_at = now + child.backoff
        say(f"the {child.name} exited (code {code}); restarting it in {child.backoff:g} s")
        child.backoff = min(MAX_BACKOFF, child.backoff * 2)
        return True

    def wait_for_children(self) -> None:
        deadline = time.monotonic() + STOP_GRACE
        for child in self.children:
            if child.process is None:
                continue
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                say(f"the {child.name} did not stop within {STOP_GRACE:g} s; killing it")
                child.process.kill()
                child.process.wait()
