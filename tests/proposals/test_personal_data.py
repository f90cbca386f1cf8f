"""A proposer's and a sponsor's data: in their download, gone on erasure, and kept no longer
than docs/public-petitions.md says (retention on a moved clock)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.factories import make_staff
from tests.proposals.helpers import make_proposal
from undersigned.audit.models import AuditAction, AuditLogEntry
from undersigned.campaigns.models import Organisation, Role
from undersigned.core import personal_data
from undersigned.core.linktoken import new_key
from undersigned.proposals.models import EmailKind, Proposal, ProposalEmail, Sponsor
from undersigned.proposals.personal_data import apply_retention
from undersigned.proposals.services import owe_email, publish_proposal, reject_proposal
from undersigned.proposals.states import ProposalState
from undersigned.signatures.normalise import normalise_email
from undersigned.worker.runner import PERIODIC_TASKS

pytestmark = pytest.mark.django_db

ZOE = "Zoe.Quill+drafts@GMail.com"
ZOE_KEY = normalise_email(ZOE)  # zoequill@gmail.com
OTHER = "owen.other@example.org"


def sponsor(proposal: Proposal, email: str, name: str, *, confirmed: bool = True) -> Sponsor:
    row = Sponsor.objects.create(
        proposal=proposal, name=name, email=email, email_normalised=normalise_email(email),
        confirmation_key=new_key(), confirmation_expires_at=timezone.now() + timedelta(days=7),
        confirmed_at=timezone.now() if confirmed else None,
    )  # fmt: skip
    if confirmed:
        Proposal.objects.filter(pk=proposal.pk).update(sponsor_count=proposal.sponsor_count + 1)
        proposal.sponsor_count += 1
    return row


def by(email: str, name: str, organisation: Organisation, **fields) -> Proposal:
    return make_proposal(
        organisation, creator_email=email, creator_email_normalised=normalise_email(email),
        creator_name=name, **fields,
    )  # fmt: skip


@pytest.fixture
def footprint(organisation):
    """Zoe drafted one proposal (now published) and one still gathering, and sponsored Owen's;
    Owen drafted his and sponsored Zoe's."""
    moderator = make_staff(organisation, Role.MODERATOR)
    published = by(ZOE, "Zoe Quill", organisation, state=ProposalState.IN_MODERATION)
    sponsor(published, OTHER, "Owen Other")
    publish_proposal(published, acting_user=moderator)
    gathering = by(ZOE, "Zoe Quill", organisation, title="Zoe's second proposal")
    owens = by(OTHER, "Owen Other", organisation, title="Owen's proposal")
    sponsor(owens, "zoequill@googlemail.com", "Zoe Q.")  # her mailbox, spelled otherwise
    sponsor(owens, "third@example.org", "Third Person", confirmed=False)
    owe_email(gathering, EmailKind.CONFIRM_CREATOR)
    return {"published": published, "gathering": gathering, "owens": owens}


def test_the_download_holds_her_proposals_and_sponsorships_and_nothing_of_others(footprint):
    data = personal_data.export_everything(ZOE_KEY)["public_petitions"]
    created = {row["title"]: row for row in data["proposals_created"]}
    assert set(created) == {footprint["published"].title, "Zoe's second proposal"}
    assert created[footprint["published"].title]["state"] == ProposalState.PUBLISHED
    assert created[footprint["published"].title]["decided_at"] is not None
    assert created["Zoe's second proposal"]["your_name"] == "Zoe Quill"
    assert created["Zoe's second proposal"]["what_should_happen"] == "Stop the dam."
    [sponsorship] = data["sponsorships"]
    assert sponsorship["proposal_title"] == "Owen's proposal"
    assert (sponsorship["your_name"], sponsorship["confirmed"]) == ("Zoe Q.", True)
    text = json.dumps(data).lower()
    for stranger in (
        "owen other",
        OTHER,
        "third",
        *Proposal.objects.values_list("slug", flat=True),
    ):
        assert stranger.lower() not in text, stranger
    for key in [*Proposal.objects.values_list("confirmation_key", flat=True)]:
        assert key not in text, "no key that opens a link"
    assert personal_data.export_everything("nobody@example.org")["public_petitions"] == {}
    assert not personal_data.holds_anything("nobody@example.org")


def test_erasure_keeps_a_published_text_without_its_creator_and_deletes_the_rest(footprint):
    published, gathering, owens = footprint["published"], footprint["gathering"], footprint["owens"]
    old_key = published.confirmation_key
    assert personal_data.erase_everything(ZOE_KEY)["public_petitions"] == 3

    published.refresh_from_db()
    creator = (published.creator_name, published.creator_email, published.creator_email_normalised)
    assert creator == ("", "", "")
    assert published.title and published.action and published.petition_id is not None
    assert published.confirmation_key != old_key, "an old link no longer finds it"
    assert not Proposal.objects.filter(pk=gathering.pk).exists()
    assert not ProposalEmail.objects.filter(proposal_id=gathering.pk).exists()
    assert not ProposalEmail.objects.filter(proposal=published, sponsor__isnull=True).exists()
    # Her confirmed sponsorship is gone and off Owen's count; Owen's data is untouched.
    owens.refresh_from_db()
    assert owens.sponsor_count == 0
    assert list(Sponsor.objects.filter(proposal=owens).values_list("email", flat=True)) == [
        "third@example.org"
    ]
    assert owens.creator_email == OTHER
    assert Sponsor.objects.filter(proposal=published, email=OTHER).exists()
    assert personal_data.export_everything(ZOE_KEY)["public_petitions"] == {}
    assert personal_data.erase_everything(ZOE_KEY)["public_petitions"] == 0


def test_erasure_deletes_a_rejected_proposal_entirely(organisation):
    rejected = by(ZOE, "Zoe Quill", organisation, state=ProposalState.IN_MODERATION)
    reject_proposal(rejected, "unclear", acting_user=make_staff(organisation, Role.MODERATOR))
    personal_data.erase_everything(ZOE_KEY)
    assert not Proposal.objects.filter(pk=rejected.pk).exists()


T0 = datetime(2025, 1, 31, 12, 0, tzinfo=UTC)


def test_retention_removes_exactly_what_is_due(organisation):
    moderator = make_staff(organisation, Role.MODERATOR)
    with time_machine.travel(T0, tick=False):
        never_confirmed = by("late@example.org", "Late Larry", organisation, state="unconfirmed")
        gathering = by("gina@example.org", "Gina Gathers", organisation)
        lazy = sponsor(gathering, "lazy@example.org", "Lazy Sponsor", confirmed=False)
        keen = sponsor(gathering, "keen@example.org", "Keen Sponsor")
        decided = by("dora@example.org", "Dora Decided", organisation, state="in_moderation")
        sponsor(decided, "sam@example.org", "Sam Sponsor")
        publish_proposal(decided, acting_user=moderator)
        rejected = by("rita@example.org", "Rita Rejected", organisation, state="in_moderation")
        reject_proposal(rejected, "duplicate", acting_user=moderator)

    with time_machine.travel(T0 + timedelta(days=29, hours=23), tick=False):
        assert apply_retention() == {
            "proposals_deleted": 0, "sponsors_deleted": 0, "proposals_anonymised": 0,
        }  # fmt: skip
    with time_machine.travel(T0 + timedelta(days=30, minutes=1), tick=False):
        assert apply_retention() == {
            "proposals_deleted": 1, "sponsors_deleted": 1, "proposals_anonymised": 0,
        }  # fmt: skip
    assert not Proposal.objects.filter(pk=never_confirmed.pk).exists()
    assert not Sponsor.objects.filter(pk=lazy.pk).exists()
    assert Sponsor.objects.filter(pk=keen.pk).exists(), "a confirmed sponsor stays"
    assert Proposal.objects.get(pk=gathering.pk).creator_email == "gina@example.org"

    # 31 January + 6 months = 31 July: due only after it.
    with time_machine.travel(datetime(2025, 7, 31, 11, 59, tzinfo=UTC), tick=False):
        assert apply_retention()["proposals_anonymised"] == 0
    with time_machine.travel(datetime(2025, 7, 31, 12, 1, tzinfo=UTC), tick=False):
        assert apply_retention() == {
            "proposals_deleted": 0, "sponsors_deleted": 1, "proposals_anonymised": 2,
        }  # fmt: skip
        assert apply_retention()["proposals_anonymised"] == 0, "nothing left to do"
    for proposal in (decided, rejected):
        proposal.refresh_from_db()
        assert (proposal.creator_name, proposal.creator_email) == ("", "")
        assert proposal.title and proposal.action, "the text stays"
        assert not Sponsor.objects.filter(proposal=proposal).exists()
    assert decided.sponsor_count == 1, "the number of sponsors stays"
    assert Proposal.objects.get(pk=gathering.pk).creator_email == "gina@example.org"
    entries = AuditLogEntry.objects.filter(action=AuditAction.RETENTION_RUN)
    assert entries.count() == 2
    for entry in entries:
        assert "@" not in entry.detail and "Dora" not in entry.detail


def test_the_worker_runs_proposal_retention_hourly():
    assert ("apply_proposal_retention", 3600) in [
        (task.name, every) for task, every in PERIODIC_TASKS
    ]


def test_a_proposal_still_gathering_after_a_year_is_deleted_with_its_sponsors(organisation):
    with time_machine.travel(T0, tick=False):
        stalled = by("stan@example.org", "Stan Stalled", organisation)
        sponsor(stalled, "keen@example.org", "Keen Sponsor")

    with time_machine.travel(datetime(2026, 1, 31, 11, 59, tzinfo=UTC), tick=False):
        assert apply_retention()["proposals_deleted"] == 0
    with time_machine.travel(datetime(2026, 1, 31, 12, 1, tzinfo=UTC), tick=False):
        assert apply_retention() == {
            "proposals_deleted": 1, "sponsors_deleted": 1, "proposals_anonymised": 0,
        }  # fmt: skip
    assert not Proposal.objects.filter(pk=stalled.pk).exists()
    assert not Sponsor.objects.exists()
