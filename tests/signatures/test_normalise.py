import pytest

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
