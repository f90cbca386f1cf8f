"""A contributor's data: "manage my data" finds it and erases it; retention removes what is no
longer needed. A published argument keeps its text, never its writer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.debates.helpers import make_debate, submit
from tests.factories import make_staff
from undersigned.campaigns.models import Role
from undersigned.core import personal_data as registry
from undersigned.debates import personal_data, services
from undersigned.debates.models import Argument
from undersigned.debates.states import ArgumentState

pytestmark = pytest.mark.django_db


def _published(debate, email: str = "rita@example.org") -> Argument:  # type: ignore[no-untyped-def]
    argument = submit(debate, email=email)
    Argument.objects.filter(pk=argument.pk).update(state=ArgumentState.CONFIRMED)
    argument.refresh_from_db()
    services.publish_argument(
        argument, acting_user=make_staff(debate.case.organisation, Role.MODERATOR)
    )
    return argument


def test_manage_my_data_finds_a_contributors_arguments_and_nobody_elses() -> None:
    debate = make_debate()
    submit(debate, claim="Mine", email="rita@example.org")
    submit(debate, claim="Theirs", email="sam@example.org")
    found = registry.export_everything("rita@example.org")["debate_contributions"]
    assert [row["claim"] for row in found["arguments"]] == ["Mine"]
    assert "confirmation_key" not in found["arguments"][0]
    assert registry.export_everything("nobody@example.org")["debate_contributions"] == {}


def test_erasure_keeps_a_published_text_without_its_writer_and_deletes_the_rest() -> None:
    debate = make_debate()
    published = _published(debate)
    pending = submit(debate, claim="Not yet confirmed", email="rita@example.org")
    assert registry.erase_everything("rita@example.org")["debate_contributions"] == 2
    published.refresh_from_db()
    assert published.claim and published.author_email == "" and published.author_name == ""
    assert not Argument.objects.filter(pk=pending.pk).exists()
    assert registry.export_everything("rita@example.org")["debate_contributions"] == {}


def test_retention_deletes_expired_unconfirmed_and_anonymises_long_decided(settings) -> None:  # type: ignore[no-untyped-def]
    debate = make_debate()
    expired = submit(debate, claim="Never confirmed")
    Argument.objects.filter(pk=expired.pk).update(
        confirmation_expires_at=timezone.now() - timedelta(minutes=1)
    )
    published = _published(debate, email="old@example.org")
    later = timezone.now() + timedelta(days=settings.DEBATE_CONTRIBUTOR_DAYS + 1)
    done = personal_data.apply_retention(later)
    assert done["contributions_deleted"] >= 1 and done["contributions_anonymised"] == 1
    assert not Argument.objects.filter(pk=expired.pk).exists()
    published.refresh_from_db()
    assert published.state == ArgumentState.PUBLISHED and published.author_email == ""


def test_the_privacy_notice_says_how_long_contributors_are_kept(client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBATE_CONTRIBUTOR_DAYS = 45
    page = client.get("/privacy/").content.decode()
    assert "removed 45 days after our moderators decide" in page
    assert "only a keyed hash of your network address and the day" in page
