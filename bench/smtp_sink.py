"""A counting SMTP sink for `make bench`: accepts every message on 127.0.0.1, keeps a count.

Run as `python -m bench.smtp_sink --port N --count-file PATH`. The count is written to the
file (atomically) whenever it changes, checked every 20 ms; SIGINT or SIGTERM stops it.
Messages are not parsed or stored, so the sink costs as little CPU as aiosmtpd allows.
"""

from __future__ import annotations

import argparse
import os
import signal
import threading
from pathlib import Path
from typing import Any


class Counter:
    def __init__(self) -> None:
        self.messages = 0
        self.recipients = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages += 1
        self.recipients += len(envelope.rcpt_tos)
        return "250 OK"


def _write(path: Path, counter: Counter) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(f"{counter.messages} {counter.recipients}\n")
    os.replace(tmp, path)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.smtp_sink")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--count-file", type=Path, required=True)
    args = parser.parse_args()

    from aiosmtpd.controller import Controller

    counter = Counter()
    stopping = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stopping.set())
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    controller = Controller(counter, hostname="127.0.0.1", port=args.port)
    controller.start()
    written = -1
    try:
        _write(args.count_file, counter)
        while not stopping.wait(0.02):
            if counter.messages != written:
                written = counter.messages
                _write(args.count_file, counter)
    finally:
        controller.stop()
        _write(args.count_file, counter)


if __name__ == "__main__":
    main()
