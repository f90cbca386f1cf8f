"""Every model change has its migration: a field or a choice changed without one would make
the next deployment's `migrate` do less than the code expects."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_models_need_no_migration_that_is_not_written():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as missing:
        pytest.fail(f"makemigrations would write (exit {missing.code}):\n{out.getvalue()}")
