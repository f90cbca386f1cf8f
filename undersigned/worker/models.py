from django.db import models


class Heartbeat(models.Model):
    """When a process last finished a round of work: one row per kind ("tasks")."""

    name = models.CharField(max_length=32, primary_key=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.beat_at:%Y-%m-%d %H:%M:%S}"


class TaskFailures(models.Model):
    """How many times each task has failed, counted as the worker records the failure (on
    Django's `task_finished` signal, whichever task backend runs it); /metrics reads it as
    undersigned_task_failures_total{task}."""

    task = models.CharField(max_length=200, primary_key=True)  # the task's module path
    failures = models.BigIntegerField(default=0)
    last_failed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.task}: {self.failures}"
