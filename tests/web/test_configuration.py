"""Start-up refuses bad configuration with one readable line naming the variable."""

import os
import subprocess
import sys

import pytest

GOOD_KEY = "a-long-random-secret-key-for-this-test-only-0123456789"


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}}
    base["DJANGO_SETTINGS_MODULE"] = "undersigned.config.settings"
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "undersigned", *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_cli("check", DEBUG="false")
    assert result.returncode == 2
    assert "SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_refuses_the_published_development_key():
    result = run_cli("check", DEBUG="false", SECRET_KEY="insecure-dev-key-only-for-debug-and-tests")
    assert result.returncode == 2
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("DEBUG", "maybe", "DEBUG='maybe' is not a boolean"),
        ("PORT", "eighty", "PORT='eighty' is not a whole number"),
        ("PORT", "70000", "PORT='70000' must be between 1 and 65535"),
        ("DATABASE_URL", "mysql://x/y", "DATABASE_URL must be a URL of the form"),
        ("EMAIL_URL", "http://mail", "EMAIL_URL must be a URL of the form"),
        ("EMAIL_URL", "smtp://host:notaport", "EMAIL_URL has a malformed port"),
        ("REDIS_URL", "localhost:6379", "REDIS_URL must be a URL of the form"),
        ("TASKS_URL", "postgres://db/tasks", "TASKS_URL must be a URL of the form"),
        ("TRUSTED_PROXIES", "10.0.0.0/8,not-a-net", "TRUSTED_PROXIES contains 'not-a-net'"),
        ("DATABASE_REPLICA_URL", "sqlite:///x", "DATABASE_REPLICA_URL must be a URL of the form"),
        ("DATABASE_REPLICA_URL", "postgres://u@127.0.0.1:1/x", "but DATABASE_URL is SQLite"),
        ("DATABASE_REPLICA_MAX_LAG", "0", "DATABASE_REPLICA_MAX_LAG='0' must be between 1 and"),
    ],
)
def test_a_malformed_value_stops_start_up_naming_the_variable(variable, value, expected):
    result = run_cli("check", **{"SECRET_KEY": GOOD_KEY, variable: value})
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_healthz_answers_503_when_the_database_does_not(tmp_path):
    # A real process whose database is a PostgreSQL port where nothing listens.
    script = (
        "import django; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(r.status_code, r.content.decode())"
    )
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "undersigned.config.settings",
            "SECRET_KEY": GOOD_KEY,
            "DEBUG": "false",
            "ALLOWED_HOSTS": "testserver",
            "DATABASE_URL": "postgres://nobody@127.0.0.1:1/nothing",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.startswith("503 "), result.stderr[-2000:]
    assert '"database": "down"' in result.stdout
