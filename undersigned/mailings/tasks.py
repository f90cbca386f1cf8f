"""Background work on mailings, run by `undersigned worker` (django.tasks)."""

from __future__ import annotations

from django.tasks import task

from undersigned.mailings import sending, services


@task()
def send_update_mailing(mailing_id: int, runner: str = "") -> int:
    """Send the next few messages of a mailing, then enqueue itself for the next ones.

    `runner` names the chain of runs allowed to send it (see sending.py); a run without one
    takes the mailing only if no live chain holds it.
    """
    result = sending.send_mailing_run(mailing_id, runner)
    if result.next_run_at is not None:
        send_update_mailing.using(run_after=result.next_run_at).enqueue(mailing_id, result.runner)
        sending.extend_lease(mailing_id, result.runner, result.next_run_at + sending.CHAIN_GRACE)
    return result.sent


@task()
def resume_stalled_mailings() -> int:
    """Restart mailings whose chain died with its worker (the worker runs this every tick)."""
    claimed = sending.claim_stalled_mailings()
    for mailing_id, runner in claimed:
        send_update_mailing.enqueue(mailing_id, runner)
    return len(claimed)


@task()
def start_due_milestone_mailings() -> int:
    """Email the milestones set to auto-send as soon as they are reached (every tick)."""
    return services.start_due_milestone_mailings()
