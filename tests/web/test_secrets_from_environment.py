"""Secrets such as SMTP credentials come only from the environment: no model of any installed
app can hold one, the admin has no settings page for mail, and EMAIL_URL is read from env."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.contrib import admin

from undersigned.config import settings as project_settings

# Field names that could hold a credential or a secret.
SUSPICIOUS = re.compile(
    r"pass(word|wd)?|secret|token|smtp|api_?key|credential|private|(^|_)auth(_|$)|cookie|salt|"
    r"(^|_)key($|_)|_hash$|^hash$",
    re.IGNORECASE,
)

# Every field the scan lets through, and why none of them is a secret the operator configures.
ALLOWED: dict[str, str] = {
    "auth.User.password": "Django's salted one-way hash (Argon2) of a staff password",
    "sessions.Session.session_key": "Django's random session id, made by the server",
    "axes.AccessLog.session_hash": "a hash of the session id, for django-axes' lockouts",
    "signatures.Signature.confirmation_key": "random key of one confirmation link",
    "signatures.Signature.client_hash": "keyed hash of a signer's address (not a secret)",
    "signatures.Signature.receipt_secret": "random receipt of one signature, made by the server",
    "transparency.LogEntry.leaf_hash": "public Merkle leaf hash of the transparency log",
    "transparency.TileNode.hash": "public Merkle node hash of the transparency log",
    "transparency.Checkpoint.root_hash": "public Merkle root hash of the transparency log",
    "privacy.DataRequest.key_hash": "sha256 of a 'manage my data' link's random key",
    "privacy.DataSession.cookie_hash": "sha256 of a 'manage my data' session cookie",
    "proposals.Proposal.confirmation_key": "random key of one confirmation link",
    "proposals.Sponsor.confirmation_key": "random key of one confirmation link",
    "debates.Argument.confirmation_key": "random key of one confirmation link",
    "paper.PaperBatch.token": "random token of one paper import's preview, made by the server",
    "otp_totp.TOTPDevice.key": "an authenticator app's TOTP seed, made by the server at set-up "
    "(django-otp keeps it readable: it must compute codes; docs/security.md)",
    "django_otp_webauthn.WebAuthnCredential.public_key": "a passkey's public key (not secret)",
    "django_otp_webauthn.WebAuthnCredential.credential_id": "a passkey's id (not secret)",
    "django_otp_webauthn.WebAuthnCredential.credential_id_sha256": "its hash, for look-ups",
    "django_otp_webauthn.WebAuthnCredential.credential_type": "'public-key', a constant",
    "django_otp_webauthn.WebAuthnAttestation.credential": "link to the passkey (a foreign key)",
    "staff.StaffSession.session_key": "Django's session id, so its owner can end the session",
    "partners.RecordedSignature.api_key": "which API key recorded a signature (a foreign key)",
    "webhooks.Endpoint.secret": "a webhook endpoint's signing secret, made by the server and "
    "shown once (kept readable: the worker signs with it; docs/webhooks.md)",
    "webhooks.Endpoint.previous_secret": "the secret before a rotation, for 24 hours of overlap",
    "webhooks.Endpoint.previous_secret_until": "when that overlap ends (a time, not a secret)",
}

# Names a mail server's settings would have, if anyone stored them in a row.
MAIL_SERVER_FIELDS = re.compile(
    r"^(email_|mail_|smtp_)?(host|port|host_user|host_password|use_tls|use_ssl|server)$|smtp"
)


def _concrete_fields() -> list[tuple[str, str]]:
    return [
        (f"{model._meta.label}.{field.name}", field.name)
        for model in apps.get_models(include_auto_created=True)
        for field in model._meta.get_fields()
        if getattr(field, "concrete", False)
    ]


def test_no_model_field_can_hold_a_credential_except_the_listed_random_keys_and_hashes() -> None:
    found = {label for label, name in _concrete_fields() if SUSPICIOUS.search(name)}
    assert found - set(ALLOWED) == set(), "a field that could hold a secret; see ALLOWED"


def test_the_scan_finds_the_fields_it_allows() -> None:
    """The allowed list is not stale: each entry is a real field the pattern catches."""
    found = {label for label, name in _concrete_fields() if SUSPICIOUS.search(name)}
    assert set(ALLOWED) - found == set()


def test_no_model_stores_mail_server_settings_and_the_admin_has_no_page_for_them() -> None:
    mail_like = [label for label, name in _concrete_fields() if MAIL_SERVER_FIELDS.search(name)]
    assert mail_like == []
    for model in admin.site._registry:
        names = [field.name for field in model._meta.get_fields()]
        assert not [name for name in names if MAIL_SERVER_FIELDS.search(name)], model
        assert not re.search(r"smtp|mailserver|setting|config", str(model._meta.model_name)), model


@pytest.mark.parametrize(
    ("url", "username", "password", "host", "port"),
    [
        ("smtp+starttls://mailer%40ngo.example:s3cr%2Ft@smtp.example:587", "mailer@ngo.example",
         "s3cr/t", "smtp.example", 587),
        ("smtps://apikey:abc@relay.example", "apikey", "abc", "relay.example", 465),
    ],
)  # fmt: skip
def test_smtp_credentials_are_read_from_email_url_in_the_environment(
    monkeypatch: pytest.MonkeyPatch, url: str, username: str, password: str, host: str, port: int
) -> None:
    monkeypatch.setenv("EMAIL_URL", url)
    options = project_settings._mailer_from_env()["OPTIONS"]
    assert (options["username"], options["password"]) == (username, password)
    assert (options["host"], options["port"]) == (host, port)


def test_without_email_url_no_smtp_credentials_exist_anywhere(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("EMAIL_URL", raising=False)
    mailer = project_settings._mailer_from_env()
    assert mailer == {"BACKEND": "undersigned.notifications.backends.OutboxEmailBackend"}
