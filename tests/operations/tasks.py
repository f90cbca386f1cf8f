"""A task that fails, for counting task failures (tests/operations/test_metrics.py)."""

from django.tasks import task


@task
def fail_on_purpose() -> None:
    raise RuntimeError("failed on purpose")
