"""Background work on signers' data, run by `undersigned worker` (django.tasks).

No task takes an argument that could be personal: nothing about a signer is ever stored in
the task queue.
"""

from django.tasks import task

from undersigned.privacy.my_data import emails as my_data_emails
from undersigned.privacy.my_data import services as my_data
from undersigned.privacy.retention import rules as retention


@task()
def send_my_data_emails() -> int:
    """Send the "manage my data" links (or "we hold nothing") that requests are owed."""
    return my_data_emails.send_due_my_data_emails()


@task()
def purge_expired_my_data() -> int:
    """Delete old data requests and ended "manage my data" sessions."""
    return my_data.purge_expired_my_data()


@task()
def apply_retention_policies() -> int:
    """Purge, anonymise and clear network data as each petition's policy says (hourly)."""
    return retention.apply_retention().total
