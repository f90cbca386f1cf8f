"""Network namespaces for the cluster test: one per app host, joined by veth pairs to a
bridge in the test's own namespace, where PostgreSQL, Redis, the SMTP sink and the proxy
listen on the bridge's address.

```
 test process: proxy 127.0.0.1:P ─┐                      ┌─ <tag>-a: 10.231.N.10 (app + worker)
 PostgreSQL, Redis, SMTP sink      ├── <tag>br 10.231.N.1 ┤
 on 10.231.N.1                    ─┘                      └─ <tag>-b: 10.231.N.11 (app + worker)
```

Every name starts with "ucl" and the creating process's id in hex (`<tag>`), so the test
removes only what it made, and what a killed run left behind (its process is gone). The
subnet is a 10.231.N.0/24 that no interface on the machine uses. Needs root (CI is root).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
from dataclasses import dataclass, field

PREFIX = "ucl"
LEFTOVER = re.compile(rf"^{PREFIX}([0-9a-f]{{6}})-[a-z]$")


def ip(*args: str, check: bool = True) -> str:
    command = [shutil.which("ip") or "/usr/sbin/ip", *args]
    done = subprocess.run(command, check=False, capture_output=True, text=True, timeout=30)  # noqa: S603
    if check and done.returncode != 0:
        raise RuntimeError(f"ip {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout


def namespaces() -> list[str]:
    return [line.split()[0] for line in ip("netns", "list").splitlines() if line.strip()]


def pids_in(namespace: str) -> list[int]:
    """Every process in the namespace (all of them started by this test)."""
    return [int(pid) for pid in ip("netns", "pids", namespace, check=False).split()]


def kill_all_in(namespace: str) -> list[int]:
    """SIGKILL every process of the namespace, as a host losing power would; their pids."""
    killed = pids_in(namespace)
    for pid in killed:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return killed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_leftovers() -> None:
    """Namespaces and bridges of earlier runs whose process is gone (a run killed outright
    cannot run its finalisers)."""
    for name in namespaces():
        match = LEFTOVER.match(name)
        if match and not _alive(int(match.group(1), 16)):
            kill_all_in(name)
            ip("netns", "del", name, check=False)
    for line in ip("-o", "link", "show", "type", "bridge").splitlines():
        bridge = line.split(":")[1].strip().split("@")[0]
        match = re.match(rf"^{PREFIX}([0-9a-f]{{6}})br$", bridge)
        if match and not _alive(int(match.group(1), 16)):
            ip("link", "del", bridge, check=False)


def free_subnet() -> int:
    """N of a 10.231.N.0/24 no address or route on this machine is in."""
    used = ip("-4", "addr") + ip("-4", "route")
    start = os.getpid() % 200 + 20
    for offset in range(250):
        n = (start + offset) % 250 + 1
        if f"10.231.{n}." not in used:
            return n
    raise RuntimeError("no free 10.231.N.0/24")


@dataclass
class Network:
    """The bridge and one namespace per host, named `<tag>-a`, `<tag>-b`, …"""

    hosts: int = 2
    tag: str = field(default_factory=lambda: f"{PREFIX}{os.getpid():06x}")
    subnet: int = 0
    created: list[str] = field(default_factory=list)

    @property
    def bridge(self) -> str:
        return f"{self.tag}br"

    @property
    def gateway(self) -> str:
        """The test's own address on the bridge: the proxy's, PostgreSQL's, Redis's."""
        return f"10.231.{self.subnet}.1"

    def namespace(self, index: int) -> str:
        return f"{self.tag}-{chr(ord('a') + index)}"

    def address(self, index: int) -> str:
        return f"10.231.{self.subnet}.{10 + index}"

    def create(self) -> None:
        remove_leftovers()
        self.subnet = self.subnet or free_subnet()
        ip("link", "add", self.bridge, "type", "bridge")
        self.created.append(self.bridge)
        ip("addr", "add", f"{self.gateway}/24", "dev", self.bridge)
        ip("link", "set", self.bridge, "up")
        for index in range(self.hosts):
            namespace, letter = self.namespace(index), chr(ord("a") + index)
            outside, inside = f"{self.tag}{letter}0", f"{self.tag}{letter}1"
            ip("netns", "add", namespace)
            self.created.append(namespace)
            ip("link", "add", outside, "type", "veth", "peer", "name", inside)
            ip("link", "set", outside, "master", self.bridge)
            ip("link", "set", outside, "up")
            ip("link", "set", inside, "netns", namespace)
            ip("-n", namespace, "link", "set", inside, "name", "eth0")
            ip("-n", namespace, "addr", "add", f"{self.address(index)}/24", "dev", "eth0")
            ip("-n", namespace, "link", "set", "eth0", "up")
            ip("-n", namespace, "link", "set", "lo", "up")

    def remove(self) -> None:
        """Kill what still runs in the namespaces, then delete them, their veth pairs and
        the bridge."""
        for name in reversed(self.created):
            if name == self.bridge:
                ip("link", "del", name, check=False)
            else:
                kill_all_in(name)
                # Deleting the namespace deletes the pair too, but later: delete it now.
                ip("link", "del", f"{self.tag}{name[-1]}0", check=False)
                ip("netns", "del", name, check=False)
        self.created.clear()

    def leftovers(self) -> list[str]:
        """What of ours is still on the machine (the teardown checks it is nothing)."""
        found = [name for name in namespaces() if name.startswith(self.tag)]
        links = ip("-o", "link").split("\n")
        found += [line.split(":")[1].strip() for line in links if f" {self.tag}" in line]
        return found
