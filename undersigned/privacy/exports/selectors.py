"""What exports, the delivery document and the audit log read.

Each page starts from `petitions.selectors.petition_for_staff` (404 for strangers, 403 for
members whose role lacks the right); everything below takes the petition it returned.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate

from undersigned.audit.models import AuditLogEntry
from undersigned.campaigns.models import Membership, Organisation
from undersigned.campaigns.permissions import Action, may, organisations_of
from undersigned.petitions.models import Delivery, Petition
from undersigned.signatures.models import Signature

User = AbstractBaseUser | AnonymousUser

# Rows fetched from the database at a time: a million-row export never holds more than this.
EXPORT_CHUNK_ROWS = 2000


def may_see_names(user: User, organisation: Organisation) -> bool:
    """Signers' names (CSV, or the delivery document's appendix): whoever handles personal data
    or delivers the signatures."""
    return may(user, Action.VIEW_PERSONAL_DATA, organisation) or may(
        user, Action.RECORD_DELIVERY, organisation
    )


def counting_signatures(petition: Petition) -> QuerySet[Signature]:
    """Confirmed, not invalidated and not held back: the signatures that count."""
    return Signature.objects.filter(petition=petition).counting()


def signature_rows(petition: Petition, *, with_email: bool) -> Iterator[tuple]:
    """(name, country code, confirmed date[, email]) per valid signature, oldest first,
    read from the database EXPORT_CHUNK_ROWS at a time (a server-side cursor on PostgreSQL)."""
    fields = ["name", "country", "confirmed_on", *(["email"] if with_email else [])]
    return (
        counting_signatures(petition)
        .annotate(confirmed_on=TruncDate("confirmed_at"))
        .order_by("id")
        .values_list(*fields)
        .iterator(chunk_size=EXPORT_CHUNK_ROWS)
    )


def countries_by_day_rows(petition: Petition) -> Iterator[tuple[date, str, str, int]]:
    """(day, country code, source, confirmed signatures) — counted by the database, one row
    a group. The source is where the signatures came from (signatures/sources.py)."""
    return (
        counting_signatures(petition)
        .annotate(day=TruncDate("confirmed_at"))
        .values_list("day", "country", "source")
        .annotate(n=Count("id"))
        .order_by("day", "country", "source")
        .iterator(chunk_size=EXPORT_CHUNK_ROWS)
    )


def exact_counts_by_country(petition: Petition) -> list[tuple[str, int]]:
    """Valid signatures per country as the rows stand now (the public count may lag by
    seconds); largest first. For a document handed to the target."""
    return list(
        counting_signatures(petition)
        .values_list("country")
        .annotate(n=Count("id"))
        .order_by("-n", "country")
    )


def signer_names(petition: Petition, *, offset: int, limit: int) -> list[tuple[str, str]]:
    """(name, country code) of valid signatures in signing order, `limit` from `offset`."""
    rows = counting_signatures(petition).order_by("id").values_list("name", "country")
    return list(rows[offset : offset + limit])


def audit_log_for(user: User, *, action: str = "") -> QuerySet[AuditLogEntry]:
    """Entries of the organisations whose audit log this user may read, newest first, with
    the sign-ins of their members (which belong to no organisation); optionally one action."""
    organisations = organisations_of(user, Action.VIEW_AUDIT_LOG).values("pk")
    members = Membership.objects.filter(organisation__in=organisations).values("user_id")
    entries = AuditLogEntry.objects.filter(
        Q(organisation_id__in=organisations)
        | Q(organisation_id__isnull=True, user_id__isnull=False, user_id__in=members)
    )
    if action:
        entries = entries.filter(action=action)
    name = Organisation.objects.filter(pk=OuterRef("organisation_id")).values("name")
    return entries.annotate(organisation_name=Subquery(name)).order_by("-created_at", "-id")


def deliveries_of(petition: Petition) -> QuerySet[Delivery]:
    return Delivery.objects.filter(petition=petition).order_by("-delivered_on", "-id")
