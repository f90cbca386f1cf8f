"""`make bench`: the surge benchmark (issue 4), bounded, on 127.0.0.1 only.

It starts the production configuration — `undersigned serve` (granian WSGI) with a random
SECRET_KEY, DEBUG off, 127.0.0.1 as the trusted proxy, proof-of-work off, PostgreSQL from
DATABASE_URL, Redis when REDIS_URL is set, and a counting SMTP sink — seeds one petition, and
drives each path with wrk + Lua (bench/lua/) at a fixed connection count:

    hello floor, one-INSERT floor        (bench/urls.py, served by the same server)
    sign POST, confirmation POST, petition page GET, count.json GET
    sign POST again, paced at 80% of its measured maximum, for its p99

Then it checks the database (every 303 to a sign has its row; the count equals the confirmed
rows once the worker has counted) and times the worker delivering 10,000 confirmation emails
to the sink. Results go to bench/results/<UTC timestamp>.json and latest.json, and a Markdown
table is printed. Everything it started is stopped by PID, also on Ctrl-C or an error.

Tunable by environment: DATABASE_URL, REDIS_URL, BENCH_DURATION (s per phase, 10),
BENCH_WARMUP (s, 2), BENCH_THREADS (2), BENCH_CONNECTIONS (32), BENCH_WEB_WORKERS (2),
BENCH_EMAILS (10000), BENCH_EMAIL_TIMEOUT (s, 180), BENCH_BLOCKING_THREADS (granian's
threads per worker, 4; "default" for granian's own 256, which exhausts PostgreSQL's
connections under load).
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import os
import platform
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
LUA_DIR = BENCH_DIR / "lua"
RESULTS_DIR = BENCH_DIR / "results"
HOST = "127.0.0.1"
SLUG = "bench-petition"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/undersigned_bench"
FLOOR_TABLE = "bench_floor"


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"bench: {name} must be a whole number, not {value!r}") from None


DURATION = _env_int("BENCH_DURATION", 10)
WARMUP = _env_int("BENCH_WARMUP", 2)
THREADS = _env_int("BENCH_THREADS", 2)
CONNECTIONS = _env_int("BENCH_CONNECTIONS", 32)
WEB_WORKERS = _env_int("BENCH_WEB_WORKERS", 2)
EMAILS = _env_int("BENCH_EMAILS", 10_000)
EMAIL_TIMEOUT = _env_int("BENCH_EMAIL_TIMEOUT", 180)
# Granian's WSGI default is backpressure/2 = 256 threads per worker, each keeping its own
# PostgreSQL connection (CONN_MAX_AGE): a surge then exhausts max_connections (100) and
# answers 500. Until `undersigned serve` bounds it, the bench does, through granian's own
# variable (a --blocking-threads given by `serve` wins). "default" leaves granian's value.
BLOCKING_THREADS = os.environ.get("BENCH_BLOCKING_THREADS", "4").strip() or "4"
EMAIL_WORKERS = int(os.environ.get("BENCH_EMAIL_WORKERS", "") or os.cpu_count() or 1)
PACED_FRACTION = 0.8
TIME_BUDGET = 290.0  # the whole run stays under 5 minutes: the email wait gives way first

# (result key, what it is measured against, how the table shows the target)
TARGETS = {
    "sign": "≥ 60% of insert floor and ≥ 750/s",
    "confirm": "≥ 60% of insert floor",
    "page": "≥ 50% of hello floor",
    "count": "≥ 80% of hello floor",
    "sign_p99": "< 100 ms",
    "emails": "≤ 60 s",
    "lost": "0",
    "double": "0",
}


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


class BenchError(Exception):
    """A step failed; the message says which, and run() still stops everything."""


# --- processes ------------------------------------------------------------------------------


def _descendants(pid: int) -> list[int]:
    """All live descendants of pid (from /proc), children before grandchildren."""
    found: list[int] = []
    queue = [pid]
    while queue:
        parent = queue.pop(0)
        for task in Path(f"/proc/{parent}/task").glob("*"):
            with contextlib.suppress(OSError):
                for child in (task / "children").read_text().split():
                    found.append(int(child))
                    queue.append(int(child))
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"  # a zombie has already exited


class Processes:
    """Every process the bench starts; each is stopped by its PID (and its descendants')."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.running: list[tuple[str, subprocess.Popen, list[int]]] = []

    def start(self, name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen:
        log_file = (self.log_dir / f"{name}.log").open("ab")
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and tools, no shell
            command,
            cwd=PROJECT_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a terminal Ctrl-C reaches only us; we stop them in order
        )
        log_file.close()
        self.running.append((name, process, []))
        return process

    def remember_children(self, process: subprocess.Popen) -> None:
        """Note the process's descendants now (granian's workers), to check them at stop."""
        for index, (name, known, pids) in enumerate(self.running):
            if known is process:
                self.running[index] = (name, known, sorted({*pids, *_descendants(process.pid)}))

    def stop(self, process: subprocess.Popen, grace: float = 10.0) -> None:
        for index, (_name, known, pids) in enumerate(self.running):
            if known is process:
                del self.running[index]
                self._stop(process, pids, grace)
                return

    def stop_all(self) -> None:
        while self.running:
            name, process, pids = self.running.pop()
            try:
                self._stop(process, pids, 10.0)
            except Exception as error:  # keep stopping the others
                log(f"could not stop {name} (pid {process.pid}): {error}")

    @staticmethod
    def _stop(process: subprocess.Popen, known_children: list[int], grace: float) -> None:
        children = sorted({*known_children, *_descendants(process.pid)})
        if process.poll() is None:
            # SIGINT is the graceful stop for `undersigned serve` (it forwards it to granian),
            # for the worker (finishes its task), for wrk (prints its summary) and the sink.
            process.send_signal(signal.SIGINT)
            try:
                process.wait(grace)
            except subprocess.TimeoutExpired:
                process.send_signal(signal.SIGINT)  # a second one: the worker drops its task
                try:
                    process.wait(3)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(3)
        deadline = time.monotonic() + 5
        while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.1)
        for pid in children:
            if _alive(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


# --- CPU accounting -------------------------------------------------------------------------


def _process_ticks() -> dict[int, tuple[str, int]]:
    """pid -> (command name, user + system clock ticks so far) for every process."""
    ticks: dict[int, tuple[str, int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        head, _, rest = stat.rpartition(")")
        fields = rest.split()
        ticks[int(entry.name)] = (head.partition("(")[2], int(fields[11]) + int(fields[12]))
    return ticks


def _machine_ticks() -> tuple[int, int, int]:
    """(busy, kernel interrupt work, total) clock ticks of all CPUs so far."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (values + [0] * 8)[:8]
    total = user + nice + system + idle + iowait + irq + softirq + steal
    return total - idle - iowait, irq + softirq, total


class CpuMeter:
    """Where the machine's CPU went during one load run.

    app (the server's processes), postgres, wrk, kernel (interrupts and softirq: mostly the
    loopback network), harness (this process) and other: the rest of the busy time, i.e.
    programs the bench did not start. A large "other" means another program shared the
    machine and the numbers are low. Shares are of all cores and approximate (a few %).
    """

    def __init__(self, named: dict[str, set[int]]) -> None:
        self.named = named  # group name -> its PIDs (a set that may still be filled in)
        self.hz = os.sysconf("SC_CLK_TCK")
        self.result: dict[str, Any] = {}

    def __enter__(self) -> CpuMeter:
        self.before = _process_ticks()
        self.machine_before = _machine_ticks()
        self.children_before = self._children_seconds()
        return self

    def __exit__(self, *exc: object) -> None:
        after = _process_ticks()
        busy, kernel, total = (
            b - a for a, b in zip(self.machine_before, _machine_ticks(), strict=True)
        )
        names = (*self.named, "postgres", "wrk", "kernel", "harness", "other")
        groups = dict.fromkeys(names, 0.0)
        for pid, (name, ticks) in after.items():
            delta = (ticks - self.before.get(pid, (name, 0))[1]) / self.hz
            group = next((g for g, pids in self.named.items() if pid in pids), None)
            if group is not None:
                groups[group] += delta
            elif name.startswith("postgres"):
                groups["postgres"] += delta
            elif pid == os.getpid():
                groups["harness"] += delta
        groups["wrk"] = self._children_seconds() - self.children_before  # reaped by now
        groups["kernel"] = kernel / self.hz
        # Whatever the machine did beyond that: other programs, including any that started
        # and ended within the run (no process table can show those afterwards).
        groups["other"] = max(0.0, busy / self.hz - sum(groups.values()))
        capacity = total / self.hz  # CPU-seconds the cores had in the interval
        if capacity:
            self.result = {
                "busy_pct": round(100 * busy / total, 1),
                "share_pct": {k: round(100 * v / capacity, 1) for k, v in groups.items()},
            }

    @staticmethod
    def _children_seconds() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime


# --- small helpers --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float, process: subprocess.Popen, name: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"{name} exited with code {process.returncode} while starting")
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=0.5):
            return
        time.sleep(0.1)
    raise BenchError(f"{name} did not listen on {HOST}:{port} within {timeout:g} s")


_http = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never a proxy


def http_get(url: str, timeout: float = 10.0) -> tuple[int, str, list[str]]:
    """(status, body, Set-Cookie headers) of a GET on 127.0.0.1."""
    assert url.startswith(f"http://{HOST}:")
    try:
        with _http.open(url, timeout=timeout) as response:
            cookies = response.headers.get_all("Set-Cookie") or []
            return response.status, response.read().decode("utf-8", "replace"), cookies
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace"), []


class _HiddenInputs(HTMLParser):
    """The hidden inputs of the form whose action contains a given string."""

    def __init__(self, action_contains: str) -> None:
        super().__init__()
        self.action_contains = action_contains
        self.inside = False
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self.inside = self.action_contains in (attributes.get("action") or "")
        elif (
            tag == "input"
            and self.inside
            and (attributes.get("type") or "") == "hidden"
            and attributes.get("name")
        ):
            self.fields[attributes["name"] or ""] = attributes.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False


def form_fields(url: str, action_contains: str) -> tuple[dict[str, str], str]:
    """What a browser would send with this page's form: its hidden fields and cookies.

    Works whichever protection the form uses (a CSRF token with its cookie, or a signed form
    token): a token/cookie pair fetched once may be reused for every request.
    """
    status, body, set_cookies = http_get(url)
    if status != 200:
        raise BenchError(f"GET {url} answered {status}")
    parser = _HiddenInputs(action_contains)
    parser.feed(body)
    if not parser.fields and f'action="{action_contains}' not in body:
        raise BenchError(f"no form posting to …{action_contains}… on {url}")
    cookie = "; ".join(header.split(";", 1)[0] for header in set_cookies)
    return parser.fields, cookie


def _postgres_params(url: str) -> dict[str, Any]:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise SystemExit(
            "bench: DATABASE_URL must point at PostgreSQL (postgres://user@127.0.0.1:5432/name)"
        )
    host = urllib.parse.unquote(parts.hostname or HOST)
    if host not in {"127.0.0.1", "localhost", "::1"} and not host.startswith("/"):
        raise SystemExit(f"bench: runs on this machine only; DATABASE_URL names host {host!r}")
    name = urllib.parse.unquote(parts.path.lstrip("/")) or "undersigned_bench"
    if "bench" not in name:
        raise SystemExit(
            f"bench: empties the signature tables, so it runs only on a database whose name "
            f"contains 'bench' (DATABASE_URL names {name!r}); e.g. {DEFAULT_DATABASE_URL}"
        )
    return {
        "host": host,
        "port": parts.port or 5432,
        "user": urllib.parse.unquote(parts.username or "postgres"),
        "password": urllib.parse.unquote(parts.password) if parts.password else None,
        "dbname": name,
        "connect_timeout": 5,
    }


def ensure_database(url: str) -> str:
    """Create the database if it is missing; returns PostgreSQL's version."""
    import psycopg
    from psycopg import sql

    params = _postgres_params(url)
    name = params["dbname"]
    try:
        with psycopg.connect(**{**params, "dbname": "postgres"}, autocommit=True) as conn:
            version = str(conn.execute("SHOW server_version").fetchone()[0])  # type: ignore[index]
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                return version
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            log(f"created database {name}")
            return version
    except psycopg.OperationalError as error:
        raise SystemExit(f"bench: cannot reach PostgreSQL for {name!r}: {error}") from None


def drop_floor_table(url: str) -> None:
    import psycopg

    with (
        contextlib.suppress(psycopg.Error),
        psycopg.connect(**_postgres_params(url), autocommit=True) as conn,
    ):
        conn.execute(f"DROP TABLE IF EXISTS {FLOOR_TABLE}")


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        raise SystemExit("bench: needs wrk; install Debian's package: sudo apt-get install wrk")
    log("installing wrk (apt-get install -y wrk)")
    command = [apt, "install", "-y", "-q", "wrk"]
    if subprocess.run(command, capture_output=True, check=False).returncode != 0:  # noqa: S603
        subprocess.run([apt, "update", "-q"], capture_output=True, check=False)  # noqa: S603
        subprocess.run(command, capture_output=True, check=False)  # noqa: S603
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("bench: could not install wrk; try: apt-get install wrk")
    return found


def _git(*args: str) -> str:
    git = shutil.which("git")
    if git is None:
        return ""
    result = subprocess.run(  # noqa: S603
        [git, *args], cwd=PROJECT_DIR, capture_output=True, text=True, check=False
    )
    return result.stdout.strip()


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return ""


def machine_facts(wrk: str, postgres_version: str, loadavg: tuple[float, ...]) -> dict[str, Any]:
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    wrk_version = subprocess.run(  # noqa: S603
        [wrk, "--version"], capture_output=True, text=True, check=False
    ).stdout.splitlines()
    return {
        "nproc": os.cpu_count(),
        "loadavg_at_start": [round(value, 2) for value in loadavg],
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "git_commit": _git("rev-parse", "HEAD"),
        "git_dirty": bool(_git("status", "--porcelain", "--untracked-files=no")),
        "postgres": postgres_version,
        "wrk": wrk_version[0] if wrk_version else "",
        "django": _version("Django"),
        "granian": _version("granian"),
    }


# --- the run --------------------------------------------------------------------------------


class Bench:
    def __init__(self, processes: Processes, wrk: str, database_url: str) -> None:
        self.processes = processes
        self.wrk_path = wrk
        self.database_url = database_url
        self.started = time.monotonic()
        self.port = free_port()
        self.smtp_port = free_port()
        self.work_dir = processes.log_dir
        self.sink_file = self.work_dir / "smtp-count"
        self.env = self._app_env()
        self.server: subprocess.Popen | None = None
        self.sink: subprocess.Popen | None = None
        self.petition: Any = None  # the seeded Petition, once Django is set up
        self.sign_303 = 0
        self.sign_in_flight = 0
        self.phases: dict[str, dict[str, Any]] = {}
        self.warmups: dict[str, dict[str, Any]] = {}

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

    # -- set-up --

    def prepare_database(self) -> None:
        log("migrating")
        result = subprocess.run(
            [sys.executable, "-m", "undersigned", "migrate", "--no-input"],
            cwd=PROJECT_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BenchError(f"migrate failed:\n{result.stdout}{result.stderr}")
        # The harness talks to the same database with the same settings (and SECRET_KEY, for
        # confirmation tokens) as the server.
        os.environ.update(self.env)
        import django

        django.setup()
        from django.db import connection
        from django_tasks_db.models import DBTaskResult

        from undersigned.signatures.models import Signature, SignatureCount

        tables = [Signature, SignatureCount, DBTaskResult]
        names = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in tables)
        with connection.cursor() as cursor:
            # CASCADE: rows that refer to signatures (deliveries, …) go too, in this bench DB.
            cursor.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
            cursor.execute(f"DROP TABLE IF EXISTS {FLOOR_TABLE}")
            cursor.execute(
                f"CREATE TABLE {FLOOR_TABLE} (id bigserial PRIMARY KEY, payload text NOT NULL, "
                "created_at timestamptz NOT NULL)"
            )
        self.petition = self._seed_petition()

    def _seed_petition(self) -> Any:
        from django.utils import timezone, translation

        from undersigned.campaigns import services as campaigns
        from undersigned.petitions import services as petitions
        from undersigned.petitions.models import PetitionStatus

        demand = "\n\n".join(
            [
                "We call on the Minister to **release the detained journalist** at once and "
                "to drop every charge brought for their reporting.",
                "- End the pre-trial detention that has lasted more than a year\n"
                "- Allow visits by family, lawyers and independent doctors\n"
                "- Guarantee a fair and public hearing",
                "Journalism is not a crime. Thousands have already added their names; "
                "add yours and share this petition.",
            ]
        )
        with translation.override("en"):
            organisation = campaigns.upsert_organisation("bench-org", "Bench Rights Watch")
            case = campaigns.upsert_case(
                organisation,
                "bench-case",
                is_published=True,
                title_en="A journalist in detention",
                summary_en="Detained for their reporting since last year.",
                story_en="Their **story**, told by their family.",
            )
            return petitions.upsert_petition(
                case,
                SLUG,
                title_en="Free the journalist",
                target_en="The Minister of Justice",
                demand_en=demand,
                goal=100_000,
                opens_at=timezone.now() - timedelta(days=1),
                closes_at=None,
                status=PetitionStatus.OPEN,
            )

    def start_sink(self) -> None:
        command = [
            sys.executable, "-m", "bench.smtp_sink",
            "--port", str(self.smtp_port), "--count-file", str(self.sink_file),
        ]  # fmt: skip
        self.sink = self.processes.start("smtp-sink", command, self.env)
        wait_for_port(self.smtp_port, 20, self.sink, "the SMTP sink")

    def sink_count(self) -> int:
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

    def _server_pids(self) -> set[int]:
        if self.server is None:
            return set()
        for _name, process, pids in self.processes.running:
            if process is self.server:
                return {process.pid, *pids, *_descendants(process.pid)}
        return set()

    def start_worker(self) -> subprocess.Popen:
        return self.processes.start(
            "worker", [sys.executable, "-m", "undersigned", "worker"], self.env
        )

    # -- load --

    def wrk(
        self,
        script: str,
        path: str,
        seconds: int,
        env: dict[str, str] | None = None,
        done_dir: Path | None = None,
    ) -> dict[str, Any]:
        command = [
            self.wrk_path, f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "5s",
            "-s", str(LUA_DIR / script), self.url(path),
        ]  # fmt: skip
        wrk_env = {**os.environ, "BENCH_THREADS": str(THREADS), **(env or {})}
        if done_dir is not None:
            wrk_env["BENCH_DONE_DIR"] = str(done_dir)
        out_path = self.work_dir / "wrk.out"
        with CpuMeter({"app": self._server_pids()}) as meter:
            with out_path.open("wb") as out:
                process = subprocess.Popen(  # noqa: S603
                    command, env=wrk_env, stdout=out, stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL, start_new_session=True,
                )  # fmt: skip
            self.processes.running.append(("wrk", process, []))
            try:
                deadline = time.monotonic() + seconds + 30
                while process.poll() is None:
                    if time.monotonic() > deadline:
                        raise BenchError(f"wrk on {path} did not finish")
                    if done_dir is not None and len(list(done_dir.iterdir())) >= THREADS:
                        process.send_signal(signal.SIGINT)  # every thread has run out of work
                        done_dir = None
                    time.sleep(0.05)
            finally:
                self.processes.stop(process, grace=5)
        output = out_path.read_text(errors="replace")
        for line in output.splitlines():
            if line.startswith("BENCH_RESULT "):
                return {**json.loads(line.removeprefix("BENCH_RESULT ")), "cpu": meter.result}
        raise BenchError(f"wrk printed no result for {path}:\n{output}")

    def phase(
        self,
        name: str,
        script: str,
        path: str,
        expect: int,
        env_for: Callable[[str], dict[str, str]],
        done_dirs: tuple[Path, Path] | None = None,
    ) -> dict[str, Any]:
        """A warm-up run (results kept apart), then the measured run."""
        if WARMUP > 0:
            warm_dir = done_dirs[0] if done_dirs else None
            self.warmups[name] = summarise(
                self.wrk(script, path, WARMUP, env_for("warmup"), warm_dir), expect
            )
        measured_dir = done_dirs[1] if done_dirs else None
        summary = summarise(self.wrk(script, path, DURATION, env_for("run"), measured_dir), expect)
        summary["path"] = path
        self.phases[name] = summary
        log(
            f"{name:8} {summary['rps']:8.1f} req/s  p50 {summary['p50_ms']:.1f} ms  "
            f"p99 {summary['p99_ms']:.1f} ms  errors {summary['errors']}  "
            f"statuses {summary['status_counts']}  cpu {summary['cpu']['busy_pct']:.0f}% "
            + " ".join(f"{k} {v:.0f}%" for k, v in summary["cpu"]["share_pct"].items())
        )
        return summary

    def run_load(self) -> None:
        run_tag = secrets.token_hex(3)
        petition_path = f"/petitions/{SLUG}/"

        def static(method: str = "GET", body: str = "") -> Callable[[str], dict[str, str]]:
            return lambda _stage: {"BENCH_METHOD": method, "BENCH_BODY": body}

        self.phase("hello", "static.lua", "/bench/hello", 200, static())
        self.phase("insert", "static.lua", "/bench/insert", 200, static("POST", "payload=floor"))

        fields, cookie = form_fields(self.url(petition_path), f"{petition_path}sign/")
        sign_body = urllib.parse.urlencode(
            {**fields, "name": "Bench Signer", "privacy_consent": "on"}
        )
        sign_path = f"{petition_path}sign/"

        def sign_env(tag: str) -> Callable[[str], dict[str, str]]:
            return lambda stage: {
                "BENCH_PATH": sign_path, "BENCH_BODY": sign_body, "BENCH_COOKIE": cookie,
                "BENCH_TAG": f"{tag}{stage[0]}{run_tag}",
            }  # fmt: skip

        self.phase("sign", "sign.lua", sign_path, 303, sign_env("m"))
        self._count_sign_answers("sign")

        self.confirm_phase()
        self.phase("page", "static.lua", petition_path, 200, static())
        self.phase("count", "static.lua", f"{petition_path}count.json", 200, static())

        target = max(1.0, PACED_FRACTION * self.phases["sign"]["rps"])

        def paced_env(stage: str) -> dict[str, str]:
            return {**sign_env("p")(stage), "BENCH_RATE": f"{target:.1f}"}

        paced = self.phase("sign_80", "sign.lua", sign_path, 303, paced_env)
        paced["target_rps"] = round(target, 1)
        paced["late_fraction"] = round(paced["late"] / max(1, paced["sent"]), 4)
        self._count_sign_answers("sign_80")

    def _count_sign_answers(self, name: str) -> None:
        for summary in (self.warmups.get(name), self.phases[name]):
            if summary:
                self.sign_303 += summary["status_counts"].get("303", 0)
                self.sign_in_flight += max(0, summary["sent"] - summary["requests"])

    def confirm_phase(self) -> None:
        from undersigned.signatures.models import Signature
        from undersigned.signatures.tokens import token_for_key

        keys = list(
            Signature.objects.filter(petition=self.petition, confirmed_at__isnull=True)
            .order_by("id")
            .values_list("confirmation_key", flat=True)
        )
        if not keys:
            raise BenchError("the sign phase created no signature to confirm")
        tokens = [token_for_key(key) for key in keys]
        fields, cookie = form_fields(self.url(f"/confirm/{tokens[0]}/"), "/confirm/")
        body = urllib.parse.urlencode(fields)
        split = min(len(tokens) // 5, 3000) if WARMUP > 0 else 0
        files = (self.work_dir / "tokens-warmup", self.work_dir / "tokens-run")
        files[0].write_text("".join(f"{token}\n" for token in tokens[:split]))
        files[1].write_text("".join(f"{token}\n" for token in tokens[split:]))
        done_dirs = (self.work_dir / "done-warmup", self.work_dir / "done-run")
        for directory in done_dirs:
            directory.mkdir()

        def confirm_env(stage: str) -> dict[str, str]:
            token_file = files[0] if stage == "warmup" else files[1]
            return {"BENCH_TOKENS": str(token_file), "BENCH_BODY": body, "BENCH_COOKIE": cookie}

        summary = self.phase("confirm", "confirm.lua", "/confirm/", 303, confirm_env, done_dirs)
        summary["path"] = "/confirm/<token>/"
        summary["tokens"] = len(tokens) - split
        summary["ran_out_of_tokens"] = summary["duration_s"] < DURATION - 0.5

    # -- checks --

    def check_lost(self) -> dict[str, Any]:
        from undersigned.signatures.models import Signature

        rows = Signature.objects.filter(petition=self.petition).count()
        return {
            "sign_303": self.sign_303,
            "rows": rows,
            "lost": max(0, self.sign_303 - rows),
            # Requests still in flight when wrk stopped were served but their 303 never read:
            # up to that many rows may have no counted 303. More would be an anomaly.
            "rows_without_counted_303": max(0, rows - self.sign_303),
            "in_flight_at_stop": self.sign_in_flight,
            "anomaly": rows - self.sign_303 > self.sign_in_flight,
        }

    def check_double(self) -> dict[str, Any]:
        from django.db.models import Sum

        from undersigned.signatures.models import Signature, SignatureCount

        # Nothing owes an email now, so the worker spends this phase counting only.
        Signature.objects.update(email_due="", email_next_attempt_at=None)
        uncounted = Signature.objects.filter(confirmed_at__isnull=False, counted=False)
        log(f"counting {uncounted.count()} confirmations with the worker")
        started = time.monotonic()
        worker = self.start_worker()
        try:
            while uncounted.exists():
                if worker.poll() is not None:
                    raise BenchError(f"the worker exited with code {worker.returncode}")
                if time.monotonic() - started > 60:
                    raise BenchError("the worker left confirmations uncounted after 60 s")
                time.sleep(0.2)
            settled_s = time.monotonic() - started
        finally:
            self.processes.stop(worker)
        counted = (
            SignatureCount.objects.filter(petition=self.petition).aggregate(total=Sum("count"))[
                "total"
            ]
            or 0
        )
        confirmed = Signature.objects.filter(
            petition=self.petition, confirmed_at__isnull=False, invalidated_at__isnull=True
        ).count()
        return {
            "counted": counted,
            "confirmed_rows": confirmed,
            "double": counted - confirmed,
            "count_settled_s": round(settled_s, 2),
        }

    def time_emails(self) -> dict[str, Any]:
        from django.utils import timezone

        from undersigned.signatures.models import EmailDue, Signature
        from undersigned.signatures.tokens import new_confirmation_key

        now = timezone.now()
        pending = Signature.objects.filter(
            petition=self.petition, confirmed_at__isnull=True, invalidated_at__isnull=True
        )
        missing = EMAILS - pending.count()
        if missing > 0:
            Signature.objects.bulk_create(
                (
                    Signature(
                        petition=self.petition, name="Bench Signer",
                        email=f"bulk{n}@example.org", email_normalised=f"bulk{n}@example.org",
                        country="DE", language="en", confirmation_key=new_confirmation_key(),
                        confirmation_expires_at=now + timedelta(days=7),
                        email_due=EmailDue.CONFIRMATION, email_next_attempt_at=now,
                    )
                    for n in range(missing)
                ),
                batch_size=2000,
            )  # fmt: skip
        owed_ids = pending.order_by("id").values("id")[:EMAILS]
        Signature.objects.update(email_due=EmailDue.NONE, email_next_attempt_at=None)
        Signature.objects.filter(id__in=owed_ids).update(
            email_due=EmailDue.CONFIRMATION,
            email_next_attempt_at=now,
            email_attempts=0,
            email_failed_at=None,
        )
        owed = Signature.objects.exclude(email_due=EmailDue.NONE).count()
        if owed != EMAILS:
            raise BenchError(f"{owed} signatures owe an email, not {EMAILS}")
        timeout = min(EMAIL_TIMEOUT, TIME_BUDGET - self.elapsed() - 15)
        if timeout < 10:
            raise BenchError("no time left in the 5-minute budget for the email phase")
        baseline = self.sink_count()
        log(f"timing {EMAILS} confirmation emails to the sink (timeout {timeout:.0f} s)")
        started = time.monotonic()
        first: float | None = None
        finished: float | None = None
        worker_pids: set[int] = set()
        sink_pids = {self.sink.pid} if self.sink else set()
        meter = CpuMeter({"worker": worker_pids, "sink": sink_pids})
        meter.__enter__()
        # One worker process per core, as docs/scaling.md recommends for a surge: the
        # outbox is shared between them with SKIP LOCKED.
        workers = [self.start_worker() for _ in range(EMAIL_WORKERS)]
        worker_pids.update(worker.pid for worker in workers)
        try:
            while time.monotonic() - started < timeout:
                delivered = self.sink_count() - baseline
                if delivered and first is None:
                    first = time.monotonic() - started
                if delivered >= EMAILS:
                    finished = time.monotonic() - started
                    break
                for worker in workers:
                    if worker.poll() is not None:
                        raise BenchError(f"a worker exited with code {worker.returncode}")
                time.sleep(0.05)
            meter.__exit__()  # up to the last email, before the workers are stopped
        finally:
            for worker in workers:
                self.processes.stop(worker)
        delivered = self.sink_count() - baseline
        return {
            "emails": EMAILS,
            "emails_10k_s": round(finished, 2) if finished is not None else None,
            "first_email_s": round(first, 2) if first is not None else None,
            "delivered": delivered,
            "still_owed": Signature.objects.exclude(email_due=EmailDue.NONE).count(),
            "emails_per_s": round(delivered / finished, 1) if finished else None,
            "timed_out": finished is None,
            "timeout_s": round(timeout, 1),
            "cpu": meter.result,
        }


def summarise(raw: dict[str, Any], expect: int) -> dict[str, Any]:
    seconds = raw["duration_us"] / 1e6
    errors = raw["errors"]
    socket_errors = errors["connect"] + errors["read"] + errors["write"] + errors["timeout"]
    statuses = {str(code): n for code, n in sorted(raw["status_counts"].items())}
    latency = raw["latency_us"]
    rps = raw["requests"] / seconds if seconds else 0.0
    other = raw["cpu"].get("share_pct", {}).get("other", 0.0)
    return {
        "rps": round(rps, 1),
        # What the run would have reached with the CPU that other programs took: a linear
        # estimate, only to judge a disturbed run; the targets use the measured rps.
        "rps_if_alone_est": round(rps * 100 / max(1.0, 100 - other), 1),
        "p50_ms": round(latency["p50"] / 1000, 2),
        "p95_ms": round(latency["p95"] / 1000, 2),
        "p99_ms": round(latency["p99"] / 1000, 2),
        "p999_ms": round(latency["p999"] / 1000, 2),
        "mean_ms": round(latency["mean"] / 1000, 2),
        "max_ms": round(latency["max"] / 1000, 2),
        # non-2xx/3xx answers plus socket errors (connect, read, write, timeout)
        "errors": socket_errors + errors["status"],
        "socket_errors": {k: errors[k] for k in ("connect", "read", "write", "timeout")},
        "status_counts": statuses,
        "expected_status": expect,
        "unexpected_status": sum(n for code, n in statuses.items() if code != str(expect)),
        "requests": raw["requests"],
        "duration_s": round(seconds, 2),
        "sent": max(0, raw["sent"] - 1),  # wrk builds one request up front to inspect it
        "late": raw["late"],
        "cpu": raw["cpu"],
    }


# --- results --------------------------------------------------------------------------------


def _ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 3) if denominator else None


def build_results(bench: Bench, checks: dict[str, Any], facts: dict[str, Any]) -> dict[str, Any]:
    phases = bench.phases
    rps = {name: phase["rps"] for name, phase in phases.items()}
    ratios = {
        "sign_ratio": _ratio(rps["sign"], rps["insert"]),
        "confirm_ratio": _ratio(rps["confirm"], rps["insert"]),
        "page_ratio": _ratio(rps["page"], rps["hello"]),
        "count_ratio": _ratio(rps["count"], rps["hello"]),
    }

    def clean(name: str) -> bool:
        return phases[name]["errors"] == 0 and phases[name]["unexpected_status"] == 0

    lost, double, emails = checks["lost"], checks["double"], checks["emails"]
    met = {
        "sign": clean("sign") and (ratios["sign_ratio"] or 0) >= 0.6 and rps["sign"] >= 750,
        "confirm": clean("confirm") and (ratios["confirm_ratio"] or 0) >= 0.6,
        "page": clean("page") and (ratios["page_ratio"] or 0) >= 0.5,
        "count": clean("count") and (ratios["count_ratio"] or 0) >= 0.8,
        "sign_p99": clean("sign_80") and phases["sign_80"]["p99_ms"] < 100,
        "emails": emails["emails_10k_s"] is not None and emails["emails_10k_s"] <= 60,
        "lost": lost["lost"] == 0 and not lost["anomaly"],
        "double": double["double"] == 0,
    }
    return {
        "sign_rps": rps["sign"],
        "sign_floor_rps": rps["insert"],
        "confirm_rps": rps["confirm"],
        "page_rps": rps["page"],
        "count_rps": rps["count"],
        "hello_rps": rps["hello"],
        "sign_p99_ms": phases["sign_80"]["p99_ms"],
        "lost": lost["lost"],
        "double": double["double"],
        "emails_10k_s": emails["emails_10k_s"],
        **ratios,
        "targets": {name: {"target": TARGETS[name], "met": ok} for name, ok in met.items()},
        "all_targets_met": all(met.values()),
        "phases": phases,
        "warmups": bench.warmups,
        "checks": checks,
        "config": {
            "server": f"undersigned serve --workers {WEB_WORKERS} (granian WSGI)",
            "load": f"wrk -t{THREADS} -c{CONNECTIONS}, {DURATION} s per phase after "
            f"{WARMUP} s warm-up",
            "database": _without_password(bench.database_url),
            "redis": bool(os.environ.get("REDIS_URL")),
            "granian_blocking_threads": bench.env.get("GRANIAN_BLOCKING_THREADS", "default"),
            "paced_fraction": PACED_FRACTION,
        },
        "machine": facts,
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "wall_time_s": round(bench.elapsed(), 1),
    }


def _without_password(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


def markdown_table(results: dict[str, Any]) -> str:
    phases, targets = results["phases"], results["targets"]

    def yes(name: str) -> str:
        return "yes" if targets[name]["met"] else "**no**"

    def row(label: str, phase: dict[str, Any], ratio: str, target: str, met: str) -> str:
        return (
            f"| {label} | {phase['rps']:,.0f} | {phase['p50_ms']:.1f} | {phase['p95_ms']:.1f} | "
            f"{phase['p99_ms']:.1f} | {phase['errors']} | {ratio} | {target} | {met} |"
        )

    def pct(key: str, floor: str) -> str:
        value = results[key]
        return f"{value:.0%} of {floor}" if value is not None else "—"

    paced = phases["sign_80"]
    emails = results["checks"]["emails"]
    lost = results["checks"]["lost"]
    email_value = (
        f"{emails['emails_10k_s']:.1f} s ({emails['emails_per_s']:,.0f}/s)"
        if emails["emails_10k_s"] is not None
        else f"timed out: {emails['delivered']:,} in {emails['timeout_s']:.0f} s"
    )
    lines = [
        "| path | req/s | p50 ms | p95 ms | p99 ms | errors | ratio to floor | target | met? |",
        "|---|---:|---:|---:|---:|---:|---|---|---|",
        row("sign POST", phases["sign"], pct("sign_ratio", "insert"), TARGETS["sign"],
            yes("sign")),
        row("confirmation POST", phases["confirm"], pct("confirm_ratio", "insert"),
            TARGETS["confirm"], yes("confirm")),
        row("petition page GET", phases["page"], pct("page_ratio", "hello"), TARGETS["page"],
            yes("page")),
        row("count.json GET", phases["count"], pct("count_ratio", "hello"), TARGETS["count"],
            yes("count")),
        row("floor: hello", phases["hello"], "—", "—", "—"),
        row("floor: one INSERT", phases["insert"], "—", "—", "—"),
        row(f"sign POST paced at 80% ({paced['target_rps']:,.0f}/s target, "
            f"{paced['late_fraction']:.0%} sent late)", paced, "—",
            f"p99 {TARGETS['sign_p99']}", yes("sign_p99")),
        f"| {EMAILS:,} confirmation emails to the sink | {email_value} | | | | | — | "
        f"{TARGETS['emails']} | {yes('emails')} |",
        f"| lost signatures (303s {lost['sign_303']:,}, rows {lost['rows']:,}) | "
        f"{results['lost']} | | | | | — | 0 | {yes('lost')} |",
        f"| double-counted (count {results['checks']['double']['counted']:,}, confirmed rows "
        f"{results['checks']['double']['confirmed_rows']:,}) | {results['double']} | | | | | — "
        f"| 0 | {yes('double')} |",
    ]  # fmt: skip
    lines += [
        "",
        "CPU during each measured run, % of all cores (kernel: interrupts and softirq, mostly",
        "the loopback network; other: busy time of programs the bench did not start):",
        "",
        "| run | busy | app server | PostgreSQL | wrk | kernel | harness | other "
        "| req/s without other (estimate) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, phase in phases.items():
        share = phase["cpu"]["share_pct"]
        lines.append(
            f"| {name} | {phase['cpu']['busy_pct']:.0f}% | {share['app']:.0f}% | "
            f"{share['postgres']:.0f}% | {share['wrk']:.0f}% | {share['kernel']:.0f}% | "
            f"{share['harness']:.0f}% | {share['other']:.0f}% | "
            f"{phase['rps_if_alone_est']:,.0f} |"
        )
    email_cpu = results["checks"]["emails"]["cpu"]
    if email_cpu:
        lines.append(
            f"| emails | {email_cpu['busy_pct']:.0f}% | worker "
            f"{email_cpu['share_pct']['worker']:.0f}%, sink {email_cpu['share_pct']['sink']:.0f}% "
            f"| {email_cpu['share_pct']['postgres']:.0f}% | — | "
            f"{email_cpu['share_pct']['kernel']:.0f}% | {email_cpu['share_pct']['harness']:.0f}% "
            f"| {email_cpu['share_pct']['other']:.0f}% | — |"
        )
    disturbed = [name for name, phase in phases.items() if phase["cpu"]["share_pct"]["other"] > 10]
    if disturbed:
        lines += ["", f"Warning: other processes took > 10% of the CPU in: {', '.join(disturbed)}."]
    return "\n".join(lines)


def write_results(results: dict[str, Any]) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    text = json.dumps(results, indent=2, sort_keys=False) + "\n"
    path = RESULTS_DIR / f"{stamp}.json"
    path.write_text(text)
    (RESULTS_DIR / "latest.json").write_text(text)
    return path


@contextlib.contextmanager
def _signals_raise() -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP end the run through the finally blocks.

    SIGINT too, since a process started in the background inherits it ignored.
    """

    def interrupt(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt(signal.strsignal(signum))

    signals = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {sig: signal.signal(sig, interrupt) for sig in signals}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def run() -> int:
    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    _postgres_params(database_url)  # refuses anything but PostgreSQL on this machine
    if THREADS < 1 or CONNECTIONS < THREADS or DURATION < 1:
        raise SystemExit("bench: need BENCH_THREADS ≥ 1, BENCH_CONNECTIONS ≥ threads, duration ≥ 1")
    wrk = ensure_wrk()
    loadavg = os.getloadavg()
    if loadavg[0] > 1.0:
        log(
            f"warning: load average {loadavg[0]:.1f} before the start; another "
            "process is using the CPU and the numbers will be low"
        )
    postgres_version = ensure_database(database_url)
    work_dir = Path(tempfile.mkdtemp(prefix="undersigned-bench-"))
    processes = Processes(work_dir)
    ok = False
    floor_created = False
    try:
        with _signals_raise():
            bench = Bench(processes, wrk, database_url)
            log(f"database {_without_password(database_url)}; logs in {work_dir}")
            floor_created = True
            bench.prepare_database()
            bench.start_sink()
            bench.start_server()
            bench.run_load()
            bench.stop_server()  # lets in-flight requests finish before the rows are counted
            checks = {"lost": bench.check_lost()}
            checks["double"] = bench.check_double()
            checks["emails"] = bench.time_emails()
            results = build_results(bench, checks, machine_facts(wrk, postgres_version, loadavg))
            path = write_results(results)
            print()
            print(markdown_table(results))
            print()
            log(f"wrote {path.relative_to(PROJECT_DIR)} and latest.json in {bench.elapsed():.0f} s")
            ok = True
            return 0
    except BenchError as error:
        log(f"failed: {error}")
        return 1
    except KeyboardInterrupt as interruption:
        log(f"interrupted ({interruption or 'Ctrl-C'}); stopping everything")
        return 130
    finally:
        # Cleanup is bounded (each stop has a timeout): finish it whatever arrives meanwhile.
        previous = {
            sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)
        }
        try:
            processes.stop_all()
            with contextlib.suppress(Exception):
                from django.db import connections

                connections.close_all()
            if floor_created:
                drop_floor_table(database_url)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if ok:
            shutil.rmtree(work_dir, ignore_errors=True)
        else:
            log(f"logs kept in {work_dir}")


if __name__ == "__main__":
    sys.exit(run())
