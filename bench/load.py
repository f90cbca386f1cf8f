"""wrk: finding or installing it, running one Lua script against the server, reading its result.

Each Lua script (bench/lua/) prints one "BENCH_RESULT {json}" line; summarise() turns that
into the per-phase numbers stored in results/*.json.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

from bench.config import CONNECTIONS, LUA_DIR, THREADS, BenchError, log
from bench.processes import CpuMeter
from bench.stack import Stack


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


class Wrk:
    """wrk at the configured thread and connection counts, against the stack's server."""

    def __init__(self, executable: str, stack: Stack) -> None:
        self.executable = executable
        self.stack = stack

    def run(
        self,
        script: str,
        path: str,
        seconds: int,
        env: dict[str, str] | None = None,
        done_dir: Path | None = None,
    ) -> dict[str, Any]:
        """wrk's raw result, plus the CPU shares during the run under "cpu".

        With done_dir, wrk is stopped early once every thread has left a file there (the
        confirm script does when it runs out of tokens).
        """
        command = [
            self.executable, f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "5s",
            "-s", str(LUA_DIR / script), self.stack.url(path),
        ]  # fmt: skip
        wrk_env = {**os.environ, "BENCH_THREADS": str(THREADS), **(env or {})}
        if done_dir is not None:
            wrk_env["BENCH_DONE_DIR"] = str(done_dir)
        processes = self.stack.processes
        out_path = self.stack.work_dir / "wrk.out"
        with CpuMeter({"app": self.stack.server_pids()}) as meter:
            with out_path.open("wb") as out:
                process = subprocess.Popen(  # noqa: S603
                    command, env=wrk_env, stdout=out, stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL, start_new_session=True,
                )  # fmt: skip
            processes.adopt("wrk", process)
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
                processes.stop(process, grace=5)
        output = out_path.read_text(errors="replace")
        for line in output.splitlines():
            if line.startswith("BENCH_RESULT "):
                return {**json.loads(line.removeprefix("BENCH_RESULT ")), "cpu": meter.result}
        raise BenchError(f"wrk printed no result for {path}:\n{output}")


def summarise(raw: dict[str, Any], expect: int) -> dict[str, Any]:
    """One phase's numbers from wrk's raw result; expect is the status a success answers."""
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
