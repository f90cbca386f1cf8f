"""Writing petitions: creating them, moving them through draft → open → closed, and recording
their delivery to the target."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from undersigned.audit.models import AuditAction
from undersigned.audit.services import record
from undersigned.campaigns.models import Case
from undersigned.core.photos import WebPhoto, photo_for_the_web
from undersigned.core.upsert import upsert
from undersigned.petitions.models import Delivery, Petition, PetitionStatus, TrackedLink
from undersigned.petitions.selectors import (
    petition_changed_cache_key,
    public_petition_cache_key,
)


def upsert_petition(case: Case, slug: str, **fields: Any) -> Petition:
    """Create the petition with this slug, or bring an existing one to these field values."""
    petition = upsert(Petition, {"slug": slug}, {"case": case, **fields})
    forget_cached_petition(slug)
    return petition


def publish_petition(
    petition: Petition, *, acting_user: Any, now: datetime | None = None
) -> Petition:
    petition.status = PetitionStatus.OPEN
    petition.opens_at = min(petition.opens_at, now or timezone.now())
    petition.save(update_fields=["status", "opens_at", "updated_at"])
    forget_cached_petition(petition.slug)
    _record(AuditAction.PETITION_PUBLISHED, petition, acting_user)
    return petition


def _record(action: AuditAction, petition: Petition, acting_user: Any, **fields: Any) -> None:
    record(
        action, user=acting_user, organisation_id=petition.case.organisation_id,
        petition_id=petition.pk, subject=f"petition #{petition.pk}: {petition}"[:200], **fields,
    )  # fmt: skip


def settle_closing_date(petition: Petition, now: datetime | None = None) -> None:
    """A closed petition closed at the latest now: retention counts its months from this date,
    so closing by changing the status alone must not leave it empty (or in the future)."""
    now = now or timezone.now()
    if petition.status == PetitionStatus.CLOSED and (
        petition.closes_at is None or petition.closes_at > now
    ):
        petition.closes_at = now


def close_petition(
    petition: Petition, *, acting_user: Any, now: datetime | None = None
) -> Petition:
    petition.status = PetitionStatus.CLOSED
    settle_closing_date(petition, now)
    petition.save(update_fields=["status", "closes_at", "updated_at"])
    forget_cached_petition(petition.slug)
    _record(AuditAction.PETITION_CLOSED, petition, acting_user)
    return petition


def record_delivery(
    petition: Petition,
    *,
    delivered_on: date,
    place: str,
    signatures_delivered: int,
    note: str = "",
    photo: UploadedFile | WebPhoto | None = None,
    photo_alt: str = "",
    acting_user: AbstractBaseUser | None,
) -> Delivery:
    """Record that signatures were handed over. The caller has validated the values (the form
    does); the photo is stored only re-encoded. Pages that cache the petition must forget it
    after."""
    delivery = Delivery(
        petition=petition,
        delivered_on=delivered_on,
        place=place,
        signatures_delivered=signatures_delivered,
        note=note,
        photo_alt=photo_alt if photo else "",
        created_by_id=acting_user.pk if acting_user is not None else None,
    )
    if photo is not None:
        # Shown on the public page: re-encoded (core/photos.py), unless the form already did.
        delivery.photo = photo if isinstance(photo, WebPhoto) else photo_for_the_web(photo)
    delivery.save()
    # The public page shows deliveries: mark the petition changed so its cached page renews.
    Petition.objects.filter(pk=petition.pk).update(updated_at=timezone.now())
    forget_cached_petition(petition.slug)
    _record(
        AuditAction.DELIVERY_RECORDED, petition, acting_user, row_count=signatures_delivered,
        detail=f"delivered on {delivered_on:%Y-%m-%d}",
    )  # fmt: skip
    return delivery


def forget_cached_petition(slug: str) -> None:
    """After a change: this process reads the petition afresh at once (others within the
    cache's few seconds), and so renews its cached public page."""
    cache.delete_many([public_petition_cache_key(slug), petition_changed_cache_key(slug)])


PUBLIC_CASE_SUFFIX = "petitions-from-the-public"


def open_petition_from_the_public(
    organisation: Any, *, title: str, target: str, demand: str
) -> Petition:
    """An open petition in `organisation`, written by a member of the public and published by
    a moderator, under the organisation's case "Petitions from the public"."""
    import secrets

    from django.conf import settings
    from django.utils.text import slugify

    language = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    slug = f"{slugify(title)[:60].strip('-') or 'petition'}-{secrets.token_hex(3)}"
    fields = {"title": title, "target": target, "demand": demand}
    return upsert_petition(
        _case_for_the_public(organisation), slug, status=PetitionStatus.OPEN,
        opens_at=timezone.now(), closes_at=None,
        **{f"{name}_{language}": value for name, value in fields.items()},
    )  # fmt: skip


def _case_for_the_public(organisation: Any) -> Case:
    """The organisation's case for petitions from the public, created (published) on first use;
    staff may edit it like any other. A slug taken by another organisation gets a suffix."""
    import secrets

    from django.conf import settings
    from django.db import IntegrityError, transaction
    from django.utils.translation import gettext, override

    from undersigned.campaigns.services import upsert_case

    base = f"{organisation.slug[:70]}-{PUBLIC_CASE_SUFFIX}"
    ours = Case.objects.filter(organisation=organisation, slug__startswith=base).order_by("pk")
    if (case := ours.first()) is not None:
        return case
    slug = f"{base}-{secrets.token_hex(3)}" if Case.objects.filter(slug=base).exists() else base
    language = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    with override(language):
        title = gettext("Petitions from the public")
    try:
        with transaction.atomic():  # a savepoint: two first publications may race
            return upsert_case(
                organisation, slug, is_published=True, **{f"title_{language}": title}
            )
    except IntegrityError:
        return ours.get()


def create_tracked_link(
    petition: Petition, *, code: str, label: str = "", acting_user: AbstractBaseUser | None
) -> TrackedLink:
    """A short link `/p/<code>` to the petition whose signatures count under `code`. The
    caller has validated the code (reach/forms.py; the database checks it is unique)."""
    link = TrackedLink.objects.create(
        petition=petition, code=code, label=label,
        created_by_id=acting_user.pk if acting_user is not None else None,
    )  # fmt: skip
    _record(AuditAction.TRACKED_LINK_CREATED, petition, acting_user, detail=f"/p/{code}")
    return link


def set_paper_counts_toward_goal(petition: Petition, value: bool, *, acting_user: Any) -> bool:
    """Whether signatures collected on paper count toward the goal (and its milestones and
    progress bar); returns whether it changed. The caller crosses milestones afterwards."""
    if petition.paper_counts_toward_goal == value:
        return False
    petition.paper_counts_toward_goal = value
    petition.save(update_fields=["paper_counts_toward_goal", "updated_at"])
    forget_cached_petition(petition.slug)
    _record(AuditAction.PAPER_GOAL_CHANGED, petition, acting_user,
            detail=f"paper counts toward the goal: {'yes' if value else 'no'}")  # fmt: skip
    return True
