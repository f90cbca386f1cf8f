"""Loopback helpers: a free port, waiting for a listener, a plain GET, a page's form fields."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import time
import urllib.error
import urllib.request
from html.parser import HTMLParser

from bench.config import HOST, BenchError


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float, process: subprocess.Popen, name: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"{name} exited with code {process.returncode} while starting")
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=0.5):
            return
        time.sleep(0.1)
    raise BenchError(f"{name} did not listen on {HOST}:{port} within {timeout:g} s")


_http = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never a proxy


def http_get(url: str, timeout: float = 10.0) -> tuple[int, str, list[str]]:
    """(status, body, Set-Cookie headers) of a GET on 127.0.0.1."""
    assert url.startswith(f"http://{HOST}:")
    try:
        with _http.open(url, timeout=timeout) as response:
            cookies = response.headers.get_all("Set-Cookie") or []
            return response.status, response.read().decode("utf-8", "replace"), cookies
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace"), []


class _HiddenInputs(HTMLParser):
    """The hidden inputs of the form whose action contains a given string."""

    def __init__(self, action_contains: str) -> None:
        super().__init__()
        self.action_contains = action_contains
        self.inside = False
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self.inside = self.action_contains in (attributes.get("action") or "")
        elif (
            tag == "input"
            and self.inside
            and (attributes.get("type") or "") == "hidden"
            and attributes.get("name")
        ):
            self.fields[attributes["name"] or ""] = attributes.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False


def form_fields(url: str, action_contains: str) -> tuple[dict[str, str], str]:
    """What a browser would send with this page's form: its hidden fields and cookies.

    Works whichever protection the form uses (a CSRF token with its cookie, or a signed form
    token): a token/cookie pair fetched once may be reused for every request.
    """
    status, body, set_cookies = http_get(url)
    if status != 200:
        raise BenchError(f"GET {url} answered {status}")
    parser = _HiddenInputs(action_contains)
    parser.feed(body)
    if not parser.fields and f'action="{action_contains}' not in body:
        raise BenchError(f"no form posting to …{action_contains}… on {url}")
    cookie = "; ".join(header.split(";", 1)[0] for header in set_cookies)
    return parser.fields, cookie
