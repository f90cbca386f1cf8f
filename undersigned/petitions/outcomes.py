"""What came of a petition: its milestones, the target's response and the outcome.

One table decides which outcome may follow which (TRANSITIONS); every change is dated, kept
in the petition's outcome history (OutcomeChange, shown in public) and in the audit log.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from undersigned.audit.models import AuditAction
from undersigned.audit.services import record
from undersigned.petitions.models import (
    Milestone,
    MilestoneKind,
    Outcome,
    OutcomeChange,
    Petition,
    PetitionResponse,
)
from undersigned.petitions.services import forget_cached_petition

# awaiting a response → responded → won or lost; withdrawn from any state still open.
TRANSITIONS: dict[str, frozenset[str]] = {
    Outcome.AWAITING_RESPONSE: frozenset({Outcome.RESPONDED, Outcome.WITHDRAWN}),
    Outcome.RESPONDED: frozenset({Outcome.WON, Outcome.LOST, Outcome.WITHDRAWN}),
    Outcome.WON: frozenset(),
    Outcome.LOST: frozenset(),
    Outcome.WITHDRAWN: frozenset(),
}
FINAL = frozenset(state for state, after in TRANSITIONS.items() if not after)


class OutcomeRefused(Exception):
    """The change is not allowed; `str(error)` says why, in the user's language."""


class MilestoneRefused(Exception):
    """The milestone is not valid (its count is taken, not positive, …); says why."""


def why_not(current: str, new: str) -> str | None:
    """None if the outcome may move from `current` to `new`, else the reason it may not."""
    if new in TRANSITIONS.get(current, frozenset()):
        return None
    labels = dict(Outcome.choices)
    if current in FINAL:
        return _("The outcome is final (%(current)s): it cannot change any more.") % {
            "current": labels[current]
        }
    if new == current:
        return _("The outcome is already “%(current)s”.") % {"current": labels[current]}
    allowed = ", ".join(f"“{labels[state]}”" for state in sorted(TRANSITIONS[current]))
    return _(
        "From “%(current)s” the outcome can only become %(allowed)s: it cannot skip a step."
    ) % {"current": labels[current], "allowed": allowed}


def change_outcome(
    petition: Petition, new: str, *, on: date | None = None, note: str = "", acting_user: Any
) -> OutcomeChange:
    """Move the petition to outcome `new` (dated `on`, today by default), or refuse with the
    reason. The row is locked, so two staff members cannot both move it from one state."""
    with transaction.atomic():
        current = Petition.objects.select_for_update().values_list("outcome", flat=True)
        current_outcome = current.get(pk=petition.pk)
        reason = why_not(current_outcome, new)
        if reason is not None:
            raise OutcomeRefused(reason)
        Petition.objects.filter(pk=petition.pk).update(outcome=new, updated_at=timezone.now())
        change = OutcomeChange.objects.create(
            petition=petition, from_outcome=current_outcome, to_outcome=new,
            changed_on=on or timezone.localdate(), note=note,
            created_by_id=getattr(acting_user, "pk", None),
        )  # fmt: skip
        _record(
            AuditAction.OUTCOME_CHANGED, petition, acting_user,
            detail=f"{current_outcome} → {new} on {change.changed_on:%Y-%m-%d}",
        )  # fmt: skip
    petition.outcome = new
    forget_cached_petition(petition.slug)
    return change


def record_response(
    petition: Petition,
    *,
    responded_on: date,
    bodies: dict[str, str],
    link: str = "",
    document: UploadedFile | None = None,
    acting_user: Any,
) -> PetitionResponse:
    """Record (or correct) the target's response. `bodies` maps language codes to Markdown
    (sanitised when shown, as all content). A petition awaiting a response becomes
    "responded" at the same time, through change_outcome."""
    with transaction.atomic():
        response = PetitionResponse.objects.filter(petition=petition).first()
        response = response or PetitionResponse(petition=petition)
        response.responded_on, response.link = responded_on, link
        for language, body in bodies.items():
            setattr(response, f"body_{language}", body)
        if document is not None:
            # Stored under a plain random name: what /media/ serves (web/media.py).
            document.name = f"response-{petition.pk}-{secrets.token_hex(8)}.pdf"
            response.document = document
        response.save()
        Petition.objects.filter(pk=petition.pk).update(updated_at=timezone.now())
        _record(
            AuditAction.RESPONSE_RECORDED, petition, acting_user,
            detail=f"response of {responded_on:%Y-%m-%d}",
        )  # fmt: skip
        if Petition.objects.get(pk=petition.pk).outcome == Outcome.AWAITING_RESPONSE:
            change_outcome(petition, Outcome.RESPONDED, on=responded_on, acting_user=acting_user)
    forget_cached_petition(petition.slug)
    return response


def save_milestone(
    petition: Petition,
    *,
    count: int | None,
    fields: dict[str, Any],
    milestone: Milestone | None = None,
    acting_user: Any,
) -> Milestone:
    """Add a milestone (a count, or None for "the goal reached"), or change one. `fields`:
    the translated note and email texts, and auto_send. A crossed milestone keeps its count."""
    if count is not None and count < 1:
        raise MilestoneRefused(_("A milestone's number of signatures must be at least 1."))
    milestone = milestone or Milestone(petition=petition)
    if milestone.crossed_at is None:
        milestone.kind = MilestoneKind.COUNT if count is not None else MilestoneKind.GOAL
        milestone.count = count
    for name, value in fields.items():
        setattr(milestone, name, value)
    try:
        with transaction.atomic():
            milestone.save()
    except IntegrityError:
        raise MilestoneRefused(_("This petition already has that milestone.")) from None
    _touch(petition)
    _record(
        AuditAction.MILESTONE_CHANGED, petition, acting_user,
        detail=f"milestone #{milestone.pk} at {count or 'the goal'} saved",
    )  # fmt: skip
    return milestone


def remove_milestone(milestone: Milestone, *, acting_user: Any) -> None:
    """Remove a milestone not yet crossed (a crossed one is history: it stays)."""
    if milestone.crossed_at is not None:
        raise MilestoneRefused(_("A milestone already reached cannot be removed."))
    petition = milestone.petition
    detail = f"milestone #{milestone.pk} at {milestone.count or 'the goal'} removed"
    milestone.delete()
    _touch(petition)
    _record(AuditAction.MILESTONE_CHANGED, petition, acting_user, detail=detail)


def _touch(petition: Petition) -> None:
    """The public page shows milestones: mark the petition changed so its cache renews."""
    Petition.objects.filter(pk=petition.pk).update(updated_at=timezone.now())
    forget_cached_petition(petition.slug)


def _record(action: AuditAction, petition: Petition, acting_user: Any, **fields: Any) -> None:
    record(
        action, user=acting_user, organisation_id=petition.case.organisation_id,
        petition_id=petition.pk, subject=f"petition #{petition.pk}: {petition}"[:200], **fields,
    )  # fmt: skip
