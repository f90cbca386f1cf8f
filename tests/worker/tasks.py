"""Tasks the worker tests enqueue (a task must live at a module's top level)."""

from django.tasks import task


@task
def add(a: int, b: int) -> int:
    return a + b


@task
def fail_quoting_an_address() -> None:
    raise ValueError("could not reach jane@example.org")
