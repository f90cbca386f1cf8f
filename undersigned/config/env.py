"""Read configuration from environment variables, failing with a message, never a traceback.

Each reader names the variable and the form it expects, so an operator who mistypes a value
learns what to fix from the first line the process prints.
"""

from __future__ import annotations

import ipaddress
import os
from urllib.parse import urlsplit


class ConfigError(Exception):
    """A malformed or missing environment value; the message is meant for the operator."""


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name}={raw!r} is not a boolean; use one of: true, false, 1, 0, on, off.")


def env_int(name: str, default: int, *, minimum: int = 0, maximum: int = 2**31) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number.") from None
    if not minimum <= value <= maximum:
        raise ConfigError(f"{name}={raw!r} must be between {minimum} and {maximum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_networks(name: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    networks = []
    for item in env_list(name, []):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ConfigError(
                f"{name} contains {item!r}, which is not an address or CIDR network; "
                "expected a comma-separated list such as '127.0.0.1/32,10.0.0.0/8'."
            ) from None
    return networks


def env_url(name: str, default: str, schemes: set[str]) -> str:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    raw = raw.strip()
    parts = urlsplit(raw)
    if parts.scheme not in schemes:
        expected = ", ".join(f"{scheme}://…" for scheme in sorted(schemes))
        raise ConfigError(
            f"{name} must be a URL of the form {expected}; got scheme {parts.scheme!r}."
        )
    try:
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        raise ConfigError(
            f"{name} has a malformed port; expected e.g. {sorted(schemes)[0]}://host:1234."
        ) from None
    return raw
