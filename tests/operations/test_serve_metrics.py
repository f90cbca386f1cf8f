"""The real `undersigned serve` with two app workers: /metrics adds up both workers' requests,
and with LOG_FORMAT=json every line it writes is a JSON object."""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.fixtures.smtp import free_port
from tests.operations.helpers import TOKEN, samples


def get(url: str, **headers: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def test_metrics_add_up_every_app_worker_and_logs_are_json(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "undersigned.config.settings",
        "DEBUG": "true",
        "PORT": str(port),
        "UNDERSIGNED_DATA_DIR": str(tmp_path),
        "METRICS_TOKEN": TOKEN,
        "LOG_FORMAT": "json",
    }
    env.pop("DATABASE_URL", None)
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    cli = [sys.executable, "-m", "undersigned"]
    subprocess.run([*cli, "migrate", "-v0"], env=env, check=True, timeout=120)  # noqa: S603
    log = (tmp_path / "serve.log").open("w")
    serve = subprocess.Popen(  # noqa: S603
        [*cli, "serve", "--workers", "2"], env=env, stderr=log, stdout=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    answered = 0
    try:
        deadline = time.monotonic() + 60
        while answered == 0:
            try:
                answered += get(f"{base}/healthz")[0] == 200
            except OSError:
                assert time.monotonic() < deadline, "server did not come up"
                time.sleep(0.3)
        for _ in range(39):
            answered += get(f"{base}/healthz")[0] == 200
        assert get(f"{base}/metrics")[0] == 404  # no token

        status, text = get(f"{base}/metrics", Authorization=f"Bearer {TOKEN}")
        assert status == 200
        found = samples(text)
        key = ("undersigned_http_requests_total",
               frozenset({"group": "other", "method": "GET", "status": "200"}.items()))  # fmt: skip
        assert found[key] == answered == 40
        pids = {path.stem.split("_")[-1] for path in (tmp_path / "prometheus").glob("counter_*.db")}
        assert len(pids) == 2  # one file per app worker, added up by the scrape
    finally:
        serve.terminate()
        serve.wait(timeout=30)
        log.close()
    lines = [line for line in Path(log.name).read_text().splitlines() if line.strip()]
    parsed = [json.loads(line) for line in lines]
    access = [line for line in parsed if line["logger"] == "undersigned.requests"]
    assert len(access) >= 40
    assert all(line["route"] == "web:healthz" for line in access[:40])
