import pytest
from hypothesis import given
from hypothesis import strategies as st

from undersigned.signatures.normalise import normalise_email


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("Jane.Doe+news@GMAIL.com", "janedoe@gmail.com"),
        ("janedoe@googlemail.com", "janedoe@gmail.com"),
        ("j.a.n.e.doe@gmail.com", "janedoe@gmail.com"),
        ("Max.Muster+petitions@Example.ORG", "max.muster@example.org"),
        ("someone@bücher.de", "someone@xn--bcher-kva.de"),
        ("someone@BÜCHER.de", "someone@xn--bcher-kva.de"),
        ("  padded@example.org ", "padded@example.org"),
    ],
)
def test_addresses_normalise_to_one_signer_key(typed, key):
    assert normalise_email(typed) == key


def test_dots_matter_outside_gmail():
    assert normalise_email("jane.doe@example.org") != normalise_email("janedoe@example.org")


@given(st.from_regex(r"[A-Za-z0-9._-]{0,20}(\.[A-Za-z0-9-]{0,12}){0,3}\.?", fullmatch=True))
def test_an_ascii_domain_normalises_as_idna_would(domain):
    """normalise.py skips IDNA for ASCII domains: it must give what IDNA gives."""
    import contextlib

    import idna

    expected = domain.rstrip(".").lower()
    with contextlib.suppress(idna.IDNAError):
        expected = idna.encode(expected, uts46=True).decode("ascii")
    assert normalise_email(f"jane@{domain}") == f"jane@{expected}"
