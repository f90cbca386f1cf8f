"""A paper signer's address: shown and erased through "manage my data" only for the very
address, and forgotten once the petition's retention has come due."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.factories import make_petition, make_signature
from tests.paper.helpers import apply, csv_bytes, preview
from undersigned.core import personal_data
from undersigned.paper.models import PaperSignature
from undersigned.paper.personal_data import forget_addresses_no_longer_needed
from undersigned.petitions.models import PetitionStatus
from undersigned.signatures.selectors import counted_totals
from undersigned.worker.runner import PERIODIC_TASKS

pytestmark = pytest.mark.django_db


@pytest.fixture
def petition():
    petition = make_petition()
    apply(preview(petition, csv_bytes("Jane,Jane@Example.org,DE", "Bob,,FR")))
    return petition


def test_the_signers_own_address_finds_and_erases_the_paper_signature(petition):
    exported = personal_data.export_everything("jane@example.org")["paper_signatures"]
    assert exported == [{"petition": petition.slug, "country": "DE", "sheet_reference": "S-1",
                         "added_on": timezone.now().date().isoformat()}]  # fmt: skip
    assert personal_data.erase_everything("jane@example.org")["paper_signatures"] == 1
    assert not PaperSignature.objects.filter(email_normalised="jane@example.org").exists()
    assert counted_totals(petition.pk, cached=False)[1] == 2  # still counted, no address


def test_another_spelling_of_the_address_opens_nothing(petition):
    assert personal_data.export_everything("jane+x@example.org")["paper_signatures"] == []
    assert personal_data.erase_everything("jane+x@example.org")["paper_signatures"] == 0


def test_addresses_are_forgotten_when_the_closed_petitions_signers_are_anonymised(petition):
    online = make_signature(petition)
    petition.status = PetitionStatus.CLOSED
    petition.save()
    assert forget_addresses_no_longer_needed() == 0  # an online signer still has their data
    online.anonymised_at = timezone.now()
    online.save()
    assert forget_addresses_no_longer_needed() == 1
    assert not PaperSignature.objects.exclude(email_normalised="").exists()


def test_the_worker_runs_the_paper_retention_hourly():
    assert ("undersigned.paper.tasks.apply_paper_retention", 3600) in {
        (task.module_path, every) for task, every in PERIODIC_TASKS
    }
