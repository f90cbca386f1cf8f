"""Reading mailings: who would receive an update, how far a mailing has got, who may look."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404

from undersigned.campaigns.models import Case
from undersigned.campaigns.permissions import Action, require
from undersigned.core import linktoken
from undersigned.mailings.models import PENDING, MailingStatus, UpdateDelivery, UpdateMailing
from undersigned.petitions.models import Petition
from undersigned.signatures.models import Signature
from undersigned.signatures.querysets import SignatureQuerySet

User = AbstractBaseUser | AnonymousUser
# What a mailing's title, case and organisation are read from, in one query.
MAILING_RELATED = (
    "update__case__organisation", "milestone__petition__case__organisation",
    "outcome_change__petition__case__organisation",
)  # fmt: skip


def update_recipients(case: Case) -> QuerySet[Signature]:
    """One signature per person who asked for updates on this case: confirmed, valid, opted
    in, on any of its petitions. Someone who signed two of them appears once (their latest
    signature, whose language is their latest choice)."""
    return _one_per_person(Signature.objects.filter(petition__case=case))


def petition_recipients(petition: Petition) -> QuerySet[Signature]:
    """The same for news of one petition (a milestone, its outcome): its own signers only."""
    return _one_per_person(Signature.objects.filter(petition=petition))


def _one_per_person(signatures: SignatureQuerySet) -> QuerySet[Signature]:
    eligible = signatures.subscribed()
    latest_per_person = (
        eligible.order_by().values("email_normalised").annotate(latest=Max("id")).values("latest")
    )
    return Signature.objects.filter(id__in=latest_per_person)


def recipient_count(case: Case) -> int:
    return update_recipients(case).count()


def mailing_for(user: User, mailing_id: int) -> UpdateMailing:
    """The mailing, for members of its organisation who may send updates or see numbers:
    404 for anyone else's (or none), 403 for a member with neither right."""
    mailing = UpdateMailing.objects.select_related(*MAILING_RELATED).filter(pk=mailing_id).first()
    if mailing is None:
        raise Http404("No such mailing")
    organisation = mailing.case.organisation
    try:
        require(user, Action.VIEW_NUMBERS, organisation)
    except PermissionDenied:
        require(user, Action.SEND_UPDATES, organisation)
    return mailing


def mailings_on(case: Case) -> QuerySet[UpdateMailing]:
    on_case = (
        Q(update__case=case) | Q(milestone__petition__case=case)
        | Q(outcome_change__petition__case=case)
    )  # fmt: skip
    return UpdateMailing.objects.filter(on_case).select_related(*MAILING_RELATED)


@dataclass(frozen=True)
class Progress:
    total: int
    sent: int
    skipped: int
    failed: int
    pending: int
    finished: bool

    @property
    def percent(self) -> int:
        done = self.sent + self.skipped + self.failed
        return 100 if not self.total else min(100, done * 100 // self.total)

    def as_json(self) -> dict[str, int | bool]:
        return {
            "total": self.total, "sent": self.sent, "skipped": self.skipped,
            "failed": self.failed, "pending": self.pending, "finished": self.finished,
            "percent": self.percent,
        }  # fmt: skip


def progress_of(mailing: UpdateMailing) -> Progress:
    counts = UpdateDelivery.objects.filter(mailing=mailing).aggregate(
        sent=Count("id", filter=Q(sent_at__isnull=False)),
        skipped=Count("id", filter=Q(skipped_at__isnull=False)),
        failed=Count("id", filter=Q(failed_at__isnull=False)),
        pending=Count("id", filter=PENDING),
    )
    finished = mailing.status == MailingStatus.FINISHED
    return Progress(total=mailing.total, finished=finished, **counts)


def signature_for_unsubscribe_token(token: str) -> Signature | None:
    """The signature an unsubscribe link was made for, or None for a forged or stale link."""
    key = linktoken.key_from(linktoken.Kind.UNSUBSCRIBE, token)
    if key is None:
        return None
    return (
        Signature.objects.select_related("petition__case__organisation")
        .filter(confirmation_key=key)
        .first()
    )
