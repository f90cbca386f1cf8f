"""A moderator's invalidation and its revert are public entries; the log's count follows."""

from __future__ import annotations

import pytest

from tests.factories import make_petition
from tests.transparency.helpers import (
    entries_of,
    log_and_page_agree,
    run_counting,
    sign_and_confirm,
)
from undersigned.signatures.invalidation import (
    COUNTRY,
    EMAIL_DOMAIN,
    apply_invalidation,
    revert_invalidation,
)
from undersigned.signatures.models import Invalidation

pytestmark = pytest.mark.django_db


def test_an_invalidation_names_the_leaves_and_the_kind_of_criteria_never_their_values():
    petition = make_petition()
    sign_and_confirm(petition, "a@example.org", "b@spam.example", "c@spam.example")
    run_counting()
    batch = Invalidation.objects.create(
        petition=petition, criteria={EMAIL_DOMAIN: "spam.example", COUNTRY: "DE"},
        reason="Bots from one domain (Mallory's farm)",
    )  # fmt: skip
    assert apply_invalidation(batch.pk) == 2
    tail = entries_of(petition)[-2:]
    reason = b"invalidated: email_domain,country\n"
    assert tail == [b"undersigned/invalidation/v1\n2\n" + reason,
                    b"undersigned/invalidation/v1\n3\n" + reason]  # fmt: skip
    assert b"spam.example" not in b"".join(entries_of(petition))
    assert b"Mallory" not in b"".join(entries_of(petition))
    assert log_and_page_agree(petition) == (1, 1)


def test_reverting_puts_the_signatures_back_as_new_leaves():
    petition = make_petition()
    sign_and_confirm(petition, "a@example.org", "b@spam.example")
    run_counting()
    batch = Invalidation.objects.create(
        petition=petition, criteria={EMAIL_DOMAIN: "spam.example"}, reason="bots"
    )
    apply_invalidation(batch.pk)
    revert_invalidation(batch, acting_user=None)
    kinds = [e.split(b"\n")[0] for e in entries_of(petition)]
    assert kinds[-2:] == [b"undersigned/invalidation/v1", b"undersigned/signature/v1"]
    assert log_and_page_agree(petition) == (2, 2)
