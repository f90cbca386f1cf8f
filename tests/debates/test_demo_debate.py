"""The demo debate: at least four sourced arguments a side, loaded once however often it runs."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from undersigned.debates.demo import load_demo_debate
from undersigned.debates.models import Argument, Debate, Source
from undersigned.debates.states import ArgumentState
from undersigned.web.demo import load_demo

pytestmark = pytest.mark.django_db


def test_the_demo_debate_has_four_sourced_arguments_a_side() -> None:
    load_demo()
    debate = load_demo_debate()
    questions = [getattr(debate, f"question_{language}") for language in ("en", "de", "es")]
    assert questions[0] == "Should Ecuador grant asylum to Julian Assange?"
    assert all(questions)
    for side in ("for", "against"):
        top = Argument.objects.filter(debate=debate, side=side, replies_to=None)
        assert top.count() >= 4
    assert not Argument.objects.filter(debate=debate, sources__isnull=True).exists()
    assert set(Argument.objects.values_list("state", flat=True)) == {ArgumentState.PUBLISHED}
    for url in Source.objects.values_list("url", flat=True):
        assert urlsplit(url).scheme in {"http", "https"} and urlsplit(url).hostname


def test_loading_the_demo_twice_changes_nothing() -> None:
    load_demo()
    load_demo_debate()
    counts = (Debate.objects.count(), Argument.objects.count(), Source.objects.count())
    load_demo_debate()
    assert (Debate.objects.count(), Argument.objects.count(), Source.objects.count()) == counts


def test_the_demo_command_loads_the_debate_page(client: Client) -> None:
    call_command("demo")
    page = client.get("/cases/julian-assange/debates/asylum/").content.decode()
    assert "Should Ecuador grant asylum to Julian Assange?" in page
    assert "(ohchr.org, " in page and "Rebuttals" in page
