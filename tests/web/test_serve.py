"""`undersigned serve --with-worker` serves, and one Ctrl-C stops the server and the worker."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.fixtures.smtp import free_port


def children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def test_one_ctrl_c_stops_the_server_and_the_worker(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "undersigned.config.settings",
        "DEBUG": "true",
        "PORT": str(port),
        "UNDERSIGNED_DATA_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    cli = [sys.executable, "-m", "undersigned"]
    subprocess.run([*cli, "migrate", "-v0"], env=env, check=True, timeout=120)  # noqa: S603
    serve = subprocess.Popen([*cli, "serve", "--with-worker"], env=env)  # noqa: S603
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    assert r.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, "server did not come up"
                time.sleep(0.3)
        children = children_of(serve.pid)
        assert len(children) == 2  # granian and the worker

        serve.send_signal(signal.SIGINT)
        assert serve.wait(timeout=20) == 0
        for child in children:
            assert (
                not Path(f"/proc/{child}").exists()
                or "Z" in Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[0]
            )
    finally:
        if serve.poll() is None:
            serve.kill()
