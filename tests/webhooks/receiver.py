"""A real webhook receiver: an HTTP server on 127.0.0.1, on a port of this helper's range
(20600-20699), that can be down (nothing listening: connection refused), up but failing
(503), or accepting — and keeps every request it was sent."""

from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PORTS = range(20600, 20700)


_handed_out: set[int] = set()  # ports given to a receiver or sink still in use


def release(port: int) -> None:
    _handed_out.discard(port)


def free_port() -> int:
    """A port of the range nothing listens on and no other fixture of this run holds (a
    receiver holds its port while down, with nothing listening)."""
    for port in PORTS:
        if port in _handed_out:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        _handed_out.add(port)
        return port
    raise RuntimeError("no free port in 20600-20699")


@dataclass
class Request:
    headers: dict[str, str]
    body: bytes
    received_at: int  # the receiver's clock (time-machine moves it too)
    answered: int

    @property
    def items(self) -> list[dict[str, Any]]:
        return json.loads(self.body)


@dataclass
class Receiver:
    port: int = field(default_factory=free_port)
    answer: int = 200
    answer_body: bytes = b'{"ok": true}'
    extra_headers: dict[str, str] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/undersigned"

    def start(self) -> None:
        if self.server is not None:
            return
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                with receiver.lock:
                    status = receiver.answer
                    receiver.requests.append(Request(
                        {key.lower(): value for key, value in self.headers.items()}, body,
                        int(time.time()), status,
                    ))  # fmt: skip
                self.send_response(status)
                for key, value in receiver.extra_headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(receiver.answer_body)))
                self.end_headers()
                self.wfile.write(receiver.answer_body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def accepted(self) -> list[Request]:
        with self.lock:
            return [request for request in self.requests if 200 <= request.answered < 300]
