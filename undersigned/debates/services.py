"""Writing debates: arguments by staff and by the public, moderation, closing, and votes.

Every change of an argument's state goes through states.apply; every email is a
ContributionEmail row the worker sends (emails.py). A vote or a stance answer is one
INSERT … ON CONFLICT DO NOTHING (the unique keyed hash decides "already voted"); the worker
adds them to the tallies (tallies.py).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from undersigned.audit.models import AuditAction
from undersigned.audit.services import record
from undersigned.campaigns.permissions import StaffUser
from undersigned.core import linktoken
from undersigned.debates import limits
from undersigned.debates.models import (
    Argument,
    ArgumentTally,
    ContributionEmail,
    Debate,
    EmailKind,
    RejectionReason,
    Source,
    StanceAnswer,
    Vote,
)
from undersigned.debates.states import ArgumentState, Event, IllegalTransition, apply
from undersigned.debates.validation import (
    ArgumentRefused,
    SourceInput,
    check_claim,
    check_explanation,
    check_reply,
    check_sources,
)
from undersigned.signatures import limits as signing_limits
from undersigned.signatures.network import hash_client_address, subnet_of
from undersigned.signatures.normalise import normalise_email
from undersigned.signatures.services import ConfirmationOutcome

VOTER_SALT = "undersigned.debates.voter"


class DebateClosed(Exception):
    """The debate takes no more votes, answers or contributions."""


class ContributionsOff(Exception):
    """This debate does not take arguments from the public."""


def page_changed(debate_id: int) -> None:
    """Something the public page shows moved: cached copies are rendered again (pages.py)."""
    Debate.objects.filter(pk=debate_id).update(version=F("version") + 1)


def _create_argument(
    debate: Debate, *, side: str, claim: str, explanation: str, sources: list[SourceInput],
    replies_to: Argument | None, **fields: object,
) -> Argument:  # fmt: skip
    claim, explanation = check_claim(claim), check_explanation(explanation)
    checked = check_sources(debate, sources)
    check_reply(debate, side, replies_to)
    argument = Argument.objects.create(
        debate=debate, side=side, claim=claim, explanation=explanation, replies_to=replies_to,
        **fields,
    )  # fmt: skip
    Source.objects.bulk_create(
        Source(argument=argument, url=s.url, title=s.title, published_on=s.published_on)
        for s in checked
    )
    return argument


@transaction.atomic
def add_argument(
    debate: Debate, *, side: str, claim: str, explanation: str, sources: list[SourceInput],
    replies_to: Argument | None = None, acting_user: StaffUser | None,
) -> Argument:  # fmt: skip
    """An argument written by staff (or loaded by the demo command, acting_user None):
    published at once. Raises ArgumentRefused."""
    now = timezone.now()
    argument = _create_argument(
        debate, side=side, claim=claim, explanation=explanation, sources=sources,
        replies_to=replies_to, state=ArgumentState.PUBLISHED, published_at=now,
    )  # fmt: skip
    ArgumentTally.objects.create(argument=argument)
    page_changed(debate.pk)
    _audit(AuditAction.DEBATE_ARGUMENT_ADDED, debate, acting_user, f"argument {argument.pk}")
    return argument


@transaction.atomic
def submit_argument(
    debate: Debate, *, side: str, claim: str, explanation: str, sources: list[SourceInput],
    replies_to: Argument | None, name: str, email: str, language: str, client_ip: str = "",
    proved_work: bool = True,
) -> Argument:  # fmt: skip
    """A reader's argument: stored `submitted`, with a confirmation link owed to them.

    Held like a signature (signatures/limits.py, under the debate's own scope) when it comes
    too fast or without the browser check: moderators see why in their queue. Raises
    ArgumentRefused, DebateClosed or ContributionsOff.
    """
    if not debate.accepts_contributions:
        raise ContributionsOff(debate.slug)
    if not debate.is_open():
        raise DebateClosed(debate.slug)
    normalised = normalise_email(email)
    held = signing_limits.exceeded(
        f"debate-{debate.pk}", client_hash=hash_client_address(client_ip),
        client_subnet=subnet_of(client_ip), email_domain=normalised.rpartition("@")[2],
        proved_work=proved_work,
    )  # fmt: skip
    argument = _create_argument(
        debate, side=side, claim=claim, explanation=explanation, sources=sources,
        replies_to=replies_to, author_name=name, author_email=email,
        author_email_normalised=normalised, language=language,
        confirmation_key=linktoken.new_key(), held_reason=held.value,
        confirmation_expires_at=timezone.now() + timedelta(days=settings.CONFIRMATION_TOKEN_DAYS),
    )  # fmt: skip
    owe_email(argument, EmailKind.CONFIRM)
    return argument


def owe_email(argument: Argument, kind: EmailKind) -> None:
    ContributionEmail.objects.create(argument=argument, kind=kind, next_attempt_at=timezone.now())


@dataclass(frozen=True)
class Confirmation:
    outcome: ConfirmationOutcome
    argument: Argument | None = None


def find_contribution(token: str) -> Confirmation:
    key = linktoken.key_from(linktoken.Kind.DEBATE_CONTRIBUTION, token)
    argument = (
        Argument.objects.select_related("debate__case").filter(confirmation_key=key).first()
        if key
        else None
    )
    if argument is None:
        return Confirmation(ConfirmationOutcome.INVALID)
    if argument.state != ArgumentState.SUBMITTED:
        return Confirmation(ConfirmationOutcome.ALREADY_CONFIRMED, argument)
    if (
        argument.confirmation_expires_at is None
        or argument.confirmation_expires_at < timezone.now()
    ):
        return Confirmation(ConfirmationOutcome.EXPIRED, argument)
    return Confirmation(ConfirmationOutcome.CONFIRMED, argument)


def confirm_contribution(token: str) -> Confirmation:
    """The writer confirms by POST: the argument joins the moderators' queue."""
    found = find_contribution(token)
    if found.outcome is ConfirmationOutcome.CONFIRMED and found.argument is not None:
        try:
            apply(found.argument, Event.CONFIRM_EMAIL)
        except IllegalTransition:  # a second click meanwhile
            return Confirmation(ConfirmationOutcome.ALREADY_CONFIRMED, found.argument)
    return found


@transaction.atomic
def publish_argument(argument: Argument, *, acting_user: StaffUser) -> None:
    """Raises IllegalTransition unless it waits for moderation (and nobody decided first)."""
    now = timezone.now()
    apply(argument, Event.PUBLISH, published_at=now, decided_by_id=acting_user.pk, decided_at=now)
    ArgumentTally.objects.get_or_create(argument=argument)
    owe_email(argument, EmailKind.PUBLISHED)
    page_changed(argument.debate_id)
    _audit_decision(argument, acting_user, "decision=publish")


@transaction.atomic
def reject_argument(argument: Argument, reason: str, *, acting_user: StaffUser) -> None:
    """Reject (or take down) with a standard reason (models.RejectionReason)."""
    reason = RejectionReason(reason)  # ValueError for anything not on the list
    was_published = argument.state == ArgumentState.PUBLISHED
    apply(
        argument, Event.REJECT, rejection_reason=reason.value, decided_by_id=acting_user.pk,
        decided_at=timezone.now(),
    )  # fmt: skip
    if argument.author_email:
        owe_email(argument, EmailKind.REJECTED)
    if was_published:
        page_changed(argument.debate_id)
    _audit_decision(argument, acting_user, f"decision=reject reason={reason.value}")


@transaction.atomic
def correct_argument(
    argument: Argument, *, claim: str, explanation: str, acting_user: StaffUser
) -> None:
    """A moderator fixes typos: the page then marks it "edited by the moderators"."""
    if argument.state not in {ArgumentState.CONFIRMED, ArgumentState.PUBLISHED}:
        raise IllegalTransition(f"an argument {argument.state!r} is not corrected")
    claim, explanation = check_claim(claim), check_explanation(explanation)
    Argument.objects.filter(pk=argument.pk).update(
        claim=claim, explanation=explanation, edited_by_moderators=True, updated_at=timezone.now()
    )
    argument.claim, argument.explanation, argument.edited_by_moderators = claim, explanation, True
    if argument.state == ArgumentState.PUBLISHED:
        page_changed(argument.debate_id)
    _audit_decision(argument, acting_user, "decision=correct")


@transaction.atomic
def close_debate(debate: Debate, conclusion: str, *, acting_user: StaffUser) -> None:
    """Close with the staff's written conclusion (required, as Decidim does)."""
    conclusion = conclusion.strip()
    if not conclusion:
        raise ArgumentRefused("A debate is closed with its written conclusion.")
    now = timezone.now()
    closed = Debate.objects.filter(pk=debate.pk, closed_at__isnull=True).update(
        conclusion=conclusion, closed_at=now, version=F("version") + 1, updated_at=now
    )
    if not closed:
        raise DebateClosed(debate.slug)
    debate.conclusion, debate.closed_at = conclusion, now
    _audit(AuditAction.DEBATE_CLOSED, debate, acting_user, f"debate {debate.slug}")


def _audit(action: AuditAction, debate: Debate, user: StaffUser | None, subject: str) -> None:
    organisation_id = debate.case.organisation_id  # type: ignore[attr-defined]
    record(action, user=user, organisation_id=organisation_id, subject=subject)


def _audit_decision(argument: Argument, moderator: StaffUser, detail: str) -> None:
    # The argument's number names it; its writer stays out of the log.
    record(
        AuditAction.DEBATE_ARGUMENT_MODERATED, user=moderator,
        organisation_id=argument.debate.case.organisation_id, subject=f"argument {argument.pk}",
        detail=detail,
    )  # fmt: skip


# -- readers' votes ---------------------------------------------------------------------------


class Counted(enum.StrEnum):
    NEW = "new"  # stored, counted by the worker within seconds
    ALREADY = "already"  # this reader's vote (or answer) was in already: nothing changed


def voter_of(client_ip: str, now: datetime | None = None) -> str:
    """The keyed hash of (address, day) that deduplicates votes: docs/debates.md.

    The day (UTC) is in the hash, so the same address makes an unrelated hash tomorrow: the
    table cannot follow a reader from one day to the next, and a copy of it without
    SECRET_KEY cannot be matched against the address space.
    """
    day = (now or timezone.now()).astimezone(UTC).date().isoformat()
    return linktoken.keyed_digest(VOTER_SALT, f"{day}|{client_ip}")


def _insert_once(model: type, columns: dict[str, Any], unique: tuple[str, str]) -> Counted:
    """One INSERT … ON CONFLICT DO NOTHING; its row count says whether it was new."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(name) for name in columns)
    placeholders = ", ".join(["%s"] * len(columns))
    table = quote(model._meta.db_table)  # type: ignore[attr-defined]
    sql = (
        f"INSERT INTO {table} ({names}) VALUES ({placeholders}) "  # noqa: S608 - our names
        f"ON CONFLICT ({quote(unique[0])}, {quote(unique[1])}) DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(columns.values()))
        return Counted.NEW if cursor.rowcount == 1 else Counted.ALREADY


def _require_open(debate: Debate) -> None:
    if not debate.is_open():
        raise DebateClosed(debate.slug)


def cast_vote(argument: Argument, *, client_ip: str) -> Counted:
    """ "This convinced me" on a published argument of an open debate. Raises DebateClosed."""
    _require_open(argument.debate)
    if argument.state != ArgumentState.PUBLISHED:
        raise IllegalTransition("only published arguments take votes")
    voter = voter_of(client_ip)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    columns = {
        "argument_id": argument.pk, "voter": voter, "held": limits.votes_exceeded(voter),
        "counted": False, "created_at": now,
    }  # fmt: skip
    return _insert_once(Vote, columns, ("argument_id", "voter"))


def answer_stance(debate: Debate, answer: str, *, client_ip: str) -> Counted:
    """The reader's yes / no / not sure; their first answer of the day stands."""
    _require_open(debate)
    voter = voter_of(client_ip)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    columns = {
        "debate_id": debate.pk, "voter": voter, "answer": answer,
        "held": limits.votes_exceeded(voter), "counted": False, "created_at": now,
    }  # fmt: skip
    return _insert_once(StanceAnswer, columns, ("debate_id", "voter"))
