"""Erasing everything: no trace of the address is left in any table or in the task queue."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from django.db import connection
from django.db.models import Sum
from django_tasks_db.models import DBTaskResult

from tests.factories import form_token_data, make_case, make_organisation, make_petition, make_staff
from tests.privacy.my_data_helpers import open_my_data
from undersigned.audit.models import AuditAction, AuditLogEntry
from undersigned.campaigns.models import Role
from undersigned.core.linktoken import Kind, token_for
from undersigned.mailings.models import UpdateDelivery
from undersigned.mailings.sending import send_mailing_run
from undersigned.mailings.services import write_update
from undersigned.petitions.models import Petition, PetitionStatus
from undersigned.privacy.models import DataRequest, DataSession
from undersigned.privacy.my_data.emails import send_due_my_data_emails
from undersigned.privacy.tasks import send_my_data_emails
from undersigned.signatures.emails import send_due_emails
from undersigned.signatures.models import Signature, SignatureCount
from undersigned.signatures.services import (
    confirm_signature,
    count_new_confirmations,
    recount_petition,
    sign_petition,
)

pytestmark = pytest.mark.django_db

EMAIL = "Zoe.Quill+petitions@Example.org"
NAME = "Zoe Quillfeather"
# The address as typed, normalised, its local part, and the name: none may survive.
NEEDLES = ("zoe.quill", "quill+petitions", "quillfeather")
OTHER = "other.signer@example.org"
_networks = itertools.count(1)


@pytest.fixture
def dev_outbox(settings):
    """Emails kept in the database (notifications.OutboxEmail), as without EMAIL_URL."""
    settings.MAILERS = {
        "default": {"BACKEND": "undersigned.notifications.backends.OutboxEmailBackend"}
    }


def every_text_in_the_database() -> dict[str, str]:
    """Each table's every value as lower-case text, found by introspecting the database."""
    quote = connection.ops.quote_name
    found: dict[str, str] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [
                c.name for c in connection.introspection.get_table_description(cursor, table)
            ]
            cursor.execute(f"SELECT {', '.join(map(quote, columns))} FROM {quote(table)}")  # noqa: S608
            values = []
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, memoryview | bytes):
                        value = bytes(value).decode("utf-8", "replace")
                    values.append(str(value))
            found[table] = "\n".join(values).lower()
    return found


def tables_holding(needle: str) -> set[str]:
    return {table for table, text in every_text_in_the_database().items() if needle in text}


def sign_and_confirm(petition: Petition, email: str, name: str) -> None:
    sign_petition(
        petition, name=name, email=email, country="FR", updates_opt_in=True, language="en",
        client_ip=f"10.{next(_networks)}.0.7",  # a network each: none is held by a rate limit
    )  # fmt: skip
    key = Signature.objects.filter(petition=petition, email=email).get().confirmation_key
    confirm_signature(token_for(Kind.SIGNATURE_CONFIRMATION, key))


def public_count(petition: Petition) -> int:
    return SignatureCount.objects.filter(petition=petition).aggregate(n=Sum("count"))["n"] or 0


@pytest.fixture
def traces(client, dev_outbox, django_capture_on_commit_callbacks):
    """Zoe's footprint: signatures on an open and a closed petition of two organisations,
    confirmation emails, an update emailed to her, a queued mailing task, data requests."""
    organisation = make_organisation()
    open_one = make_petition(case=make_case(organisation=organisation))
    closed_one = make_petition(case=make_case(organisation=make_organisation()))
    for petition in (open_one, closed_one):
        sign_and_confirm(petition, EMAIL, NAME)
        sign_and_confirm(petition, OTHER, "Other Signer")
    send_due_emails()
    count_new_confirmations()
    Petition.objects.filter(pk=closed_one.pk).update(status=PetitionStatus.CLOSED)
    with django_capture_on_commit_callbacks(execute=True):
        written = write_update(
            open_one.case, acting_user=make_staff(organisation, Role.ADMIN),
            published_on=date.today(), title_en="News", texts={"body_en": "Things moved."},
            email_signers=True,
        )  # fmt: skip
    assert written.mailing is not None
    send_mailing_run(written.mailing.pk, written.mailing.runner)
    send_my_data_emails.enqueue()
    open_my_data(client, EMAIL)
    return open_one, closed_one


def test_erasing_removes_every_trace_of_the_address(client, traces):
    before = {needle: tables_holding(needle) for needle in NEEDLES}
    # The search finds what is there: the signature rows, their emails, the requests.
    assert {"signatures_signature", "notifications_outboxemail", "privacy_datarequest"} <= (
        before["zoe.quill"]
    )
    assert UpdateDelivery.objects.filter(signature__email=EMAIL).exists()

    response = client.post("/my-data/you/erase/", {**form_token_data(), "confirm": "on"})
    assert response.status_code == 303
    send_due_my_data_emails()  # nothing is owed any more: no email goes out after erasure

    everything = every_text_in_the_database()
    # The task queue's stored arguments were searched too, and it did hold tasks.
    queue = DBTaskResult._meta.db_table
    assert "send_update_mailing" in everything[queue] and "send_my_data_emails" in everything[queue]
    for needle in NEEDLES:
        assert {table for table, text in everything.items() if needle in text} == set(), needle
    assert OTHER in everything["signatures_signature"], "other signers are untouched"
    assert not DataSession.objects.exists() and not DataRequest.objects.exists()


def test_erasing_corrects_the_counts_of_open_and_closed_petitions(client, traces):
    open_one, closed_one = traces
    assert (public_count(open_one), public_count(closed_one)) == (2, 2)
    client.post("/my-data/you/erase/", {**form_token_data(), "confirm": "on"})
    count_new_confirmations()
    assert (public_count(open_one), public_count(closed_one)) == (1, 1)
    assert recount_petition(open_one.pk) == 1 and recount_petition(closed_one.pk) == 1


def test_erasing_asks_for_confirmation_first(client, traces):
    assert "cannot be undone" in client.get("/my-data/you/erase/").content.decode()
    response = client.post("/my-data/you/erase/", form_token_data())
    assert response.status_code == 422
    assert 'aria-describedby="id_confirm_error"' in response.content.decode()
    assert Signature.objects.filter(email=EMAIL).count() == 2


def test_erasure_is_audited_per_petition_without_naming_the_signer(client, traces):
    open_one, closed_one = traces
    client.post("/my-data/you/erase/", {**form_token_data(), "confirm": "on"})
    entries = AuditLogEntry.objects.filter(action=AuditAction.SIGNER_ERASED)
    assert {(entry.petition_id, entry.row_count) for entry in entries} == {
        (open_one.pk, 1), (closed_one.pk, 1),
    }  # fmt: skip
    assert response_closes_session(client)


def response_closes_session(client) -> bool:
    return client.get("/my-data/you/").status_code == 403
