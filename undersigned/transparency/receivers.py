"""The log follows the count: receivers of the signature side's signals (same transaction)
and of petition saves (its text at publication and at each edit)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from undersigned.petitions.models import Petition
from undersigned.signatures import signals
from undersigned.transparency import services


@receiver(signals.counted, dispatch_uid="log_counted_signatures")
def log_counted(sender: Any, signature_ids: list[int], **kwargs: Any) -> None:
    services.append_signatures(signature_ids)


@receiver(signals.uncounted, dispatch_uid="log_uncounted_signatures")
def log_uncounted(sender: Any, signature_ids: list[int], reason: str, **kwargs: Any) -> None:
    services.append_removals(signature_ids, reason)


@receiver(post_save, sender=Petition, dispatch_uid="log_petition_text")
def log_petition_text(sender: Any, instance: Petition, raw: bool = False, **kwargs: Any) -> None:
    if not raw:  # not while loading fixtures
        services.append_text_if_changed(instance)
