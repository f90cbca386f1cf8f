"""Background work for moderators, run by `undersigned worker` (django.tasks)."""

from django.tasks import task

from undersigned.signatures.invalidation import apply_invalidation


@task()
def invalidate_signatures(invalidation_id: int) -> int:
    """Apply one queued bulk invalidation: what its criteria match when this runs."""
    return apply_invalidation(invalidation_id)
