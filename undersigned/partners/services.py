"""Every write of the partners app: keys created and revoked, a petition's partner policy,
and signatures recorded through the API. Each writes its own audit entry."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from undersigned.audit.models import AuditAction
from undersigned.audit.services import record
from undersigned.campaigns.models import Organisation
from undersigned.partners import keys
from undersigned.partners.models import ApiKey, PetitionPartnerPolicy, RecordedSignature, Scope
from undersigned.petitions.models import Petition
from undersigned.signatures.consent import partner_consent_wording_id
from undersigned.signatures.sources import Source, clean_value
from undersigned.signatures.submission import Outcome, PartnerSubmission, submit_partner_signature

API_MEDIUM = "api"  # the utm_medium of every signature a partner recorded


def key_actor(api_key: ApiKey) -> str:
    """How the audit log names a key: its name and prefix, never its value."""
    return f"API key {api_key.name} ({keys.KEY_PREFIX}{api_key.prefix}…)"


@dataclass(frozen=True)
class CreatedKey:
    api_key: ApiKey
    key: str  # the only time the whole key exists outside the caller's hands


def create_api_key(
    organisation: Organisation, *, name: str, scopes: Iterable[str], acting_user: Any
) -> CreatedKey:
    """A new key of `organisation`: the row keeps its prefix and hash, the caller gets the
    key itself once, to show once."""
    chosen = [scope for scope in Scope.values if scope in set(scopes)]
    new = keys.new_key()
    with transaction.atomic():
        api_key = ApiKey.objects.create(
            organisation=organisation, name=name, prefix=new.prefix, digest=new.digest,
            scopes=chosen, created_by=acting_user if acting_user else None,
        )  # fmt: skip
        record(
            AuditAction.API_KEY_CREATED, user=acting_user, organisation_id=organisation.pk,
            subject=key_actor(api_key), detail="scopes: " + ", ".join(chosen),
        )  # fmt: skip
    return CreatedKey(api_key, new.key)


def revoke_api_key(api_key: ApiKey, *, acting_user: Any) -> bool:
    """Stop the key at once (its next request gets 401); False if it was revoked already."""
    with transaction.atomic():
        revoked = ApiKey.objects.filter(pk=api_key.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=acting_user if acting_user else None
        )
        if revoked:
            record(
                AuditAction.API_KEY_REVOKED, user=acting_user,
                organisation_id=api_key.organisation_id, subject=key_actor(api_key),
            )  # fmt: skip
    return bool(revoked)


def set_partner_verified(petition: Petition, allowed: bool, *, acting_user: Any) -> bool:
    """Allow or stop partner-verified signatures on `petition`; True if that changed it."""
    with transaction.atomic():
        policy, _created = PetitionPartnerPolicy.objects.select_for_update().get_or_create(
            petition=petition
        )
        if policy.accepts_partner_verified == allowed:
            return False
        policy.accepts_partner_verified = allowed
        policy.changed_by = acting_user if acting_user else None
        policy.save()
        record(
            AuditAction.PARTNER_VERIFIED_CHANGED, user=acting_user,
            organisation_id=petition.case.organisation_id, petition_id=petition.pk,
            subject=petition.slug,
            detail="partner-verified signatures " + ("allowed" if allowed else "stopped"),
        )  # fmt: skip
    return True


def record_signature(
    api_key: ApiKey,
    petition: Petition,
    *,
    name: str,
    email: str,
    country: str,
    consent_wording: str,
    language: str,
    source: str = "",
    updates_opt_in: bool = False,
    verified_by_partner: bool = False,
) -> PartnerSubmission:
    """A signature a partner collected (OSDI's record signature helper), under the web form's
    rules (signatures/submission.py). Unless `verified_by_partner` (which the caller allows
    only where the petition's policy does), the signer gets the confirmation email and the
    signature counts only once confirmed. A new row is marked with the key that recorded it,
    and audited with the key's name; an address that had signed is answered alike."""
    with transaction.atomic():
        submission = submit_partner_signature(
            petition,
            name=name, email=email, country=country, updates_opt_in=updates_opt_in,
            language=language,
            source=Source(source=clean_value(source) or "partner", medium=API_MEDIUM),
            consent_wording=partner_consent_wording_id(consent_wording, language),
            verified_by_partner=verified_by_partner,
        )  # fmt: skip
        if submission.signature_id is not None:
            RecordedSignature.objects.create(
                signature_id=submission.signature_id, api_key=api_key,
                partner_verified=verified_by_partner,
            )  # fmt: skip
        if submission.outcome is Outcome.TAKEN:
            record(
                AuditAction.API_SIGNATURE_RECORDED, actor=key_actor(api_key),
                organisation_id=api_key.organisation_id, petition_id=petition.pk,
                subject=petition.slug, row_count=1,
                detail="partner-verified" if verified_by_partner else "awaiting confirmation",
            )  # fmt: skip
    return submission


def record_personal_data_read(api_key: ApiKey, petition: Petition, rows: int) -> None:
    """One audit entry per request that handed out signers' names and emails."""
    record(
        AuditAction.API_PERSONAL_DATA_READ, actor=key_actor(api_key),
        organisation_id=api_key.organisation_id, petition_id=petition.pk,
        subject=petition.slug, row_count=rows, detail="names and emails of signatures",
    )  # fmt: skip


def stamp_last_used(api_key: ApiKey, *, every_seconds: int = 60) -> None:
    """Mark the key used now, writing at most once a minute per key (one conditional
    UPDATE), so that reads cost no write each."""
    now = timezone.now()
    stale = now - timedelta(seconds=every_seconds)
    if api_key.last_used_at is None or api_key.last_used_at < stale:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
