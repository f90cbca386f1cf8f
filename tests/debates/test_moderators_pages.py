"""The moderators' pages as a moderator and an editor use them (real two-factor sign-in)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from tests.debates.helpers import editor_of, make_debate, submit
from tests.factories import make_staff
from tests.sign_in import sign_in
from undersigned.campaigns.models import Role
from undersigned.debates.models import Argument, ContributionEmail
from undersigned.debates.states import ArgumentState

pytestmark = pytest.mark.django_db


def _waiting(debate):  # type: ignore[no-untyped-def]
    argument = submit(debate, claim="A claim with a tpyo")
    Argument.objects.filter(pk=argument.pk).update(state=ArgumentState.CONFIRMED)
    return argument


def test_a_moderator_corrects_a_typo_and_the_page_marks_it(client: Client) -> None:
    debate = make_debate()
    argument = _waiting(debate)
    sign_in(client, make_staff(debate.case.organisation, Role.MODERATOR))
    queue = client.get("/staff/debates/").content.decode()
    assert "A claim with a tpyo" in queue
    response = client.post(
        f"/staff/debates/arguments/{argument.pk}/",
        {"decision": "correct", "claim": "A claim with a typo fixed", "explanation": ""},
    )
    assert response.status_code == 303
    argument.refresh_from_db()
    assert argument.state == ArgumentState.PUBLISHED and argument.edited_by_moderators
    cache.clear()
    page = Client().get(f"/cases/{debate.case.slug}/debates/{debate.slug}/").content.decode()
    assert "A claim with a typo fixed" in page and "Edited by the moderators" in page


def test_a_rejection_needs_a_standard_reason_and_tells_the_writer(client: Client) -> None:
    debate = make_debate()
    argument = _waiting(debate)
    sign_in(client, make_staff(debate.case.organisation, Role.MODERATOR))
    url = f"/staff/debates/arguments/{argument.pk}/"
    assert client.post(url, {"decision": "reject"}).status_code == 422
    assert client.post(url, {"decision": "reject", "reason": "off_topic"}).status_code == 303
    argument.refresh_from_db()
    assert argument.state == ArgumentState.REJECTED and argument.rejection_reason == "off_topic"
    assert ContributionEmail.objects.filter(argument=argument, kind="rejected").exists()


def test_closing_from_the_back_office_requires_the_conclusion(client: Client) -> None:
    debate = make_debate()
    sign_in(client, editor_of(debate))
    url = f"/staff/debates/{debate.pk}/close/"
    refused = client.post(url, {"conclusion": ""})
    assert refused.status_code == 422 and "Please fill in this field." in refused.content.decode()
    debate.refresh_from_db()
    assert debate.closed_at is None
    assert client.post(url, {"conclusion": "Both sides were heard."}).status_code == 303
    debate.refresh_from_db()
    assert debate.closed_at is not None and debate.conclusion == "Both sides were heard."
