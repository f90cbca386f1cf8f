"""Facts about the machine and the code, stored with the results so runs can be compared."""

from __future__ import annotations

import contextlib
import importlib.metadata
import os
import platform
import shutil
import subprocess
from pathlib import Path
from typing import Any

from bench.config import PROJECT_DIR


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
