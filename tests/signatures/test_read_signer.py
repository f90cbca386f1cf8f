"""The sign path checks the form with read_signer, not SignForm; the two must agree on every
input: the same yes or no, and the same cleaned values (the form's errors are what a refused
signer then reads)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import QueryDict
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from undersigned.signatures.forms import SignForm, read_signer

NAMES = st.one_of(
    st.just("Jane Doe"),
    st.text(max_size=120),
    st.sampled_from(["", "   ", "x" * 100, "x" * 101, " x" * 50, "Jane\x00Doe", "Jane\x1bDoe",
                     "<b>Jane</b>", "Jane\ufffd", "  Jane   Doe  ", "Zoë Ölçer", "\u200bJane"]),
)  # fmt: skip
EMAILS = st.one_of(
    st.emails(),
    st.text(max_size=40),
    st.sampled_from([
        "jane@example.org", " Jane.Doe+news@GMAIL.com ", "jane@gmial.com", "jane@mailinator.com",
        "jane@", "a@b", "x" * 250 + "@example.org", "jane@exämple.org", "jane@localhost",
        "jane\x00@example.org", "", "jane@example.org\n", "jane@hotmial.com",
    ]),
)  # fmt: skip
COUNTRIES = st.one_of(
    st.sampled_from(["DE", "de", " fr ", "XX", "Germany", "", "GBR", "g", "KE"]),
    st.text(max_size=3),
)
CHECKBOXES = st.sampled_from([None, "on", "", "false", "False", "0", "true", "1", "off"])
CONSENT = st.one_of(st.just("on"), CHECKBOXES)  # mostly ticked: more valid forms to compare
HONEYPOT = st.sampled_from(["", "  ", "http://spam.example", "x" * 201])


def posted(**fields: object) -> QueryDict:
    """The fields as request.POST holds them; None leaves a field out."""
    return QueryDict(urlencode({k: v for k, v in fields.items() if v is not None}))


def agree(data: QueryDict) -> None:
    form = SignForm(data)
    signer = read_signer(data)
    assert (signer is not None) == form.is_valid(), form.errors
    if signer is not None:
        assert signer.name == form.cleaned_data["name"]
        assert signer.email == form.cleaned_data["email"]
        assert signer.country == form.cleaned_data["country"]
        assert signer.updates_opt_in == form.cleaned_data["updates_opt_in"]
        assert signer.is_bot == form.is_bot


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=NAMES, email=EMAILS, country=COUNTRIES, consent=CONSENT, opt_in=CHECKBOXES,
    website=HONEYPOT, email_checked=st.one_of(st.none(), EMAILS),
)  # fmt: skip
@example(name="Jane", email="jane@gmial.com", country="DE", consent="on", opt_in=None,
         website="", email_checked="JANE@gmial.com ")  # fmt: skip
@example(name="Jane", email="jane@example.org", country="de", consent="0", opt_in="false",
         website="", email_checked=None)  # fmt: skip
def test_read_signer_and_the_sign_form_agree_on_any_input(
    name, email, country, consent, opt_in, website, email_checked
):
    data = posted(
        name=name, email=email, country=country, privacy_consent=consent,
        updates_opt_in=opt_in, website=website, email_checked=email_checked,
    )  # fmt: skip
    agree(data)


def test_a_valid_form_is_read_with_its_normalised_values():
    data = posted(name="  Jane   Doe ", email="Jane@Example.org", country=" de ",
                  privacy_consent="on", updates_opt_in="on")  # fmt: skip
    signer = read_signer(data)
    assert signer is not None
    assert (signer.name, signer.email, signer.country) == ("Jane Doe", "Jane@example.org", "DE")
    assert signer.updates_opt_in is True
    assert signer.is_bot is False


def test_missing_fields_are_refused():
    assert read_signer(posted(name="Jane", email="jane@example.org", country="DE")) is None
    assert read_signer(QueryDict("")) is None
