"""The cluster test's load balancer: a few dozen lines of asyncio, in a thread of the test.

- Round robin over the app hosts, one request per connection (`Connection: close` both ways:
  the test's clients open a connection per request anyway).
- `X-Forwarded-For` as nginx's `$proxy_add_x_forwarded_for` sets it: the client's header, if
  any, then the address the connection came from. The app believes only the last hop its
  TRUSTED_PROXIES (this proxy's address on the bridge) put there, so a forged header counts
  for nothing.
- A host that refuses the connection is left out for DOWN_FOR seconds and the request goes
  to the next host: nothing had been sent, so that is safe for a POST. A host that fails
  after the request was sent (killed mid-request) gets the client a 502; a request is never
  sent twice, as no real balancer resends a POST.

Every request is logged (client, host, method, path, status) for the test's assertions.
"""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass, field

TIMEOUT = 10.0
CONNECT_TIMEOUT = 1.0
DOWN_FOR = 2.0
BAD_GATEWAY = b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
DROPPED = {b"connection", b"keep-alive", b"proxy-connection", b"x-forwarded-for"}


@dataclass(frozen=True)
class Passed:
    at: float  # time.monotonic() when the answer ended
    client: str
    host: str  # the backend's name; "" when none answered
    method: str
    path: str
    status: int  # 502: the host failed after the request was sent


@dataclass
class Proxy:
    listen: tuple[str, int]
    backends: dict[str, tuple[str, int]]  # name -> (address, port)
    log: list[Passed] = field(default_factory=list)
    down_until: dict[str, float] = field(default_factory=dict)
    turn: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="proxy", daemon=True)

    # -- control (from the test's thread) --

    def start(self) -> None:
        self.thread.start()
        opening = asyncio.start_server(self.handle, *self.listen, limit=2**16)
        self.server = asyncio.run_coroutine_threadsafe(opening, self.loop).result(10)

    def stop(self) -> None:
        if not self.thread.is_alive():
            return
        self.loop.call_soon_threadsafe(self.server.close)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)

    def url(self, path: str) -> str:
        return f"http://{self.listen[0]}:{self.listen[1]}{path}"

    def passed(self, **match: str | int) -> list[Passed]:
        with self.lock:
            return [p for p in self.log if all(getattr(p, k) == v for k, v in match.items())]

    # -- the proxy (in its thread) --

    def order(self) -> list[str]:
        """The hosts to try, starting with the next one's turn; the ones left out last."""
        names = list(self.backends)
        self.turn = (self.turn + 1) % len(names)
        names = names[self.turn :] + names[: self.turn]
        now = time.monotonic()
        return sorted(names, key=lambda name: self.down_until.get(name, 0.0) > now)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        client = writer.get_extra_info("peername")[0]
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), TIMEOUT)
            line, *lines = head[:-4].split(b"\r\n")
            headers = [tuple(part.strip() for part in h.split(b":", 1)) for h in lines]
            length = next((int(v) for k, v in headers if k.lower() == b"content-length"), 0)
            body = await asyncio.wait_for(reader.readexactly(length), TIMEOUT)
        except (OSError, ValueError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                TimeoutError):  # fmt: skip
            writer.close()
            return
        forwarded = [v for k, v in headers if k.lower() == b"x-forwarded-for"]
        kept = [k + b": " + v for k, v in headers if k.lower() not in DROPPED]
        kept.append(b"X-Forwarded-For: " + b", ".join([*forwarded, client.encode()]))
        request = b"\r\n".join([line, *kept, b"Connection: close", b"", b""]) + body
        host, status = await self.forward(request, writer)
        method, path = line.decode(errors="replace").split(" ")[:2]
        with self.lock:
            self.log.append(Passed(time.monotonic(), client, host, method, path, status))
        writer.close()

    async def forward(self, request: bytes, writer: asyncio.StreamWriter) -> tuple[str, int]:
        for name in self.order():
            try:
                connecting = asyncio.open_connection(*self.backends[name])
                up_reader, up_writer = await asyncio.wait_for(connecting, CONNECT_TIMEOUT)
            except (OSError, TimeoutError):
                self.down_until[name] = time.monotonic() + DOWN_FOR
                continue
            status = 0
            try:
                up_writer.write(request)
                await up_writer.drain()
                while chunk := await asyncio.wait_for(up_reader.read(2**16), TIMEOUT):
                    status = status or int(chunk.split(b" ", 2)[1])
                    writer.write(chunk)
                    await writer.drain()
            except (OSError, ValueError, IndexError, TimeoutError):
                pass
            finally:
                up_writer.close()
            if not status:
                writer.write(BAD_GATEWAY)
                return name, 502
            return name, status
        writer.write(BAD_GATEWAY)
        return "", 502
