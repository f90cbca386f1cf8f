"""Background work on debates, run by `undersigned worker` (django.tasks)."""

from django.tasks import task

from undersigned.debates import emails, personal_data, tallies


@task()
def tally_debate_votes() -> int:
    """Add new "this convinced me" votes and stance answers to the tallies (every tick)."""
    total = 0
    while taken := tallies.tally_new_votes():
        total += taken
    return total


@task()
def send_contribution_emails() -> int:
    """Send the confirmation links and decisions owed to contributors (every tick)."""
    return emails.send_due_contribution_emails()


@task()
def apply_contribution_retention() -> dict[str, int]:
    """Delete expired unconfirmed contributions, anonymise long-decided ones (hourly)."""
    return personal_data.apply_retention()
