"""Starting and stopping the bench's processes by PID, and metering where the CPU went.

Linux only: both read /proc.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

from bench.config import PROJECT_DIR, log


def descendants(pid: int) -> list[int]:
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

    def adopt(self, name: str, process: subprocess.Popen) -> None:
        """Track a process started elsewhere, so that stop_all() stops it too."""
        self.running.append((name, process, []))

    def remember_children(self, process: subprocess.Popen) -> None:
        """Note the process's descendants now (granian's workers), to check them at stop."""
        for index, (name, known, pids) in enumerate(self.running):
            if known is process:
                self.running[index] = (name, known, sorted({*pids, *descendants(process.pid)}))

    def pids_of(self, process: subprocess.Popen) -> set[int]:
        """The process and its known and current descendants; empty once it is stopped."""
        for _name, known, pids in self.running:
            if known is process:
                return {process.pid, *pids, *descendants(process.pid)}
        return set()

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
        children = sorted({*known_children, *descendants(process.pid)})
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
