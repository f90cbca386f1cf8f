from django.db import models


class Heartbeat(models.Model):
    """When a process last finished a round of work: one row per kind ("tasks")."""

    name = models.CharField(max_length=32, primary_key=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.beat_at:%Y-%m-%d %H:%M:%S}"
