"""`undersigned demo --signatures N`: synthetic, clearly fake, confirmed signatures over the
demo petition's life and countries, with its counts, history and milestones; DEBUG only."""

from __future__ import annotations

import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Max, Min, Sum

from undersigned.petitions.models import Milestone, Petition
from undersigned.signatures.models import HourlyCount, Signature, SignatureCount
from undersigned.transparency.reconcile import reconcile

pytestmark = pytest.mark.django_db

SLUG = "together-for-julian-assange"


def demo(n: int) -> str:
    out = StringIO()
    call_command("demo", signatures=n, stdout=out)
    return out.getvalue()


def total(model, **filters) -> int:
    return model.objects.filter(**filters).aggregate(n=Sum("count"))["n"] or 0


def test_the_demo_fills_the_petition_and_its_history_with_fake_confirmed_signers(settings):
    settings.DEBUG = True
    started = time.monotonic()
    demo(2_000)
    assert time.monotonic() - started < 30
    petition = Petition.objects.get(slug=SLUG)
    rows = Signature.objects.filter(petition=petition)
    assert rows.count() == 2_000
    log = reconcile(petition)  # a journalist's verifier finds the demo's count in its log
    assert log.agrees and log.log_count == 2_000 == log.page_count
    assert not rows.exclude(email__endswith="@example.invalid").exists()
    assert not rows.exclude(name__startswith="Demo Signer ").exists()
    assert not rows.filter(updates_opt_in=True).exists()  # nobody to email for real
    assert rows.values("country").distinct().count() > 10
    span = rows.aggregate(first=Min("confirmed_at"), last=Max("confirmed_at"))
    assert (span["last"] - span["first"]).days > 365 * 5  # over the petition's whole life
    assert total(SignatureCount, petition=petition) == 2_000
    assert total(HourlyCount, petition=petition, country="") == 2_000
    crossed = Milestone.objects.get(petition=petition, count=1_000)
    assert crossed.crossed_at is not None and crossed.crossed_at.year < 2026  # when reached
    assert Milestone.objects.get(petition=petition, count=10_000).crossed_at is None


def test_running_it_again_changes_nothing_and_a_smaller_n_removes_the_surplus(settings):
    settings.DEBUG = True
    demo(300)
    before = list(Signature.objects.order_by("pk").values_list("pk", "confirmed_at", "country"))
    assert "(0 added," in demo(300)
    after = list(Signature.objects.order_by("pk").values_list("pk", "confirmed_at", "country"))
    assert after == before
    demo(100)
    assert Signature.objects.count() == 100
    assert total(HourlyCount, country="") == 100 == total(SignatureCount)
    log = reconcile(Petition.objects.get(slug=SLUG))  # the surplus left the log too
    assert log.agrees and log.log_count == 100 == log.page_count


def test_the_demo_refuses_synthetic_signatures_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="development only"):
        demo(10)
    assert not Signature.objects.exists()


def test_an_absurd_number_is_refused(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="0 to 1,000,000"):
        demo(-1)
