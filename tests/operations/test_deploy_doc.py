"""docs/deploy.md's files are real: its units start commands our CLI has, its environment file
names only variables the settings read (and loads them), its proxy and scrape configuration
point where the other files say."""

from __future__ import annotations

import ast
import ipaddress
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import get_commands, load_command_class

from tests.operations.helpers import scrape
from undersigned.cli import serve_parser

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "deploy.md"
CLI = "/srv/undersigned/.venv/bin/undersigned"
UNITS = ("/etc/systemd/system/undersigned-app.service",
         "/etc/systemd/system/undersigned-worker.service")  # fmt: skip
ENV_FILE = "/etc/undersigned/undersigned.env"
CADDYFILE = "/etc/caddy/Caddyfile"


def files() -> dict[str, str]:
    """Each fenced block whose first line is `# <path>`: {path: text}."""
    found = {}
    for block in re.findall(r"^```[a-z]*\n(.*?)^```", DOC.read_text(), re.M | re.S):
        first = block.splitlines()[0]
        if first.startswith("# /"):
            found[first[2:].split()[0]] = block
    return found


def unit(text: str) -> dict[str, dict[str, list[str]]]:
    """A systemd unit as systemd reads it: [Section], Key=value (a key may repeat)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        assert current is not None, f"a key outside any section: {line!r}"
        key, equals, value = line.partition("=")
        assert equals and key.strip() == key and key, f"not Key=value: {line!r}"
        current.setdefault(key, []).append(value.strip())
    return sections


def environment() -> dict[str, str]:
    values = {}
    for line in files()[ENV_FILE].splitlines():
        if line.strip() and not line.startswith("#"):
            name, equals, value = line.partition("=")
            assert equals and re.fullmatch(r"[A-Z][A-Z0-9_]*", name), line
            values[name] = value
    return values


def variables_the_code_reads() -> set[str]:
    """Names read by settings.py's env_* readers and by the CLI's os.environ look-ups."""
    names = {"PROMETHEUS_MULTIPROC_DIR"}  # read by prometheus_client (docs/operations.md)
    for path in [ROOT / "undersigned/config/settings.py", ROOT / "undersigned/cli.py"]:
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = getattr(func, "id", "") or getattr(func, "attr", "")
            first = node.args[0]
            if (name.startswith("env_") or name == "get") and isinstance(first, ast.Constant):
                names.add(str(first.value))
    return names


def test_the_page_holds_every_file_of_the_deployment():
    assert set(files()) >= {*UNITS, ENV_FILE, CADDYFILE, "/etc/redis/redis.conf",
                            "/etc/prometheus/prometheus.yml"}  # fmt: skip


SERVICE_KEYS = {
    "Type", "User", "Group", "EnvironmentFile", "WorkingDirectory", "ExecStartPre", "ExecStart",
    "Restart", "RestartSec", "TimeoutStopSec", "NoNewPrivileges", "PrivateTmp", "ProtectSystem",
    "ProtectHome", "ReadWritePaths",
}  # fmt: skip


@pytest.mark.parametrize("path", UNITS)
def test_each_unit_parses_and_runs_our_cli_with_options_it_has(path):
    sections = unit(files()[path])
    assert set(sections) == {"Unit", "Service", "Install"}
    service = sections["Service"]
    assert set(service) <= SERVICE_KEYS, set(service) - SERVICE_KEYS
    assert service["EnvironmentFile"] == [ENV_FILE]
    assert service["Restart"][0] in {"on-failure", "always"}
    assert sections["Install"]["WantedBy"] == ["multi-user.target"]
    assert "postgresql.service" in sections["Unit"]["After"][0].split()
    commands = service.get("ExecStartPre", []) + service["ExecStart"]
    for command in commands:
        program, subcommand, *options = shlex.split(command)
        assert program == CLI
        if subcommand == "serve":
            serve_parser().parse_args(options)  # an unknown option exits: the test fails
        else:
            app = get_commands()[subcommand]  # KeyError: no such command
            load_command_class(app, subcommand).create_parser(CLI, subcommand).parse_args(options)
    first = shlex.split(service["ExecStart"][0])[1]
    assert first == ("serve" if "app" in path else "worker")


def test_the_app_unit_serves_without_its_own_worker_since_the_worker_has_a_unit():
    command = shlex.split(unit(files()[UNITS[0]])["Service"]["ExecStart"][0])
    assert not serve_parser().parse_args(command[2:]).with_worker


def test_the_environment_file_names_only_variables_the_settings_read():
    assert set(environment()) - variables_the_code_reads() == set()


def test_the_environment_file_is_a_valid_production_configuration(tmp_path):
    env = {"PATH": os.environ["PATH"], **environment(), "UNDERSIGNED_DATA_DIR": str(tmp_path)}
    script = (
        "import json, os, django;"
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'undersigned.config.settings';"
        "django.setup();"
        "from django.conf import settings as s;"
        "print(json.dumps({'debug': s.DEBUG, 'metrics': s.METRICS_ENABLED, 'log': s.LOG_FORMAT,"
        " 'proxies': [str(n) for n in s.TRUSTED_PROXIES], 'engine': s.DATABASES['default']"
        "['ENGINE'], 'cache': s.CACHES['default']['BACKEND'], 'secure': s.SESSION_COOKIE_SECURE}))"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-2000:]
    loaded = json.loads(result.stdout.splitlines()[-1])
    assert loaded == {
        "debug": False, "metrics": True, "log": "json", "proxies": ["127.0.0.1/32"],
        "engine": "django.db.backends.postgresql",
        "cache": "undersigned.core.cache.FallbackRedisCache", "secure": True,
    }  # fmt: skip


def caddy_sites(text: str) -> dict[str, str]:
    """Top-level site blocks of a Caddyfile: {address: body}; braces must balance."""
    assert text.count("{") == text.count("}")
    sites: dict[str, str] = {}
    depth, name, body = 0, "", list[str]()
    for line in text.splitlines():
        stripped = line.strip()
        if depth == 0 and stripped.endswith("{"):
            name, body = stripped[:-1].strip(), []
        elif depth > 0:
            body.append(stripped)
        depth += stripped.count("{") - stripped.count("}")
        if depth == 0 and name:
            sites[name], name = "\n".join(body), ""
    return sites


def test_caddy_forwards_to_the_app_and_never_serves_metrics_to_the_internet():
    env = environment()
    sites = caddy_sites(files()[CADDYFILE])
    public_host = urlsplit(env["SITE_URL"]).hostname or ""
    public = sites[public_host]
    app = f"{env['HOST']}:{env['PORT']}"
    assert f"reverse_proxy {app} {{" in public
    assert "respond /metrics 404" in public
    size = re.search(r"max_size (\d+)MB", public)
    assert size and int(size.group(1)) * 1_000_000 > 12 * 1024 * 1024  # the admin's limit
    # Caddy connects from the app's own loopback address: that is the trusted proxy.
    proxies = [ipaddress.ip_network(n) for n in env["TRUSTED_PROXIES"].split(",")]
    assert any(ipaddress.ip_address(env["HOST"]) in network for network in proxies)

    private = next(body for name, body in sites.items() if name.startswith("http://10."))
    assert "handle /metrics {" in private and f"reverse_proxy {app} {{" in private
    assert f"header_up Host {public_host}" in private
    assert public_host in env["ALLOWED_HOSTS"].split(",")


def test_prometheus_scrapes_the_private_listener():
    scrape_job = files()["/etc/prometheus/prometheus.yml"]
    private = next(n for n in caddy_sites(files()[CADDYFILE]) if n.startswith("http://"))
    assert f'targets: ["{urlsplit(private).netloc}"]' in scrape_job
    assert "metrics_path: /metrics" in scrape_job and "type: Bearer" in scrape_job
    assert "credentials_file:" in scrape_job


def test_redis_listens_where_redis_url_points():
    directives = dict(
        line.split(None, 1) for line in files()["/etc/redis/redis.conf"].splitlines()
        if line.strip() and not line.startswith("#")
    )  # fmt: skip
    url = urlsplit(environment()["REDIS_URL"])
    assert url.hostname in directives["bind"].split()
    assert int(directives["port"]) == url.port
    assert directives["maxmemory-policy"] == "volatile-lru"


@pytest.mark.django_db
def test_every_metric_the_alerts_use_is_one_metrics_serves(settings):
    settings.METRICS_TOKEN = "a-metrics-token-for-the-tests-0123456789"
    rules = DOC.read_text().split("/etc/prometheus/rules/undersigned.yml", 1)[1]
    names = set(re.findall(r"\b(undersigned_[a-z_]+)", rules))
    served = set(re.findall(r"^# TYPE (\S+)", scrape(), re.M))
    served |= {f"{name}_total" for name in served}
    assert names and names <= served, names - served
