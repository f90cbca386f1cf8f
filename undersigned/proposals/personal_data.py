"""A person's data in public petitions: their download, their erasure, and retention.

Registered with core.personal_data in apps.py, so "manage my data" (privacy) covers
proposals without importing this app. Rows are found by the normalised email
(signatures/normalise.py), which both Proposal and Sponsor store next to the address as
typed, and matched on exactly that address (core/personal_data.py says why).

Erasure (docs/public-petitions.md, "Personal data"): a person's sponsorships are deleted
(a confirmed one is taken off the proposal's sponsor count); a proposal they created loses
the creator's name and address if it was published — its text became a petition that other
people signed — and is deleted entirely otherwise (it never became public work of anyone else).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from undersigned.audit.models import AuditAction
from undersigned.audit.services import record
from undersigned.core import linktoken
from undersigned.proposals.models import Proposal, ProposalEmail, Sponsor
from undersigned.proposals.selectors import retention_due
from undersigned.proposals.states import ProposalState
from undersigned.signatures.normalise import normalise_email, stored_under

BATCH_SIZE = 1_000


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


# -- the download -----------------------------------------------------------------------------


def _created_by(address: str) -> Any:
    rows = Proposal.objects.filter(creator_email_normalised=normalise_email(address))
    return stored_under(rows, address, "creator_email")


def _sponsored_by(address: str) -> Any:
    return stored_under(Sponsor.objects.filter(email_normalised=normalise_email(address)), address)


def export_personal_data(address: str) -> dict[str, Any]:
    """The proposals this address created and the sponsorships it gave; {} when none.

    No keys, no other person's name or address, nothing of a hidden (rejected) text.
    """
    created = [
        {
            "title": row.title,
            "what_should_happen": "" if row.text_hidden else row.action,
            "background": "" if row.text_hidden else row.background,
            "addressed_to": row.target,
            "your_name": row.creator_name,
            "your_email": row.creator_email,
            "language": row.language,
            "state": row.state,
            "rejection_reason": row.rejection_reason or None,
            "created_at": _when(row.created_at),
            "decided_at": _when(row.decided_at),
        }
        for row in _created_by(address).order_by("id")
    ]
    sponsored = [
        {
            "proposal_title": row.proposal.title,
            "your_name": row.name,
            "your_email": row.email,
            "language": row.language,
            "sponsored_at": _when(row.created_at),
            "confirmed": row.confirmed_at is not None,
            "confirmed_at": _when(row.confirmed_at),
        }
        for row in _sponsored_by(address).select_related("proposal").order_by("id")
    ]
    if not created and not sponsored:
        return {}
    return {"proposals_created": created, "sponsorships": sponsored}


# -- erasure ----------------------------------------------------------------------------------


def _delete_sponsors(sponsors: list[Sponsor]) -> int:
    """Delete these (locked) sponsor rows, taking the confirmed ones off their counts."""
    uncount = Counter(row.proposal_id for row in sponsors if row.confirmed_at is not None)
    deleted = Sponsor.objects.filter(id__in=[row.pk for row in sponsors]).delete()[1]
    for proposal_id, n in sorted(uncount.items()):
        Proposal.objects.filter(pk=proposal_id).update(sponsor_count=F("sponsor_count") - n)
    return deleted.get(Sponsor._meta.label, 0)


def _forget_creator(proposal_ids: list[int]) -> int:
    """Remove the creator's name and address (and emails owed to them) from these proposals."""
    ProposalEmail.objects.filter(proposal_id__in=proposal_ids, sponsor__isnull=True).delete()
    for proposal_id in proposal_ids:
        # A fresh key each: an old confirmation link no longer finds the row.
        Proposal.objects.filter(pk=proposal_id).update(
            creator_name="", creator_email="", creator_email_normalised="",
            confirmation_key=linktoken.new_key(), updated_at=timezone.now(),
        )  # fmt: skip
    return len(proposal_ids)


def erase_personal_data(address: str) -> int:
    """Erase this address from public petitions; returns the proposals and sponsors changed.

    Rows are locked first, so a confirmation or a moderator's decision running at the same
    time either finishes before (and is seen here) or finds nothing to change after.
    """
    with transaction.atomic():
        sponsors = list(_sponsored_by(address).select_for_update().order_by("id"))
        changed = _delete_sponsors(sponsors) if sponsors else 0
        created = list(
            _created_by(address).select_for_update().order_by("id").values_list("id", "state")
        )
        published = [pk for pk, state in created if state == ProposalState.PUBLISHED]
        unpublished = [pk for pk, state in created if state != ProposalState.PUBLISHED]
        changed += _forget_creator(published)
        if unpublished:
            # Their sponsors and owed emails go with them (CASCADE).
            Proposal.objects.filter(id__in=unpublished).delete()
            changed += len(unpublished)
    return changed


# -- retention --------------------------------------------------------------------------------


def apply_retention(now: datetime | None = None) -> dict[str, int]:
    """Delete or anonymise what `selectors.retention_due` says is due; one audit entry with
    the numbers when anything changed."""
    due = retention_due(now or timezone.now())
    done = {"proposals_deleted": 0, "sponsors_deleted": 0, "proposals_anonymised": 0}
    with transaction.atomic():
        # SKIP LOCKED: a row being confirmed right now is left for the next run.
        ids = list(
            due.unconfirmed_proposals.select_for_update(skip_locked=True).values_list(
                "id", flat=True
            )[:BATCH_SIZE]
        )
        if ids:
            done["proposals_deleted"] = (
                Proposal.objects.filter(id__in=ids, state=ProposalState.UNCONFIRMED)
                .delete()[1]
                .get(Proposal._meta.label, 0)
            )
    with transaction.atomic():
        stalled = list(
            due.stalled_proposals.select_for_update(skip_locked=True).values_list("id", flat=True)[
                :BATCH_SIZE
            ]
        )
        if stalled:
            deleted = Proposal.objects.filter(
                id__in=stalled, state=ProposalState.GATHERING
            ).delete()[1]
            done["proposals_deleted"] += deleted.get(Proposal._meta.label, 0)
            done["sponsors_deleted"] += deleted.get(Sponsor._meta.label, 0)
    with transaction.atomic():
        sponsors = list(due.unconfirmed_sponsors.select_for_update(skip_locked=True)[:BATCH_SIZE])
        done["sponsors_deleted"] += _delete_sponsors(sponsors) if sponsors else 0
    with transaction.atomic():
        decided = list(
            Proposal.objects.select_for_update(skip_locked=True)
            .filter(id__in=due.decided_proposals.values("id"))
            .values_list("id", flat=True)[:BATCH_SIZE]
        )
        # The decision is made: the sponsors' names are no longer needed, their number stays.
        of_decided = Sponsor.objects.filter(proposal_id__in=decided)
        done["sponsors_deleted"] += of_decided.delete()[1].get(Sponsor._meta.label, 0)
        done["proposals_anonymised"] = _forget_creator(decided)
    if any(done.values()):
        record(
            AuditAction.RETENTION_RUN, subject="public petitions",
            row_count=sum(done.values()),
            detail=", ".join(f"{key.replace('_', ' ')} {n}" for key, n in done.items()),
        )  # fmt: skip
    return done
