"""The supervisor of `undersigned serve`: restarts a child that dies, gives up on a crash loop."""

import signal
import sys
import threading
import time

import pytest

from undersigned import supervisor
from undersigned.supervisor import Child, Supervisor


@pytest.fixture(autouse=True)
def quick_backoff(monkeypatch):
    monkeypatch.setattr(supervisor, "FIRST_BACKOFF", 0.05)
    monkeypatch.setattr(supervisor, "POLL", 0.02)
    previous = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    yield
    signal.signal(signal.SIGINT, previous[0])
    signal.signal(signal.SIGTERM, previous[1])


def starts(log) -> int:
    return len(log.read_text().splitlines()) if log.exists() else 0


def test_a_crash_loop_is_given_up_loudly_with_a_non_zero_exit(tmp_path, capsys):
    log = tmp_path / "starts"
    crash = f"open({str(log)!r}, 'a').write('x\\n'); raise SystemExit(3)"
    child = Child("task worker", [sys.executable, "-c", crash], backoff=0.05)
    started = time.monotonic()
    assert Supervisor([child], max_restarts=2, window=60).run() == 1
    assert starts(log) == 3  # the first start and two restarts, then no more
    assert time.monotonic() - started < 10
    err = capsys.readouterr().err
    assert "exited (code 3) 3 times within 60 s; giving up" in err


def test_a_dead_child_is_restarted_and_a_stop_ends_everything_with_0(tmp_path):
    log = tmp_path / "starts"
    # Dies on its first start, then keeps running until asked to stop.
    script = (
        "import os, signal, sys, time\n"
        f"log = {str(log)!r}\n"
        "first = not os.path.exists(log)\n"
        "open(log, 'a').write('x\\n')\n"
        "if first: sys.exit(1)\n"
        "signal.signal(signal.SIGINT, lambda *_: sys.exit(0))\n"
        "time.sleep(60)\n"
    )
    flaky = Child("task worker", [sys.executable, "-c", script], backoff=0.05)
    steady = Child("app server", [sys.executable, "-c", "import time; time.sleep(60)"])
    runner = Supervisor([steady, flaky], max_restarts=3, window=60)

    def stop_once_restarted() -> None:
        wait_for(lambda: starts(log) == 2)
        runner.stop()

    stopper = threading.Thread(target=stop_once_restarted)
    stopper.start()
    started = time.monotonic()
    assert runner.run() == 0
    stopper.join()
    assert starts(log) == 2
    assert flaky.process is not None and flaky.process.returncode == 0  # stopped, not killed
    assert steady.process is not None and steady.process.returncode is not None
    assert time.monotonic() - started < supervisor.STOP_GRACE


def wait_for(condition, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.02)
