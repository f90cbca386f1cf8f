"""One POST to a receiver, as Standard Webhooks asks ("Delivery success and failure"):

- https only, to a public address. The host is resolved here and the connection made to the
  address checked, never to a second lookup (DNS rebinding), so an endpoint cannot reach the
  site's own network (SSRF). WEBHOOK_LOCAL_RECEIVERS (DEBUG's value by default) allows
  http:// to 127.0.0.1 and localhost, for development and the tests.
- A timeout (WEBHOOK_TIMEOUT_SECONDS) on the connection and on each read; no redirect is
  followed (a 3xx is a failure); only the first EXCERPT_LENGTH bytes of the answer are read.
- 2xx is success; anything else, or no answer, a failure with a short reason code.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from undersigned.webhooks.models import EXCERPT_LENGTH, Failure

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]", "::1"})
USER_AGENT = "Undersigned-Webhooks/1 (+https://www.standardwebhooks.com/)"


@dataclass(frozen=True)
class Answer:
    status: int | None = None
    failure: str = ""  # a Failure value; "" when delivered
    excerpt: str = ""
    retry_after: int | None = None  # seconds, from a Retry-After header

    @property
    def delivered(self) -> bool:
        return not self.failure


def url_problem(url: str) -> str | None:
    """Why this URL may not be an endpoint, or None. (Addresses a name resolves to are
    checked again when sending.)"""
    parts = urlsplit(url)
    host = parts.hostname or ""
    local = settings.WEBHOOK_LOCAL_RECEIVERS and host in LOCAL_HOSTS
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        return "scheme"
    if not host or parts.username or parts.password or parts.fragment:
        return "form"
    try:
        port = parts.port
    except ValueError:
        return "form"
    if port == 0:
        return "form"
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None  # a name
    return None if _allowed(address) else "address"


def _allowed(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if address.is_loopback:
        return settings.WEBHOOK_LOCAL_RECEIVERS
    return address.is_global


def _resolve(host: str, port: int) -> str | None:
    """The first address `host` resolves to, if every one of them is allowed."""
    if settings.WEBHOOK_LOCAL_RECEIVERS and host == "localhost":
        return "127.0.0.1"
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return None
    addresses = [str(info[4][0]) for info in infos]
    if not addresses or not all(_allowed(ipaddress.ip_address(a)) for a in addresses):
        return None
    return addresses[0]


def post(url: str, body: bytes, headers: dict[str, str]) -> Answer:
    if url_problem(url) is not None:
        return Answer(failure=Failure.ADDRESS)
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = _resolve(host.strip("[]"), port)
    if address is None:
        return Answer(failure=Failure.ADDRESS)
    timeout = settings.WEBHOOK_TIMEOUT_SECONDS
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        sock = socket.create_connection((address, port), timeout=timeout)
        if parts.scheme == "https":
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=host)
        connection.sock = sock  # http.client uses it instead of connecting again
        connection.request("POST", path, body=body, headers={
            "Content-Type": "application/json", "User-Agent": USER_AGENT, **headers,
        })  # fmt: skip
        response = connection.getresponse()
        excerpt = response.read(EXCERPT_LENGTH).decode("utf-8", "replace")
        return _answer(response.status, excerpt, response.getheader("Retry-After"))
    except (ssl.SSLError, ssl.CertificateError):
        return Answer(failure=Failure.TLS)
    except TimeoutError:
        return Answer(failure=Failure.TIMEOUT)
    except (OSError, http.client.HTTPException):
        return Answer(failure=Failure.REFUSED)
    finally:
        connection.close()


def _answer(status: int, excerpt: str, retry_after: str | None) -> Answer:
    seconds = int(retry_after) if retry_after and retry_after.isdigit() else None
    if 200 <= status < 300:
        return Answer(status=status, excerpt=excerpt)
    failure = Failure.REDIRECT if 300 <= status < 400 else Failure.STATUS
    return Answer(status=status, failure=failure, excerpt=excerpt, retry_after=seconds)
