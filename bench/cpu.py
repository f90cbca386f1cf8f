"""CPU per request, in-process: what a path costs, independent of the machine's load.

`make bench` measures requests per second, which move with whatever else runs on the
machine. This counts CPU time instead: it calls the production WSGI application
(`undersigned.config.wsgi:application`, the bench URLconf, the bench's settings) directly,
N times per path, one thread, and reads the CPU the Python process and its PostgreSQL
backend used (the backend's from /proc/<pid>/stat). A ratio of floor CPU to path CPU is
what the throughput ratio of `make bench` would be if the server, the kernel and wrk cost
nothing per request; their fixed share per request makes the real ratios a little closer
to 1.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/undersigned_fast_bench \\
        .venv/bin/python -m bench.cpu [--requests 2000] [--paths hello,insert,sign,...]
        [--profile DIR]   (a cProfile per path, DIR/<path>.prof)

It empties the signature tables of that database, as `make bench` does (the name must
contain "bench").
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import io
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bench.config import DEFAULT_DATABASE_URL, SLUG
from bench.database import (
    ensure_database,
    migrate,
    reset_tables,
    seed_debate,
    seed_petition,
    setup_django,
)
from bench.network import _HiddenInputs  # the bench's own form parser
from bench.processes import Processes
from bench.stack import Stack

PATHS = ("hello", "insert", "sign", "confirm", "page", "count", "embed")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def backend_cpu(pid: int) -> float:
    """Seconds of CPU the PostgreSQL backend `pid` has used (user + system)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


class Client:
    """Requests straight into the WSGI application, as granian would hand them over."""

    def __init__(self, application: Callable[..., Any], port: int) -> None:
        self.application = application
        self.port = port

    def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        path, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": str(self.port),
            "HTTP_HOST": f"127.0.0.1:{self.port}",
            "REMOTE_ADDR": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            "wsgi.version": (1, 0),
        }
        if body:
            environ["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
            environ["CONTENT_LENGTH"] = str(len(body))
        for name, value in (headers or {}).items():
            environ["HTTP_" + name.upper().replace("-", "_")] = value
        status: list[str] = []

        def start_response(line: str, _headers: list, _exc_info: Any = None) -> None:
            status.append(line)

        result = self.application(environ, start_response)
        try:
            content = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        return int(status[0].split()[0]), content


def random_ipv4(rng: random.Random) -> str:
    first = rng.randint(1, 222)
    first += first >= 127
    return f"{first}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def requests_for(name: str, client: Client, n: int, tag: str) -> Iterator[Callable[[], int]]:
    """n callables, each making one request of the phase `name` and returning its status."""
    rng = random.Random(7919)  # noqa: S311 - made-up client addresses
    petition = f"/petitions/{SLUG}/"
    if name in {"hello", "insert"}:
        method, body = ("GET", b"") if name == "hello" else ("POST", b"payload=floor")
        for _ in range(n):
            yield lambda: client.request(method, f"/bench/{name}", body)[0]
    elif name == "sign":
        fields = hidden_fields(client, petition, f"{petition}sign/")
        prefix = urllib.parse.urlencode({**fields, "name": "Bench Signer", "privacy_consent": "on"})
        countries = ["DE", "FR", "GB", "US", "ES", "IT", "NL", "BR", "IN", "JP", "KE", "AR"]
        for i in range(n):
            body = f"{prefix}&email={tag}n{i}%40example.org&country={countries[i % 12]}".encode()
            headers = {"X-Forwarded-For": random_ipv4(rng)}
            yield functools.partial(_status, client, "POST", f"{petition}sign/", body, headers)
    elif name == "confirm":
        from undersigned.core.linktoken import Kind, token_for
        from undersigned.signatures.models import Signature

        keys = list(
            Signature.objects.filter(confirmed_at__isnull=True)
            .order_by("id")
            .values_list("confirmation_key", flat=True)[:n]
        )
        if len(keys) < n:
            raise SystemExit(f"bench.cpu: confirm needs {n} pending signatures, has {len(keys)}")
        tokens = [token_for(Kind.SIGNATURE_CONFIRMATION, key) for key in keys]
        fields = hidden_fields(client, f"/confirm/{tokens[0]}/", "/confirm/")
        body = urllib.parse.urlencode(fields).encode()
        for token in tokens:
            yield functools.partial(_status, client, "POST", f"/confirm/{token}/", body)
    else:
        path = {"page": petition, "count": f"{petition}count.json", "embed": f"{petition}embed/"}[
            name
        ]
        for _ in range(n):
            yield lambda: client.request("GET", path)[0]


def _status(
    client: Client, method: str, path: str, body: bytes = b"", headers: dict | None = None
) -> int:
    return client.request(method, path, body, headers)[0]


def hidden_fields(client: Client, page: str, action: str) -> dict[str, str]:
    status, content = client.request("GET", page)
    if status != 200:
        raise SystemExit(f"bench.cpu: GET {page} answered {status}")
    parser = _HiddenInputs(action)
    parser.feed(content.decode())
    return parser.fields


EXPECTED = {"sign": 303, "confirm": 303}


def measure(
    name: str, client: Client, n: int, tag: str, profile_dir: Path | None
) -> dict[str, float]:
    from django.db import connection

    calls = list(requests_for(name, client, n, tag))
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    # CPU time, not wall time: waiting for the database (or for a busy machine) is not work.
    profiler = cProfile.Profile(time.thread_time) if profile_dir else None
    expected = EXPECTED.get(name, 200)
    wall, cpu, db = time.perf_counter(), time.process_time(), backend_cpu(pid)
    if profiler:
        profiler.enable()
    for call in calls:
        status = call()
        if status != expected:
            raise SystemExit(f"bench.cpu: {name} answered {status}, expected {expected}")
    if profiler:
        profiler.disable()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if connection.connection.info.backend_pid != pid:
        raise SystemExit("bench.cpu: the database connection changed during the run")
    db = backend_cpu(pid) - db
    if profiler and profile_dir:
        profiler.dump_stats(profile_dir / f"{name}.prof")
    return {"app_us": cpu / n * 1e6, "db_us": db / n * 1e6, "wall_us": wall / n * 1e6}


def callgrind(name: str, client: Client, n: int, tag: str) -> float:
    """Instructions per request of `n` requests, counted by callgrind (this process only:
    the database's share is in db_us). Needs the harness started under
    `valgrind --tool=callgrind --instr-atstart=no`; it switches the counting on around the
    requests and reads the dump callgrind writes into the current directory."""
    calls = list(requests_for(name, client, n, tag))
    pid = str(os.getpid())

    def control(*options: str) -> None:
        command = ["callgrind_control", *options, pid]  # valgrind's own tool, from PATH
        subprocess.run(command, check=True, capture_output=True)  # noqa: S603

    control("--zero")
    control("--instr=on")
    for call in calls:
        call()
    control("--instr=off")
    control("--dump")
    dumps = sorted(Path().glob(f"callgrind.out.{pid}.*"), key=lambda p: int(p.suffix[1:]))
    totals = next(line for line in dumps[-1].read_text().splitlines() if line.startswith("totals:"))
    for dump in dumps:
        dump.unlink()
    return int(totals.split()[1]) / n


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--callgrind", type=int, default=0, metavar="N",
        help="also count the instructions of N requests per path (run under valgrind "
        "--tool=callgrind --instr-atstart=no)",
    )  # fmt: skip
    parser.add_argument("--paths", default=",".join(PATHS))
    parser.add_argument("--profile", type=Path, default=None)
    args = parser.parse_args()
    names = [name.strip() for name in args.paths.split(",") if name.strip()]
    if unknown := set(names) - set(PATHS):
        raise SystemExit(f"bench.cpu: unknown paths {sorted(unknown)}; known: {PATHS}")
    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    ensure_database(database_url)
    stack = Stack(Processes(Path(tempfile.mkdtemp(prefix="undersigned-cpu-"))), database_url)
    migrate(stack.env)
    setup_django(stack.env)
    reset_tables()
    seed_debate(seed_petition())
    from django.core.management import call_command

    call_command("collectstatic", "--no-input", verbosity=0)  # as `undersigned serve` does
    from undersigned.config.wsgi import application

    client = Client(application, stack.port)
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    results: dict[str, dict[str, float]] = {}
    tag = f"{time.time_ns():x}"
    for name in names:
        if args.warmup:
            warm = args.warmup if name != "confirm" else min(args.warmup, args.requests // 4)
            measure(name, client, warm, f"{tag}w", None)
        # The least of several rounds: CPU time too grows when other programs share the cores.
        rounds = [
            measure(name, client, args.requests, f"{tag}r{i}", args.profile if i == 0 else None)
            for i in range(args.rounds)
        ]
        results[name] = (
            {key: min(row[key] for row in rounds) for key in rounds[0]} if rounds else {}
        )
        if args.callgrind:
            results[name]["instructions"] = callgrind(name, client, args.callgrind, f"{tag}c")
    print(f"{'path':8} {'app µs':>8} {'db µs':>8} {'total':>8} {'wall µs':>8} "
          f"{'app instructions':>17}  ratio to floor (CPU; instructions)")  # fmt: skip
    floors = {"sign": "insert", "confirm": "insert", "page": "hello", "count": "hello",
              "embed": "hello"}  # fmt: skip
    for name, row in results.items():
        row["total_us"] = row.get("app_us", 0) + row.get("db_us", 0)
        cells = [f"{row[key]:8.0f}" if key in row else f"{'':8}"
                 for key in ("app_us", "db_us", "total_us", "wall_us")]  # fmt: skip
        cells.append(f"{row['instructions']:17,.0f}" if "instructions" in row else f"{'':17}")
        floor = results.get(floors.get(name, ""))
        ratios = []
        for key in ("total_us", "instructions"):
            if floor and row.get(key) and floor.get(key):
                ratios.append(f"{floor[key] / row[key]:.0%}")
        if ratios:
            cells.append(f" {' ; '.join(ratios)} of {floors[name]}")
        print(f"{name:8} " + " ".join(cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
