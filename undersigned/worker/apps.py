from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkerConfig(AppConfig):
    name = "undersigned.worker"
    verbose_name = _("Task worker")

    def ready(self) -> None:
        # The Redis task queue's clients, one per process (redis_connection.py); harmless
        # when the database queue is configured (nothing asks django-rq for a connection).
        from undersigned.worker import redis_connection

        redis_connection.install()
