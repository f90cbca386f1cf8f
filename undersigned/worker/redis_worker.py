"""The worker of the Redis queue (TASKS_URL=redis://…; django-tasks-rq on RQ), and how its
periodic runs are kept from piling up across workers (docs/scaling.md, "Tasks").

The worker is RQ's `SimpleWorker` (each job runs in this process: no fork per job, so the
Django connections stay as they are) driven one round at a time by the loop every worker
shares (`loop.RobustLoop`): a blocking pop of up to POP_TIMEOUT seconds, then the job.

Which periodic runs are pending lives in Redis, shared by every worker (`RedisRuns`): one key
per periodic task holds the job id of its pending run, so across all hosts at most one run
of each periodic task waits or runs. The key expires STALE_AFTER after the run was enqueued
at the latest, and a run whose worker is gone is taken as lost at once: each worker's
scheduler thread renews a short "alive" key every tick, and a started job whose worker's key
has expired (`kill -9`, a host lost) no longer counts as pending.
"""

from __future__ import annotations

import logging
import signal
import sys
from types import FrameType
from typing import Any

from django_tasks_rq import Job
from redis import Redis
from rq.exceptions import DequeueTimeout, NoSuchJobError
from rq.job import Job as RQJob
from rq.job import JobStatus
from rq.scheduler import RQScheduler
from rq.worker import SimpleWorker

from undersigned.worker.loop import Alive, RobustLoop

logger = logging.getLogger("undersigned.worker.runner")
QUEUE = "default"
POP_TIMEOUT = 1  # seconds a round waits for a job; a job arriving meanwhile starts at once
RESULT_TTL = 600  # seconds a finished job's result is kept (the scheduler reads it)
FAILURE_TTL = 7 * 24 * 3600  # a failed job is kept a week, for the operator and /metrics
WORKER_TTL = 30  # RQ's own worker key; its sockets time out after WORKER_TTL - 5 s
RUN_KEY = "undersigned:periodic:{}"
ALIVE_KEY = "undersigned:worker-alive:{}"
CLAIMING = "claiming"  # the run key while its scheduler enqueues (a few milliseconds)
CLAIM_SECONDS = 30
PENDING = {JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED}
# Delete KEYS[1] only if it still holds ARGV[1] (another scheduler may have replaced it).
RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""


def alive_key(worker_name: str) -> str:
    return ALIVE_KEY.format(worker_name)


class RedisRuns:
    """Which periodic runs are pending, shared in Redis by the schedulers of every worker."""

    def __init__(
        self, connection: Redis, *, worker_name: str, stale_after: float, tick: float
    ) -> None:
        self.connection = connection
        self.worker_name = worker_name
        self.stale_after = max(1, int(stale_after))
        self.alive_seconds = max(10, int(3 * tick) + 1)  # three ticks missed: gone
        self.release = connection.register_script(RELEASE)
        # RQ's own scheduler of deferred jobs (`run_after`), run here once a tick rather than
        # in the process it would fork; a lock makes one worker at a time move due jobs.
        self.deferred = RQScheduler(
            [QUEUE], connection=connection, name=worker_name, logging_level="WARNING"
        )

    def tick(self) -> None:
        """Before each round: say this worker is alive; move deferred jobs that are due."""
        self.connection.set(alive_key(self.worker_name), "1", ex=self.alive_seconds)
        if self.deferred.acquire_locks():
            self.deferred.enqueue_scheduled_jobs()

    def enqueue_unless_pending(self, periodic: Any) -> bool:
        key = RUN_KEY.format(periodic.module_path)
        current = self.connection.get(key)
        if current is not None:
            job_id = current.decode() if isinstance(current, bytes) else str(current)
            if job_id == CLAIMING or self.unfinished(job_id):
                return False
            if not self.release(keys=[key], args=[job_id]):
                return False  # another scheduler released it first (and enqueues)
        if not self.connection.set(key, CLAIMING, nx=True, ex=CLAIM_SECONDS):
            return False
        try:
            result = periodic.enqueue()
        except BaseException:
            self.release(keys=[key], args=[CLAIMING])
            raise
        self.connection.set(key, result.id, ex=self.stale_after)
        return True

    def unfinished(self, job_id: str) -> bool:
        try:
            job = Job.fetch(job_id, connection=self.connection)
        except NoSuchJobError:
            return False  # its result has expired: long finished
        status = job.get_status(refresh=False)
        if status == JobStatus.STARTED:
            worker = job.worker_name
            return bool(worker) and bool(self.connection.exists(alive_key(str(worker))))
        return status in PENDING

    def stop(self) -> None:
        self.connection.delete(alive_key(self.worker_name))
        self.deferred.release_locks()


class RedisWorker(RobustLoop, SimpleWorker):
    """RQ's in-process worker, one job a round, surviving a failed round (Redis or the
    database away), logging a failed job's exception type only."""

    def __init__(self, *, scheduler: Alive, connection: Redis, name: str) -> None:
        SimpleWorker.__init__(
            self, [QUEUE], name=name, connection=connection, job_class=Job,
            default_result_ttl=RESULT_TTL, worker_ttl=WORKER_TTL, log_job_description=False,
        )  # fmt: skip
        # rq.worker sets itself to INFO when imported (a line per job): follow LOGGING's "rq".
        logging.getLogger("rq.worker").setLevel(logging.NOTSET)
        self.scheduler_thread = scheduler
        self.idle_sleep = 0.0  # the round's blocking pop has waited already
        self.running = True
        self.born = False
        self.last_beat = 0.0
        self.unrecorded: tuple[RQJob, Any, BaseException] | None = None

    def configure_signals(self) -> None:
        signal.signal(signal.SIGINT, self.shutdown)
        signal.signal(signal.SIGTERM, self.shutdown)

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        """The first signal lets the current job finish (within POP_TIMEOUT when idle); a
        second abandons it (its run is then lost, as after a kill)."""
        if not self.running:
            sys.exit(1)
        self.running = False

    def round(self) -> bool:
        """Run one job; False when none came within POP_TIMEOUT."""
        if not self.born:  # here, not at start: Redis may be away when the worker starts
            self.register_birth()
            self.born = True
        self.heartbeat()
        if self.should_run_maintenance_tasks:
            self.clean_registries()  # jobs of dead workers to the failed registry, …
        try:
            found = self.queue_class.dequeue_any(
                self._ordered_queues, POP_TIMEOUT, connection=self.connection,
                job_class=self.job_class, serializer=self.serializer,
                death_penalty_class=self.death_penalty_class,
            )  # fmt: skip
        except DequeueTimeout:
            return False
        if found is None:
            return False
        job, queue = found
        if job.failure_ttl is None:
            job.failure_ttl = FAILURE_TTL
        try:
            self.execute_job(job, queue)
        except Exception as error:
            # RQ records a job's own failure; this is its record failing (Redis went away
            # mid-job): write it once Redis is back.
            self.unrecorded = (job, queue, error)
            raise
        return True

    def record_unrecorded(self) -> None:
        if self.unrecorded is None:
            return
        job, queue, error = self.unrecorded
        if job.get_status(refresh=True) == JobStatus.STARTED:
            self.handle_job_failure(
                job, queue, exc_string=f"{type(error).__name__} while recording the result"
            )
        self.unrecorded = None

    def handle_exception(self, job: RQJob, *exc_info: Any) -> None:
        """Log a failed job's exception type only (its text may quote an address); the
        traceback is kept with the job's result in Redis, as the database queue keeps it."""
        error_type = exc_info[0].__name__ if exc_info and exc_info[0] else "unknown"
        logger.warning("task %s failed (%s)", job.func_name, error_type)

    def stop(self) -> None:
        if self.born:
            self.register_death()
