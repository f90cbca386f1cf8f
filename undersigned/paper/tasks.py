"""Background work on paper signatures, run by `undersigned worker` (django.tasks)."""

from django.tasks import task

from undersigned.paper import personal_data, services


@task()
def apply_paper_retention() -> int:
    """Forget expired previews and the addresses of petitions whose retention came due
    (hourly)."""
    return services.forget_expired_previews() + personal_data.forget_addresses_no_longer_needed()
