"""The system under test: the server, the SMTP sink and the workers, in one shared environment.

It is the production configuration — `undersigned serve` with a random SECRET_KEY, DEBUG off,
127.0.0.1 as the trusted proxy, proof-of-work off, the per-domain limit out of reach —
pointed at the bench database and sink.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import subprocess
import sys
import time
from typing import Any

from bench import database
from bench.config import BLOCKING_THREADS, HOST, PROJECT_DIR, SLUG, WEB_WORKERS, BenchError, log
from bench.network import free_port, http_get, wait_for_port
from bench.processes import Processes


class Stack:
    def __init__(self, processes: Processes, database_url: str) -> None:
        self.processes = processes
        self.database_url = database_url
        self.started = time.monotonic()  # the 5-minute budget counts from here
        self.port = free_port()
        self.smtp_port = free_port()
        self.work_dir = processes.log_dir
        self.sink_file = self.work_dir / "smtp-count"
        self.env = self._app_env()
        self.server: subprocess.Popen | None = None
        self.sink: subprocess.Popen | None = None
        self.petition: Any = None  # the seeded Petition, once Django is set up

    def _app_env(self) -> dict[str, str]:
        env = dict(os.environ)
        for name in ("SITE_URL", "WEB_WORKERS", "CSRF_TRUSTED_ORIGINS"):
            env.pop(name, None)
        python_path = [str(PROJECT_DIR), *filter(None, [env.get("PYTHONPATH")])]
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "undersigned.config.settings",
                "UNDERSIGNED_URLCONF": "bench.urls",
                "PYTHONPATH": os.pathsep.join(python_path),
                "DEBUG": "false",
                "SECRET_KEY": secrets.token_urlsafe(50),
                "ALLOWED_HOSTS": HOST,
                "TRUSTED_PROXIES": f"{HOST}/32",
                "PROOF_OF_WORK": "off",
                # Every bench signer writes from example.org; real surges spread over many
                # domains (and free mail is exempt), so the per-domain limit would hold them
                # all. Set high, not off: the check still costs what it costs in production.
                "SIGN_LIMIT_PER_DOMAIN_PER_HOUR": "1000000000",
                "DATABASE_URL": self.database_url,
                "EMAIL_URL": f"smtp://{HOST}:{self.smtp_port}",
                "PORT": str(self.port),
                "SITE_URL": f"http://{HOST}:{self.port}",
                "LOG_LEVEL": env.get("LOG_LEVEL", "WARNING"),
            }
        )
        if BLOCKING_THREADS != "default":
            env.setdefault("GRANIAN_BLOCKING_THREADS", BLOCKING_THREADS)
        return env

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    def prepare_database(self) -> None:
        """Migrate, set Django up in this process, empty the tables and seed the petition."""
        database.migrate(self.env)
        database.setup_django(self.env)
        database.reset_tables()
        self.petition = database.seed_petition()
        self.debate = database.seed_debate(self.petition)

    def start_sink(self) -> None:
        command = [
            sys.executable, "-m", "bench.smtp_sink",
            "--port", str(self.smtp_port), "--count-file", str(self.sink_file),
        ]  # fmt: skip
        self.sink = self.processes.start("smtp-sink", command, self.env)
        wait_for_port(self.smtp_port, 20, self.sink, "the SMTP sink")

    def sink_count(self) -> int:
        """Messages the sink has accepted so far (0 until it has written its count)."""
        try:
            return int(self.sink_file.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return 0

    def start_server(self) -> None:
        log(f"starting undersigned serve --workers {WEB_WORKERS} on {HOST}:{self.port}")
        command = [sys.executable, "-m", "undersigned", "serve", "--workers", str(WEB_WORKERS)]
        self.server = self.processes.start("server", command, self.env)
        wait_for_port(self.port, 60, self.server, "the server")
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError):
                if http_get(self.url("/healthz"), timeout=2)[0] == 200:
                    break
            if time.monotonic() > deadline:
                raise BenchError("the server never answered /healthz with 200")
            time.sleep(0.2)
        for path in (f"/petitions/{SLUG}/", "/bench/hello"):
            status = http_get(self.url(path))[0]
            if status != 200:
                raise BenchError(f"GET {path} answered {status} before the load")
        self.processes.remember_children(self.server)

    def stop_server(self) -> None:
        if self.server is not None:
            self.processes.stop(self.server, grace=15)
            self.server = None

    def server_pids(self) -> set[int]:
        """The server and its granian processes, for the CPU meter; empty once stopped."""
        if self.server is None:
            return set()
        return self.processes.pids_of(self.server)

    def start_worker(self) -> subprocess.Popen:
        return self.processes.start(
            "worker", [sys.executable, "-m", "undersigned", "worker"], self.env
        )
