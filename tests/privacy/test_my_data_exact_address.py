"""A "manage my data" link opens the data of the mailbox that received it, and no other
spelling of it: `victim+x@…` and `Victim@…` normalise like `victim@…` but are not provably
the same mailbox (issue 19, item 8; docs/privacy.md, "Which address a link opens")."""

from __future__ import annotations

import itertools
import json
import re

import pytest
from django.core import mail

from tests.factories import form_token_data, make_petition
from tests.privacy.my_data_helpers import ask_for_link
from undersigned.privacy.my_data.emails import send_due_my_data_emails
from undersigned.signatures.models import Signature
from undersigned.signatures.services import sign_petition

pytestmark = pytest.mark.django_db

VICTIM = "victim@example.org"
LINK = re.compile(r"https?://[^/\s]+(/my-data/link/[^/\s]+/)")
_networks = itertools.count(1)


def sign(petition, email: str, name: str) -> Signature:
    sign_petition(
        petition, name=name, email=email, country="FR", updates_opt_in=False, language="en",
        client_ip=f"10.{next(_networks)}.0.7",
    )  # fmt: skip
    return Signature.objects.get(petition=petition, email=email)


def emails_to_exactly(address: str) -> list[str]:
    return [str(message.body) for message in mail.outbox if message.to == [address]]


def open_session_as(client, address: str) -> None:
    ask_for_link(client, address)
    send_due_my_data_emails()
    [body] = emails_to_exactly(address)
    link = LINK.search(body)
    assert link is not None, "this mailbox holds a signature of its own, so it gets a link"
    assert client.post(link.group(1), form_token_data()).status_code == 303


@pytest.fixture
def victims_signature():
    return sign(make_petition(title_en="The victim signed this"), VICTIM, "Vera Victim")


@pytest.mark.parametrize("spelling", ["victim+x@example.org", "Victim@example.org"])
def test_a_link_for_another_spelling_cannot_see_withdraw_or_erase_the_victims_signature(
    client, victims_signature, spelling
):
    # The other spelling signed a petition of its own, so it is owed a real link.
    own = sign(make_petition(title_en="The other spelling signed this"), spelling, "Mallory")
    open_session_as(client, spelling)

    page = client.get("/my-data/you/").content.decode()
    assert "The other spelling signed this" in page
    assert "The victim signed this" not in page and "Vera Victim" not in page
    download = client.get("/my-data/you/my-data.json").content.decode()
    assert "The victim signed this" not in download and "Vera Victim" not in download
    assert [row["email"] for row in json.loads(download)["signatures"]] == [spelling]

    withdrawn = {**form_token_data(), "signature": str(victims_signature.pk)}
    client.post("/my-data/you/withdraw/", withdrawn)
    client.post("/my-data/you/unsubscribe/", withdrawn)
    client.post("/my-data/you/erase/", {**form_token_data(), "confirm": "on"})

    assert Signature.objects.filter(pk=victims_signature.pk).exists(), "the victim's stays"
    assert not Signature.objects.filter(pk=own.pk).exists(), "its own is erased"


@pytest.mark.parametrize("spelling", ["victim+x@example.org", "Victim@example.org"])
def test_another_spelling_with_no_data_of_its_own_is_told_nothing_is_held(
    client, victims_signature, spelling
):
    ask_for_link(client, spelling)
    send_due_my_data_emails()
    [body] = emails_to_exactly(spelling)
    assert LINK.search(body) is None
    assert "We hold no signatures for this address" in body
    assert "exactly" in body, "it says to ask with the spelling one signed with"


def test_the_victim_still_opens_their_own_data(client, victims_signature):
    open_session_as(client, VICTIM)
    assert "The victim signed this" in client.get("/my-data/you/").content.decode()


def test_gmail_spellings_reach_one_mailbox_and_open_the_same_data(client):
    """Google documents that case, dots, a +tag and googlemail.com reach the same mailbox."""
    sign(make_petition(title_en="Signed from Gmail"), "jane.doe@gmail.com", "Jane Doe")
    open_session_as(client, "JaneDoe+news@googlemail.com")
    assert "Signed from Gmail" in client.get("/my-data/you/").content.decode()
