"""The cluster test (marker `cluster`, `make cluster-test`): two app hosts, each running
`undersigned serve --with-worker` in a network namespace of its own, sharing one PostgreSQL
and one Redis, behind a round-robin proxy that sets X-Forwarded-For (tests/cluster/proxy.py).

It needs root (`ip netns`), PostgreSQL's server binaries and redis-server; CI has all three
and runs it from `.ci/run`. It runs only when asked for (`-m cluster`, or tests/cluster by
path), never as part of `make test`. Everything it starts — namespaces, veth pairs, the
bridge, PostgreSQL, Redis, the SMTP sink, the proxy, the hosts' processes — it stops again,
also when a test fails; numbers go to test-artifacts/cluster.json (docs/scaling.md quotes
them).
"""

from __future__ import annotations

import functools
import http.client
import logging
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.cluster.network import Network, kill_all_in, pids_in
from tests.cluster.proxy import Proxy
from tests.faults.conftest import Stack, record
from tests.faults.load import TIMEOUT, Load, random_ip
from tests.faults.parts import (
    PROJECT_DIR,
    SLUG,
    FaultSink,
    PostgresCluster,
    RedisServer,
    app_env,
    prepare_template,
    tool,
    wait_until,
)

ARTIFACT = PROJECT_DIR / "test-artifacts" / "cluster.json"
PORT_BASE = int(os.environ.get("CLUSTER_PORT_BASE", "20300"))  # 100 ports from here
APP_PORT = 8000  # inside each host's namespace
HOSTS = 2
SIGNS_PER_IP_PER_MINUTE = 10  # the flood ceiling the rate-limit test runs into
LIMITS_SLUG = "cluster-limits"
FRESH_SLUG = "cluster-fresh"
EDITOR = "cluster-editor"

# The petitions of the rate-limit and the freshness tests, and a staff member who edits.
SEED = f"""
from datetime import timedelta
from django.contrib.auth.models import User
from django.utils import timezone, translation
from undersigned.campaigns.models import Membership, Role
from undersigned.petitions import services as petitions
from undersigned.petitions.models import Petition, PetitionStatus
with translation.override("en"):
    case = Petition.objects.get(slug="{SLUG}").case
    for slug in ("{LIMITS_SLUG}", "{FRESH_SLUG}"):
        petitions.upsert_petition(
            case, slug, title_en="Counted on every host", target_en="The operator",
            demand_en="One count.", goal=1000, opens_at=timezone.now() - timedelta(days=1),
            closes_at=None, status=PetitionStatus.OPEN,
        )
    editor = User.objects.create_user("{EDITOR}")
    Membership.objects.create(user=editor, organisation=case.organisation, role=Role.EDITOR)
"""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the cluster test only when asked for by marker or by path."""
    asked = "cluster" in (config.option.markexpr or "") or any(
        "tests/cluster" in arg for arg in config.args
    )
    if asked:
        return
    ours = [item for item in items if item.get_closest_marker("cluster")]
    if ours:
        items[:] = [item for item in items if not item.get_closest_marker("cluster")]
        config.hook.pytest_deselected(items=ours)


def _missing() -> list[str]:
    missing = []
    if os.geteuid() != 0:
        missing.append("root (for ip netns)")
    for name in ("ip", "initdb", "pg_ctl", "redis-server"):
        try:
            tool(name)
        except FileNotFoundError:
            missing.append(name)
    return missing


class Ports:
    """Ports of our range (CLUSTER_PORT_BASE, 100 of them) free on every given address."""

    def __init__(self, *addresses: str) -> None:
        self.addresses = addresses
        self.next = PORT_BASE

    def take(self) -> int:
        while self.next < PORT_BASE + 100:
            port, self.next = self.next, self.next + 1
            if all(_free(address, port) for address in self.addresses):
                return port
        raise RuntimeError(f"no free port left in {PORT_BASE}-{PORT_BASE + 99}")


def _free(address: str, port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind((address, port))
        except OSError:
            return False
        return True


@dataclass
class Host:
    """One app host: `undersigned serve --with-worker` in its own network namespace."""

    name: str
    namespace: str
    address: str
    env: dict[str, str]
    log: Path
    process: subprocess.Popen | None = None

    def in_namespace(self, *command: str) -> list[str]:
        return [shutil.which("ip") or "/usr/sbin/ip", "netns", "exec", self.namespace, *command]

    def start(self) -> None:
        serve = [sys.executable, "-m", "undersigned", "serve", "--with-worker", "--workers", "1",
                 "--no-collectstatic", "--host", self.address]  # fmt: skip
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(  # noqa: S603
                self.in_namespace(*serve), env=self.env, cwd=PROJECT_DIR,
                stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip

    def url(self, path: str) -> str:
        return f"http://{self.address}:{APP_PORT}{path}"

    def healthz(self, query: str = "") -> int:
        try:
            with urllib.request.urlopen(self.url(f"/healthz{query}"), timeout=3) as answer:  # noqa: S310
                return int(answer.status)
        except urllib.error.HTTPError as error:
            return int(error.code)
        except OSError:
            return 0

    def answering(self) -> bool:
        return self.healthz() == 200

    def get(self, path: str) -> str:
        """GET from this host directly (from the bridge's address, which it trusts)."""
        with urllib.request.urlopen(self.url(path), timeout=TIMEOUT) as answer:  # noqa: S310
            return str(answer.read().decode())

    def shell(self, code: str) -> None:
        """Python in `undersigned shell` on this host (a staff edit through a service)."""
        command = self.in_namespace(sys.executable, "-m", "undersigned", "shell", "-c", code)
        done = subprocess.run(  # noqa: S603
            command, env=self.env, cwd=PROJECT_DIR, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr[-3000:]

    def kill(self) -> list[int]:
        """SIGKILL every process of the host at once: the app server, its workers, the task
        worker and `serve` itself, as when the machine loses power."""
        return kill_all_in(self.namespace)

    def ask_to_stop(self) -> None:
        """SIGINT to `serve`, as systemd would stop it; it stops its children."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)

    def stop(self, grace: float = 30.0) -> int | None:
        """Stop the host (asked first, killed after `grace` seconds); `serve`'s exit code."""
        code = None
        if self.process is not None:
            self.ask_to_stop()
            try:
                self.process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            code = self.process.returncode
        kill_all_in(self.namespace)
        return code

    def running(self) -> bool:
        return bool(pids_in(self.namespace))


class PeerSink(FaultSink):
    """The SMTP sink, also counting the messages each host's worker handed it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.peers: Counter[str] = Counter()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        answer = await super().handle_DATA(server, session, envelope)
        with self.lock:
            self.peers[session.peer[0]] += len(envelope.rcpt_tos)
        return answer


@dataclass
class ProxiedLoad(Load):
    """The fault tests' sign + confirm load, through the proxy: each request comes from a
    random address of 127/8 (the proxy sees it as the client's), so nobody's X-Forwarded-For
    is believed but the proxy's."""

    forge: bool = False  # claim a random X-Forwarded-For of our own, as a forger would

    def connection(self, ip: str) -> tuple[http.client.HTTPConnection, dict[str, str]]:
        source = ip or random_loopback()
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=TIMEOUT, source_address=(source, 0)
        )
        return connection, {"X-Forwarded-For": random_ip()} if self.forge else {}


@dataclass
class HostLoad(Load):
    """Requests straight to one host (`address`:APP_PORT), from the bridge's address, which
    the hosts trust as their proxy: X-Forwarded-For names the client."""

    address: str = ""

    def connection(self, ip: str) -> tuple[http.client.HTTPConnection, dict[str, str]]:
        connection = http.client.HTTPConnection(self.address, self.port, timeout=TIMEOUT)
        return connection, {"X-Forwarded-For": ip or random_ip()}


def random_loopback() -> str:
    """A client address: all of 127/8 is this machine's, so a client can send from any."""
    return f"127.{random.randint(1, 254)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


@dataclass
class Links:
    """Hands each confirmation link the sink receives to the running load, and keeps it."""

    load: Load | None = None
    tokens: dict[str, str] = field(default_factory=dict)

    def received(self, recipient: str, token: str) -> None:
        self.tokens[recipient] = token
        if self.load is not None:
            self.load.link_received(recipient, token)


@dataclass
class Cluster:
    network: Network
    postgres: PostgresCluster
    redis: RedisServer
    sink: PeerSink
    proxy: Proxy
    hosts: list[Host]
    links: Links

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return self.postgres.query(sql, params)

    def load(self, tag: str, slug: str = SLUG, **options: Any) -> ProxiedLoad:
        """A load through the proxy; the confirmation links the sink receives go to it."""
        load = ProxiedLoad(port=self.proxy.listen[1], slug=slug, tag=tag, **options)
        self.links.load = load
        return load

    def on(self, host: Host, slug: str) -> HostLoad:
        """Requests to one host only (the load's threads are not started)."""
        return HostLoad(port=APP_PORT, slug=slug, tag=f"on-{host.name}", address=host.address)

    def stack(self, load: Load) -> Stack:
        """The fault tests' checks (settle_and_check) over this cluster: count.json through
        the proxy, rows and counts from the shared PostgreSQL."""
        site: Any = self.proxy  # has url(path), all settle_and_check asks of a site
        return Stack(self.postgres, self.redis, self.sink, site, load, artifact=ARTIFACT)


def _connect(cluster: PostgresCluster) -> Any:
    return psycopg.connect(
        host="127.0.0.1", port=cluster.port, user="postgres", dbname="postgres", autocommit=True
    )


@pytest.fixture(autouse=True)
def quiet_sink_log() -> None:
    logging.getLogger("mail.log").setLevel(logging.WARNING)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    missing = _missing()
    if missing:
        message = f"the cluster test needs {', '.join(missing)}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    network = Network(hosts=HOSTS)
    started: list[tuple[str, Any]] = []  # (what, how to stop it), stopped in reverse
    try:
        network.create()
        yield _build(network, started)
    finally:
        took = Took()
        for what, stop in reversed(started):
            stop()
            took(what)
        network.remove()
        took("network")
        record("teardown", took.phases, ARTIFACT)
        assert not network.leftovers(), network.leftovers()


def _build(network: Network, started: list[tuple[str, Any]]) -> Cluster:
    """PostgreSQL, Redis and the SMTP sink on the bridge's address, the hosts, the proxy."""
    gateway = network.gateway
    ports = Ports("127.0.0.1", gateway)
    took = Took()
    # In memory where there is a tmpfs: the cluster's thousands of files are written by
    # migrate and deleted at the end, both several times faster than on a busy disk
    # (mkdtemp makes a directory of its own there, mode 0700).
    shm = "/dev/shm"  # noqa: S108
    postgres = PostgresCluster.initdb(under=shm if os.path.isdir(shm) else None)
    started.append(("postgres", postgres.remove))
    postgres.port = ports.take()
    postgres.listen_addresses = f"127.0.0.1,{gateway}"
    with (postgres.data_dir / "pg_hba.conf").open("a") as hba:
        hba.write(f"host all all 10.231.{network.subnet}.0/24 trust\n")
    postgres.start()
    with _connect(postgres) as conn:
        conn.execute("CREATE DATABASE undersigned")
    base = postgres.data_dir.parent
    took("postgres")
    prepare_template(app_env(postgres, 1, "", 1, base / "var"))
    took("migrate_and_collectstatic")

    redis = RedisServer(base, host=gateway, port=ports.take(), password=secrets.token_hex(16))
    redis.start()
    started.append(("redis", redis.kill))
    sink = PeerSink(host=gateway, port=ports.take())
    links = Links()
    sink.on_link = links.received
    serving = sink.serving()
    serving.__enter__()
    started.append(("smtp_sink", lambda: serving.__exit__(None, None, None)))

    proxy_port = ports.take()
    shared = app_env(postgres, sink.port, redis.url, APP_PORT, base / "var")
    shared.update(
        {
            "DATABASE_URL": f"postgres://postgres@{gateway}:{postgres.port}/undersigned",
            "EMAIL_URL": f"smtp://{gateway}:{sink.port}?timeout=5",
            "ALLOWED_HOSTS": ",".join(["127.0.0.1", *map(network.address, range(HOSTS))]),
            "TRUSTED_PROXIES": f"{gateway}/32",
            "SITE_URL": f"http://127.0.0.1:{proxy_port}",
            "WEB_WORKERS": "1",
            "SIGNS_PER_IP_PER_MINUTE": str(SIGNS_PER_IP_PER_MINUTE),
        }
    )
    hosts = []
    for index in range(HOSTS):
        name = chr(ord("a") + index)
        data_dir = base / f"host-{name}"  # each host its own disk: the static files copied
        shutil.copytree(base / "var", data_dir, symlinks=True)
        env = {**shared, "UNDERSIGNED_DATA_DIR": str(data_dir)}
        host = Host(name, network.namespace(index), network.address(index), env,
                    base / f"host-{name}.log")  # fmt: skip
        hosts.append(host)
    for host in hosts:
        host.start()
    started.append(("hosts", functools.partial(_stop_hosts, hosts)))
    for host in hosts:
        wait_until(host.answering, 60, f"host {host.name} answering")
    took("hosts_answering")
    hosts[0].shell(SEED)
    took("seed")

    backends = {host.name: (host.address, APP_PORT) for host in hosts}
    proxy = Proxy(("127.0.0.1", proxy_port), backends)
    proxy.start()
    started.append(("proxy", proxy.stop))
    record("setup", took.phases, ARTIFACT)
    return Cluster(network, postgres, redis, sink, proxy, hosts, links)


class Took:
    """Seconds each phase of the setup took."""

    def __init__(self) -> None:
        self.phases: dict[str, float] = {}
        self.last = time.monotonic()

    def __call__(self, phase: str) -> None:
        now = time.monotonic()
        self.phases[f"{phase}_s"] = round(now - self.last, 2)
        self.last = now


def _stop_hosts(hosts: list[Host]) -> None:
    """Ask every host's `serve` to stop at once (SIGINT, as systemd would), then wait; a host
    that does not stop cleanly shows its log. A killed host has nothing left to stop."""
    for host in hosts:
        host.ask_to_stop()
    for host in hosts:
        code = host.stop()
        if code not in (0, None, -signal.SIGKILL):
            print(host.log.read_text(errors="replace")[-4000:], file=sys.stderr)
