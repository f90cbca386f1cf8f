"""Background work on public petitions, run by `undersigned worker` (django.tasks)."""

from django.tasks import task

from undersigned.proposals import emails


@task()
def send_proposal_emails() -> int:
    """Send the confirmation links and news that public petitions owe (every worker tick)."""
    return emails.send_due_proposal_emails()
