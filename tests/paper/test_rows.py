"""Each row is checked by the sign form's rules; the address shortcut gives the sign form's
answers; a big import's memory stays flat."""

from __future__ import annotations

import io
import time
import tracemalloc

import pytest
from django import forms

from tests.factories import make_petition
from undersigned.paper import services
from undersigned.paper.rows import check_email
from undersigned.signatures.forms import validated_email
from undersigned.signatures.normalise import normalise_email

AWKWARD = [
    "plain@example.org",
    "Jane.Doe+news@GMAIL.com",
    "o'brien@example.ie",
    "a..b@example.org",
    ".a@example.org",
    "a.@example.org",
    "user@localhost",
    "user@-example.org",
    "user@example..org",
    "user@exa_mple.org",
    "user@[192.0.2.1]",
    '"quoted"@example.org',
    "jürgen@example.de",
    "user@bücher.example",
    "user@xn--bcher-kva.example",
    "x" * 65 + "@e.org",
    "user@" + "a" * 64 + ".org",
    "user@example.org.",
    "user@@example.org",
    "user@ example.org",
    "us er@example.org",
    "user@example",
    "postmaster@Example.ORG",
    "a@b.c",
    "user@123.45",
    "USER@EXAMPLE.ORG",
    "tab\t@example.org",
    "ok-{}@example.org",
    "a/b=c?d@example.org",
]


def sign_form_answer(raw: str) -> tuple[str, str]:
    try:
        return normalise_email(validated_email(raw).normalized), ""
    except forms.ValidationError:
        return "", "email_invalid"


@pytest.mark.parametrize("address", AWKWARD)
def test_the_address_shortcut_gives_the_sign_forms_answer(address):
    assert check_email(address) == sign_form_answer(address)


def test_a_disposable_address_is_refused_as_on_the_sign_form():
    assert check_email("someone@mailinator.com") == ("", "email_disposable")


def _file(n: int) -> bytes:
    lines = ["name,email,country"]
    lines += [f"Signer {i},{'' if i % 3 == 0 else f'signer.{i}@example.org'},DE" for i in range(n)]
    return ("\n".join(lines) + "\n").encode()


def _peak_of_import(petition, n: int) -> tuple[int, int]:
    data = _file(n)
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        batch = services.preview_import(petition, io.BytesIO(data), len(data),
                                        sheet_reference="big", acting_user=None)  # fmt: skip
        services.apply_batch(batch, token=batch.token, expected=batch.accepted_count,
                             acting_user=None)  # fmt: skip
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak, batch.accepted_count


@pytest.mark.django_db
def test_importing_40000_rows_takes_no_more_memory_than_10000():
    """Memory flat (streamed reading, batched writes): the bigger file's peak is at most half
    again the smaller's. The file itself is in memory here (an upload's bytes); the peak
    measured is what the import allocates beyond it."""
    started = time.monotonic()
    small, small_accepted = _peak_of_import(make_petition(), 10_000)
    big, big_accepted = _peak_of_import(make_petition(), 40_000)
    print(f"\npaper import peak: 10,000 rows {small / 1024:.0f} KiB; 40,000 rows "
          f"{big / 1024:.0f} KiB; {time.monotonic() - started:.1f} s")  # fmt: skip
    assert (small_accepted, big_accepted) == (10_000, 40_000)
    assert big < 1.5 * small + 256 * 1024


def test_country_names_are_english_whatever_language_asks_first():
    from django.utils import translation

    from undersigned.paper import rows

    rows._country_lookup.cache_clear()
    with translation.override("de"):
        assert rows.country_code("Germany") == "DE"
        assert rows.country_code("Deutschland") == ""  # English names only, as documented
    assert rows.country_code(" united   kingdom ") == "GB"
