"""Background work on signatures, run by `undersigned worker` (django.tasks)."""

from django.tasks import task

from undersigned.signatures import emails, services


@task()
def send_due_emails() -> int:
    """Send the confirmation links and notices that signatures are owed."""
    return emails.send_due_emails()


@task()
def count_new_confirmations() -> int:
    """Add fresh confirmations to the public counts (the worker runs this every 2 s)."""
    total = 0
    while taken := services.count_new_confirmations():
        total += taken
    return total


@task()
def recount_petition(petition_id: int) -> int:
    """Rebuild one petition's counts exactly from its rows."""
    return services.recount_petition(petition_id)
