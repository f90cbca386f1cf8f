from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkerConfig(AppConfig):
    name = "undersigned.worker"
    verbose_name = _("Task worker")

    def ready(self) -> None:
        from django.tasks.signals import task_finished

        from undersigned.worker.failures import count_failure

        task_finished.connect(count_failure, dispatch_uid="undersigned-count-task-failures")
