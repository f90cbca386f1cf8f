"""Background work on public petitions, run by `undersigned worker` (django.tasks)."""

from django.tasks import task

from undersigned.proposals import emails, personal_data


@task()
def send_proposal_emails() -> int:
    """Send the confirmation links and news that public petitions owe (every worker tick)."""
    return emails.send_due_proposal_emails()


@task()
def apply_proposal_retention() -> dict[str, int]:
    """Delete unconfirmed proposals and sponsors, anonymise long-decided ones (hourly)."""
    return personal_data.apply_retention()
