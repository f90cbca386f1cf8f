"""The public debate page and its forms, as a reader uses them without JavaScript."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from tests.debates.helpers import add, editor_of, make_debate, submit
from tests.factories import form_token_data, make_petition
from tests.fixtures.smtp import SmtpSink, text_body
from undersigned.debates import services, tallies
from undersigned.debates.emails import send_due_contribution_emails
from undersigned.debates.models import Argument, StanceAnswer, Vote
from undersigned.debates.states import ArgumentState

pytestmark = pytest.mark.django_db


def _url(debate: Any, tail: str = "") -> str:
    return f"/cases/{debate.case.slug}/debates/{debate.slug}/{tail}"


def test_the_page_shows_both_sides_rebuttals_sources_and_tallies(client: Client) -> None:
    debate = make_debate()
    pro = add(debate, "for", claim="The working group found him arbitrarily detained")
    add(debate, "against", claim="The UK said he could leave at any time")
    add(debate, "against", claim="It was self-imposed", replies_to=pro)
    services.cast_vote(pro, client_ip="192.0.2.1")
    tallies.tally_new_votes()
    page = client.get(_url(debate)).content.decode()
    assert "arbitrarily detained" in page and "leave at any time" in page
    assert "argument--for" in page and "argument--against" in page
    assert page.index("arbitrarily detained") < page.index("Rebuttals") < page.index("self-imposed")
    assert "(ohchr.org)" in page
    assert re.search(r"1 reader convinced · 100% of 1 since it appeared", page)
    assert 'property="og:title"' in page


def test_a_vote_by_form_post_counts_once_and_says_so(client: Client) -> None:
    debate = make_debate()
    argument = add(debate)
    response = client.post(_url(debate, f"arguments/{argument.pk}/convinced/"), form_token_data())
    assert response.status_code == 303 and "thanks=vote" in response["Location"]
    again = client.post(_url(debate, f"arguments/{argument.pk}/convinced/"), form_token_data())
    assert "thanks=already" in again["Location"]
    assert Vote.objects.count() == 1
    assert "already counted today" in client.get(again["Location"]).content.decode()


def test_a_vote_without_the_form_token_is_refused(client: Client) -> None:
    debate = make_debate()
    argument = add(debate)
    response = client.post(
        _url(debate, f"arguments/{argument.pk}/convinced/"), {"form_token": "forged"}
    )
    assert response.status_code == 403 and not Vote.objects.exists()


def test_a_vote_on_a_closed_debate_is_answered_and_changes_nothing(client: Client) -> None:
    debate = make_debate()
    argument = add(debate)
    services.close_debate(debate, "We concluded.", acting_user=editor_of(debate))
    response = client.post(_url(debate, f"arguments/{argument.pk}/convinced/"), form_token_data())
    assert response.status_code == 409 and "closed" in response.content.decode()
    assert not Vote.objects.exists()


def test_the_stance_results_show_only_after_answering_or_closing(client: Client) -> None:
    debate = make_debate()
    add(debate)
    before = client.get(_url(debate)).content.decode()
    assert "Give my answer" in before and "readers answered" not in before
    response = client.post(_url(debate, "stance/"), {**form_token_data(), "answer": "yes"})
    assert response.status_code == 303 and "thanks=stance" in response["Location"]
    tallies.tally_new_votes()
    after = client.get(response["Location"]).content.decode()
    assert "1 reader answered the question." in after and "(100%)" in after
    services.close_debate(debate, "**Concluded**.", acting_user=editor_of(debate))
    closed = client.get(_url(debate)).content.decode()
    assert "1 reader answered" in closed and "<strong>Concluded</strong>" in closed
    assert "This convinced me" not in closed


def test_an_answer_off_the_list_is_refused(client: Client) -> None:
    debate = make_debate()
    response = client.post(_url(debate, "stance/"), {**form_token_data(), "answer": "maybe"})
    assert response.status_code == 422 and not StanceAnswer.objects.exists()


def test_the_page_is_rendered_again_when_an_argument_is_published(client: Client) -> None:
    debate = make_debate()
    add(debate, claim="First argument")
    assert "First argument" in client.get(_url(debate)).content.decode()
    add(debate, "against", claim="Second argument")
    from django.core.cache import cache

    cache.delete(f"debate-version:{debate.case.slug}:{debate.slug}")  # the few seconds pass
    assert "Second argument" in client.get(_url(debate)).content.decode()


def test_the_case_and_petition_pages_link_to_the_debate(client: Client) -> None:
    debate = make_debate()
    petition = make_petition(case=debate.case)
    link = _url(debate)
    assert link in client.get(f"/cases/{debate.case.slug}/").content.decode()
    assert link in client.get(f"/petitions/{petition.slug}/").content.decode()


def _contribution(**overrides: str) -> dict[str, str]:
    data = {
        **form_token_data(), "side": "for", "claim": "Asylum protects a publisher",
        "explanation": "It is what asylum is for.", "source_url": "https://www.un.org/x",
        "source_title": "A UN page", "name": "Rita Reader", "email": "rita@example.org",
    }  # fmt: skip
    return {**data, **overrides}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("claim", "x" * 201, "200 characters or fewer"),
        ("source_url", "javascript:alert(1)", "https://"),
        ("source_url", "", "asks for a source"),
        ("email", "someone@mailinator.com", "disposable"),
    ],
)
def test_a_bad_contribution_is_answered_and_stores_nothing(
    client: Client, field: str, value: str, message: str
) -> None:
    debate = make_debate(sources_required=True)
    response = client.post(_url(debate, "contribute/"), _contribution(**{field: value}))
    assert response.status_code == 422 and message in response.content.decode()
    assert not Argument.objects.exists()


def test_a_rebuttal_of_a_rebuttal_is_not_offered(client: Client) -> None:
    debate = make_debate()
    pro = add(debate, "for")
    rebuttal = add(debate, "against", replies_to=pro)
    response = client.post(_url(debate, "contribute/"), _contribution(replies_to=str(rebuttal.pk)))
    assert response.status_code == 422 and not Argument.objects.filter(author_email__gt="").exists()


def test_a_contribution_is_confirmed_by_post_and_waits_for_moderation(
    client: Client, smtp_sink: SmtpSink
) -> None:
    debate = make_debate()
    response = client.post(_url(debate, "contribute/"), _contribution())
    assert response.status_code == 303 and response["Location"] == "/debates/check-email/"
    argument = Argument.objects.get()
    assert argument.state == ArgumentState.SUBMITTED
    sent = send_due_contribution_emails()
    message = smtp_sink.wait_for(sent)[-1]
    path = re.search(r"https?://[^/\s]+(/debates/confirm/\S+)", text_body(message)).group(1)  # type: ignore[union-attr]
    assert client.get(path).status_code == 200  # a mail scanner's GET confirms nothing
    assert Argument.objects.get().state == ArgumentState.SUBMITTED
    assert client.post(path, form_token_data()).status_code == 200
    assert Argument.objects.get().state == ArgumentState.CONFIRMED
    assert "Asylum protects" not in client.get(_url(debate)).content.decode()


def test_a_forged_confirmation_link_opens_nothing(client: Client) -> None:
    argument = submit(make_debate())
    response = client.post("/debates/confirm/forged.token/", form_token_data())
    assert response.status_code == 404
    assert Argument.objects.get(pk=argument.pk).state == ArgumentState.SUBMITTED


def test_the_honeypot_stores_nothing_and_answers_as_usual(client: Client) -> None:
    debate = make_debate()
    response = client.post(_url(debate, "contribute/"), _contribution(website="http://spam"))
    assert response.status_code == 303 and not Argument.objects.exists()


def test_a_contribution_without_the_browser_check_is_held_not_refused(
    client: Client, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.PROOF_OF_WORK = True
    debate = make_debate()
    response = client.post(_url(debate, "contribute/"), _contribution())
    assert response.status_code == 303
    assert Argument.objects.get().held_reason == "no_pow"
