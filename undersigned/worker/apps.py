from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkerConfig(AppConfig):
    name = "undersigned.worker"
    verbose_name = _("Task worker")

    def ready(self) -> None:
        from django.tasks.signals import task_finished
        from django_tasks.signals import task_finished as rq_task_finished

        from undersigned.worker import redis_connection
        from undersigned.worker.failures import count_failure

        task_finished.connect(count_failure, dispatch_uid="undersigned-count-task-failures")
        # The Redis queue (django-tasks-rq) sends the django-tasks backport's signals.
        rq_task_finished.connect(count_failure, dispatch_uid="undersigned-count-rq-failures")
        # The Redis task queue's clients, one per process (redis_connection.py); harmless
        # when the database queue is configured (nothing asks django-rq for a connection).
        redis_connection.install()
