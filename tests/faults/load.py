"""A steady sign + confirm load over http.client, as signers would make it.

Signers post the sign form at a steady rate (each from its own random address, believed
through X-Forwarded-For); a signature is *acknowledged* when the site answers 303. Each
confirmation email the sink receives hands its link to the confirmers, who open it (GET)
and press the button (POST); a confirmation is acknowledged on 303. A request that fails
is retried later, as a person would, and every request's outcome is kept with its time.
"""

from __future__ import annotations

import http.client
import queue
import random
import re
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

FORM_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')
TIMEOUT = 5.0


@dataclass
class Outcome:
    at: float  # time.monotonic()
    ok: bool


@dataclass
class Load:
    port: int
    slug: str
    tag: str
    signs_per_second: float = 12.0
    signers: int = 3
    confirmers: int = 2
    confirm_delay: float = 0.3  # seconds between an email's arrival and its link's click
    acknowledged: dict[str, float] = field(default_factory=dict)  # email -> time of its 303
    confirmed: set[str] = field(default_factory=set)  # emails whose confirmation got a 303
    outcomes: list[Outcome] = field(default_factory=list)
    tokens: queue.Queue[tuple[float, str, str]] = field(default_factory=queue.Queue)
    lock: threading.Lock = field(default_factory=threading.Lock)
    signing: threading.Event = field(default_factory=threading.Event)
    stopping: threading.Event = field(default_factory=threading.Event)
    threads: list[threading.Thread] = field(default_factory=list)

    # -- plumbing --

    def request(
        self, method: str, path: str, body: dict[str, str] | None = None, ip: str = ""
    ) -> tuple[int, str]:
        connection, headers = self.connection(ip)
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            return response.status, response.read().decode(errors="replace")
        except (OSError, http.client.HTTPException):
            return 0, ""
        finally:
            connection.close()

    def connection(self, ip: str) -> tuple[http.client.HTTPConnection, dict[str, str]]:
        """A connection to the site, and the headers that say whom it is from (`ip`, else a
        random address)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        return connection, {"X-Forwarded-For": ip or random_ip()}

    def note(self, ok: bool) -> None:
        with self.lock:
            self.outcomes.append(Outcome(time.monotonic(), ok))

    def form_token(self, path: str) -> str | None:
        status, html = self.request("GET", path)
        match = FORM_TOKEN.search(html) if status == 200 else None
        return match.group(1) if match else None

    # -- the two kinds of people --

    def sign_loop(self, number: int) -> None:
        interval = self.signers / self.signs_per_second
        token: str | None = None
        token_at = 0.0
        sent = 0
        next_at = time.monotonic()
        while self.signing.is_set():
            now = time.monotonic()
            if now < next_at:
                time.sleep(min(0.05, next_at - now))
                continue
            next_at += interval
            if token is None or now - token_at > 60:
                token = self.form_token(f"/petitions/{self.slug}/")
                token_at = now
                if token is None:
                    self.note(False)
                    continue
            sent += 1
            address = f"{self.tag}-{number}-{sent}@example.org"
            form = {
                "form_token": token, "name": "Fault Signer", "email": address,
                "country": random.choice(["DE", "FR", "ES", "KE", "BR"]),
                "privacy_consent": "on",
            }  # fmt: skip
            status, _ = self.request("POST", f"/petitions/{self.slug}/sign/", form)
            self.note(status == 303)
            if status == 303:
                with self.lock:
                    self.acknowledged[address] = time.monotonic()
            elif status == 403:
                token = None  # a form token the site no longer takes: fetch a fresh one

    def link_received(self, recipient: str, token: str) -> None:
        self.tokens.put((time.monotonic() + self.confirm_delay, recipient, token))

    def confirm_loop(self) -> None:
        while not (self.stopping.is_set() and self.tokens.empty()):
            try:
                due, recipient, token = self.tokens.get(timeout=0.1)
            except queue.Empty:
                continue
            if recipient in self.confirmed:
                continue  # a duplicate email: the person confirmed already
            wait = due - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            path = f"/confirm/{token}/"
            form_token = self.form_token(path)
            status = 0
            if form_token is not None:
                status, _ = self.request("POST", path, {"form_token": form_token})
            self.note(status == 303)
            if status == 303:
                with self.lock:
                    self.confirmed.add(recipient)
            else:  # try again in a moment, as a person would
                self.tokens.put((time.monotonic() + 0.5, recipient, token))

    # -- control --

    def start(self) -> None:
        self.signing.set()
        for number in range(self.signers):
            self.threads.append(threading.Thread(target=self.sign_loop, args=(number,)))
        for _ in range(self.confirmers):
            self.threads.append(threading.Thread(target=self.confirm_loop))
        for thread in self.threads:
            thread.daemon = True
            thread.start()

    def stop_signing(self) -> None:
        self.signing.clear()

    def stop(self) -> None:
        self.signing.clear()
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=30)

    def failures_between(self, start: float, end: float) -> list[Outcome]:
        with self.lock:
            return [o for o in self.outcomes if start <= o.at <= end and not o.ok]

    def answering_again(self, since: float) -> float | None:
        """Seconds after `since` of the first success that no failure followed."""
        with self.lock:
            after = [o for o in self.outcomes if o.at >= since]
        last_failure = max((o.at for o in after if not o.ok), default=None)
        later = [o.at for o in after if o.ok and (last_failure is None or o.at > last_failure)]
        return round(min(later) - since, 2) if later else None


def random_ip() -> str:
    first = random.randint(1, 222)
    if first >= 127:
        first += 1  # never 127/8: the trusted proxy
    rest = [random.randint(0, 255) for _ in range(2)]
    return f"{first}.{rest[0]}.{rest[1]}.{random.randint(1, 254)}"
