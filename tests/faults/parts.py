"""The real parts each fault test starts on its own: a PostgreSQL cluster, a redis-server, an
SMTP sink that can refuse, and `undersigned serve --workers 2 --with-worker`.

Ports come from our range (15400-15499 unless FAULT_PORT_BASE moves them); every process is
started and stopped by its own pid, never by name.
"""

from __future__ import annotations

import asyncio
import contextlib
import email
import glob
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from aiosmtpd.controller import Controller

from tests.fixtures.smtp import SmtpSink

PROJECT_DIR = Path(__file__).resolve().parents[2]
SLUG = "fault-petition"
PORT_BASE = int(os.environ.get("FAULT_PORT_BASE", "15400"))
_next_port: dict[int, int] = {}  # per range: the next port to try
CONFIRM_LINK = re.compile(rb"/confirm/([A-Za-z0-9_\-.:]+)/")


def free_port(base: int = PORT_BASE) -> int:
    """The next port of our range (100 ports from `base`) that nothing listens on."""
    while (port := _next_port.setdefault(base, base)) < base + 100:
        _next_port[base] = port + 1
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port left in {base}-{base + 99}")


def wait_until(
    condition: Callable[[], bool], timeout: float, what: str, step: float = 0.1
) -> float:
    """Seconds it took `condition` to hold; fails the test after `timeout`."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"{what}: not within {timeout:g} s")
        time.sleep(step)
    return time.monotonic() - started


def tool(name: str) -> str:
    found = shutil.which(name) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None
    )
    if not found:
        raise FileNotFoundError(name)
    return found


def stop_process(process: subprocess.Popen, grace: float = 10.0) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# -- PostgreSQL ---------------------------------------------------------------------------


class PostgresCluster:
    """A cluster of our own (initdb), run as the `postgres` user when we are root."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.port = 0
        self.listen_addresses = "127.0.0.1"  # comma-separated, as postgresql.conf takes them
        self.log = data_dir.parent / "postgres.log"

    @staticmethod
    def _as_postgres(command: list[str]) -> list[str]:
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--", *command]
        return command

    @staticmethod
    def make_dir(under: str | None = None) -> Path:
        """A temporary directory the postgres user may write (in `under`, else TMPDIR)."""
        base = Path(tempfile.mkdtemp(prefix="undersigned-fault-pg-", dir=under))
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(base, user.pw_uid, user.pw_gid)
        return base

    @classmethod
    def initdb(cls, under: str | None = None) -> PostgresCluster:
        base = cls.make_dir(under)
        cluster = cls(base / "data")
        initdb = [tool("initdb"), "-D", str(cluster.data_dir), "-U", "postgres", "-A", "trust"]
        subprocess.run(  # noqa: S603
            cls._as_postgres([*initdb, "-E", "UTF8", "--no-sync"]), check=True, capture_output=True
        )
        return cluster

    def copy(self) -> PostgresCluster:
        """A stopped copy of this (stopped) cluster, in a directory of its own."""
        base = self.make_dir()
        subprocess.run(  # noqa: S603
            [shutil.which("cp") or "/bin/cp", "-a", str(self.data_dir), str(base / "data")],
            check=True,
        )
        return PostgresCluster(base / "data")

    def pg_ctl(self, *args: str, check: bool = True) -> None:
        subprocess.run(  # noqa: S603
            self._as_postgres([tool("pg_ctl"), "-D", str(self.data_dir), *args]),
            check=check,
            capture_output=True,
            timeout=60,
        )

    def start(self) -> None:
        # fsync off: the tests kill the server, never the machine, so the OS keeps what was
        # written; every commit is still synchronous, as acknowledged writes must survive.
        if not self.port:
            self.port = free_port()
        options = (
            f"-p {self.port} -c listen_addresses={self.listen_addresses} -k {self.data_dir.parent} "
            "-c fsync=off -c full_page_writes=off "
            "-c max_connections=60"
        )
        self.pg_ctl("-o", options, "-l", str(self.log), "-w", "-t", "30", "start")

    def stop(self, mode: str = "fast") -> None:
        self.pg_ctl("-m", mode, "-w", "-t", "30", "stop", check=False)

    def restart_immediate(self) -> None:
        self.stop("immediate")
        self.start()

    def remove(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.data_dir.parent, ignore_errors=True)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/undersigned"

    def connect(self) -> psycopg.Connection:
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="undersigned",
            autocommit=True, connect_timeout=5,
        )  # fmt: skip

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self.connect() as conn:
            return conn.execute(sql, params).fetchall()  # type: ignore[arg-type]


# -- Redis --------------------------------------------------------------------------------


class RedisServer:
    def __init__(
        self, work_dir: Path, *, host: str = "127.0.0.1", port: int = 0, password: str = ""
    ) -> None:
        self.work_dir = work_dir
        self.host = host
        self.port = port or free_port()
        # Redis takes connections from other machines only with a password (protected mode).
        self.password = password
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        password = ["--requirepass", self.password] if self.password else []
        self.process = subprocess.Popen(  # noqa: S603
            [shutil.which("redis-server") or "redis-server", "--port", str(self.port),
             "--bind", self.host, "--save", "", "--appendonly", "no",
             "--dir", str(self.work_dir), *password],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_until(lambda: _listening(self.port, self.host), 10, "redis-server listening")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    @property
    def url(self) -> str:
        password = f":{self.password}@" if self.password else ""
        return f"redis://{password}{self.host}:{self.port}/0"


def _listening(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


# -- SMTP ---------------------------------------------------------------------------------


@dataclass
class FaultSink(SmtpSink):
    """The suite's SMTP sink (it can refuse: 421/451), which can also be slow, and hands each
    confirmation link on as it arrives, with the time of each message."""

    delay: float = 0.0  # seconds before answering each DATA
    received: list[tuple[float, str]] = field(default_factory=list)  # (time, recipient)
    on_link: Callable[[str, str], None] | None = None  # (recipient, token) of each email

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        answer = await super().handle_DATA(server, session, envelope)
        body = b""
        for part in email.message_from_bytes(envelope.content).walk():
            payload = part.get_payload(decode=True)
            if part.get_content_type() == "text/plain" and isinstance(payload, bytes):
                body += payload
        match = CONFIRM_LINK.search(body)
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.received.append((time.monotonic(), recipient))
        if match and self.on_link is not None:
            for recipient in envelope.rcpt_tos:
                self.on_link(recipient, match.group(1).decode())
        return answer

    def per_recipient(self) -> Counter[str]:
        with self.lock:
            return Counter(recipient for _, recipient in self.received)

    def last_received(self) -> float:
        with self.lock:
            return self.received[-1][0] if self.received else 0.0

    @contextlib.contextmanager
    def serving(self) -> Any:
        controller = Controller(self, hostname=self.host, port=self.port)
        controller.start()
        try:
            yield self
        finally:
            controller.stop()


# -- the site -----------------------------------------------------------------------------


def app_env(
    cluster: PostgresCluster, smtp_port: int, redis_url: str, port: int, data_dir: Path
) -> dict[str, str]:
    """The production configuration (DEBUG off) pointed at this test's parts; `data_dir` is
    shared by the tests, so collectstatic copies the static files once."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "SITE_", "CSRF_", "WEB_", "REDIS_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "undersigned.config.settings",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "TRUSTED_PROXIES": "127.0.0.1/32",
            "PROOF_OF_WORK": "off",
            "SIGN_LIMIT_PER_DOMAIN_PER_HOUR": "1000000000",
            "DATABASE_URL": cluster.url,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}?timeout=5",
            "REDIS_URL": redis_url,
            "PORT": str(port),
            "SITE_URL": f"http://127.0.0.1:{port}",
            "WEB_WORKERS": "2",
            "LOG_LEVEL": "WARNING",
            # Shortened so a test takes seconds; docs/reliability.md gives the real bounds.
            "EMAIL_RETRY_SECONDS": "2",
            "EMAIL_LEASE_SECONDS": "10",
            "WORKER_STALE_SECONDS": "10",
            "UNDERSIGNED_DATA_DIR": str(data_dir),
        }
    )
    return env


SEED = """
from datetime import timedelta
from django.utils import timezone, translation
from undersigned.campaigns import services as campaigns
from undersigned.petitions import services as petitions
from undersigned.petitions.models import PetitionStatus
with translation.override("en"):
    organisation = campaigns.upsert_organisation("fault-org", "Fault Watch")
    case = campaigns.upsert_case(
        organisation, "fault-case", is_published=True, title_en="A case under load",
        summary_en="Signed while things break.", story_en="Its story.",
    )
    petitions.upsert_petition(
        case, "__SLUG__", title_en="Keep counting", target_en="The operator",
        demand_en="Lose nothing.", goal=100000, opens_at=timezone.now() - timedelta(days=1),
        closes_at=None, status=PetitionStatus.OPEN,
    )
""".replace("__SLUG__", SLUG)


def prepare_template(env: dict[str, str]) -> None:
    """Migrate the cluster's database, add the petition every test signs, collect the static
    files into the shared data directory."""
    cli = [sys.executable, "-m", "undersigned"]
    commands = [
        [*cli, "migrate", "--no-input", "-v", "0"],
        [*cli, "shell", "-c", SEED],
        [*cli, "collectstatic", "--no-input", "-v", "0"],  # once: each serve skips it
    ]
    for command in commands:
        subprocess.run(  # noqa: S603
            command, env=env, cwd=PROJECT_DIR, check=True, capture_output=True, timeout=300
        )


class Site:
    """`undersigned serve --workers 2 --with-worker`, and its processes found through /proc."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env = env
        self.port = int(env["PORT"])
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "undersigned", "serve", "--with-worker", "--workers", "2",
                 "--no-collectstatic"],
                env=self.env, cwd=PROJECT_DIR, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        wait_until(lambda: len(self.app_workers()) == 2, 60, "two app workers")
        wait_until(lambda: _listening(self.port), 60, "the site listening")

    def stop(self) -> int | None:
        if self.process is None:
            return None
        stop_process(self.process, grace=30)
        return self.process.returncode

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def children(self) -> list[tuple[int, str]]:
        assert self.process is not None
        return children_of(self.process.pid)

    def granian(self) -> int | None:
        return next((pid for pid, cmd in self.children() if "granian" in cmd), None)

    def app_workers(self) -> list[int]:
        main = self.granian()
        return [] if main is None else [pid for pid, _ in children_of(main)]

    def task_workers(self) -> list[int]:
        return [pid for pid, cmd in self.children() if cmd.endswith("undersigned worker")]

    def start_extra_worker(self) -> subprocess.Popen:
        with self.log.open("ab") as out:
            return subprocess.Popen(
                [sys.executable, "-m", "undersigned", "worker"],
                env=self.env, cwd=PROJECT_DIR, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip


def children_of(pid: int) -> list[tuple[int, str]]:
    """(pid, command line) of each live child of `pid`."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) != pid or fields[0] == "Z":
                continue
            command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").strip()
        except (OSError, IndexError, ValueError):
            continue
        found.append((int(stat.parent.name), command.decode(errors="replace")))
    return found
