"""The task bench/task_queue.py enqueues: it returns the moment it began."""

import time

from django.tasks import task


@task
def began() -> float:
    return time.time()
