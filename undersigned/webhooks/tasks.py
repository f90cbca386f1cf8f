"""Background work of webhooks, run by `undersigned worker` (django.tasks)."""

from django.tasks import task

from undersigned.webhooks import delivery, events, notices


@task()
def derive_webhook_events() -> int:
    """Turn new log entries, erasures, milestones and outcomes into queued deliveries."""
    return events.derive_events()


@task()
def send_webhooks() -> int:
    """POST the due deliveries (signed, retried with backoff)."""
    return delivery.send_due()


@task()
def send_webhook_notices() -> int:
    """Email admins whose webhook the worker disabled."""
    return notices.send_due_notices()


@task()
def prune_webhook_log() -> int:
    """Delete deliveries and events older than WEBHOOK_KEEP_DAYS."""
    return delivery.prune_log()
