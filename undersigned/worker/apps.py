from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkerConfig(AppConfig):
    name = "undersigned.worker"
    verbose_name = _("Task worker")

    def ready(self) -> None:
        from django.tasks.signals import task_finished

        from undersigned.worker.failures import count_failure

        task_finished.connect(count_failure, dispatch_uid="undersigned-count-task-failures")
        # The Redis queue (django-tasks-rq) sends the django-tasks backport's own signal.
        from django_tasks.signals import task_finished as backport_task_finished

        backport_task_finished.connect(
            count_failure, dispatch_uid="undersigned-count-task-failures-rq"
        )
