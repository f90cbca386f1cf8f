"""The identifiers the partner API and webhooks give rows: opaque, stable, reversible."""

from __future__ import annotations

from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from undersigned.core import opaque_ids
from undersigned.core.opaque_ids import opaque_id, pk_of


@given(st.integers(min_value=0, max_value=2**63 - 1))
def test_an_identifier_finds_its_row_again(pk: int) -> None:
    identifier = opaque_id("signature", pk)
    assert pk_of("signature", identifier) == pk
    assert pk_of("signature", "undersigned:" + identifier) == pk


def test_identifiers_do_not_show_the_order_or_the_number_of_rows() -> None:
    identifiers = [opaque_id("signature", pk) for pk in range(1, 201)]
    assert all(i.startswith("sig_") and len(i) == 30 for i in identifiers)
    assert len(set(identifiers)) == 200
    # A permutation, not a counter: sorting the identifiers does not sort the rows, and
    # neighbours share no long prefix (an encoding of the number itself would do both).
    assert sorted(identifiers) != identifiers
    first, second = identifiers[:2]
    assert sum(a == b for a, b in zip(first, second, strict=True)) < 12


def test_another_kind_or_a_forged_identifier_finds_nothing() -> None:
    identifier = opaque_id("signature", 42)
    assert pk_of("petition", identifier) is None
    assert pk_of("signature", "sig_" + "a" * 26) is None
    assert pk_of("signature", "sig_0000") is None
    assert pk_of("signature", "42") is None
    assert opaque_id("petition", 42) != identifier.replace("sig_", "pet_")


def test_the_key_decides_the_identifiers() -> None:
    before = opaque_id("signature", 7)
    with override_settings(OPAQUE_ID_KEY="another key entirely, for a second site"):
        opaque_ids._cipher_key.cache_clear()
        try:
            assert opaque_id("signature", 7) != before
        finally:
            opaque_ids._cipher_key.cache_clear()
    assert opaque_id("signature", 7) == before
