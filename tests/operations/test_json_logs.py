"""With LOG_FORMAT=json the logs are one JSON object a line, and no personal datum is in them:
a signer signs, gets the email, confirms, is counted, and a data officer exports the signers
with their emails — and the captured log output holds no name, email, address, token or
query string."""

from __future__ import annotations

import io
import json
import logging
import re
from typing import Any

import pytest
from django.test import Client, override_settings

from tests.factories import (
    form_token_data,
    make_case,
    make_organisation,
    make_petition,
    make_staff,
    sign_form_data,
)
from tests.fixtures.smtp import text_body
from tests.privacy.helpers import streamed_body
from tests.sign_in import sign_in
from undersigned.campaigns.models import Role
from undersigned.core.jsonlog import JsonFormatter, scrub
from undersigned.signatures.emails import send_due_emails
from undersigned.signatures.models import Signature
from undersigned.signatures.services import count_new_confirmations

pytestmark = pytest.mark.django_db

NAME, EMAIL, ADDRESS = "Zebulon Quixote", "zebulon.quixote@example.org", "198.51.100.23"


@pytest.fixture
def json_log():
    """Everything logged at INFO and above (production's level), as LOG_FORMAT=json writes it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root, requests = logging.getLogger(), logging.getLogger("undersigned.requests")
    levels = root.level, requests.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    requests.setLevel(logging.INFO)
    with override_settings(LOG_REQUESTS=True):
        yield stream
    root.removeHandler(handler)
    root.setLevel(levels[0])
    requests.setLevel(levels[1])


def test_signing_confirming_and_exporting_log_no_personal_data(json_log, smtp_sink):
    organisation = make_organisation()
    petition = make_petition(case=make_case(organisation=organisation))
    signer = Client(REMOTE_ADDR=ADDRESS)
    signer.get(f"/petitions/{petition.slug}/?utm_source=secret-campaign&email={EMAIL}")
    signer.post(
        f"/petitions/{petition.slug}/sign/?ref=secret-ref",
        sign_form_data(name=NAME, email=EMAIL, updates_opt_in="on"),
    )
    send_due_emails()
    body = text_body(smtp_sink.wait_for(1)[-1])
    link = re.search(r"https?://[^/\s]+(/confirm/([^/\s]+)/)", body)
    assert link, "the email carries a confirmation link"
    path, token = link.group(1), link.group(2)
    signer.get(path)
    signer.post(path, form_token_data())
    signer.post(f"/confirm/{token}x/", form_token_data())  # a mangled link
    signer.get(f"/confirm/{token}/nothing-here/")  # a 404 that Django logs with its path
    count_new_confirmations()
    assert Signature.objects.counting().filter(email=EMAIL).exists()

    officer = sign_in(Client(REMOTE_ADDR=ADDRESS), make_staff(organisation, Role.DATA_OFFICER))
    export = officer.get(f"/staff/petitions/{petition.slug}/export/signatures.csv?with_email=1")
    assert export.status_code == 200
    assert EMAIL in streamed_body(export)

    output = json_log.getvalue()
    lines = [json.loads(line) for line in output.splitlines()]
    routes = {line.get("route") for line in lines}
    assert {"signatures:sign", "signatures:confirm", "staff:privacy:export_signatures"} <= routes
    assert all(
        line["request_id"]
        for line in lines
        if line["logger"].startswith(("undersigned.requests", "django.request"))
    )
    assert any(line.get("status") == 404 for line in lines)
    for datum in [NAME, *NAME.split(), EMAIL, EMAIL.split("@")[0], "zebulon", ADDRESS, token,
                  "secret-campaign", "secret-ref", "utm_source", "with_email"]:  # fmt: skip
        assert datum not in output, datum


def record(message: str, *args: object, exc_info: Any = None) -> logging.LogRecord:
    return logging.LogRecord("t", logging.WARNING, __file__, 1, message, args, exc_info)


def test_an_exception_is_logged_as_its_type_and_frames_never_its_message():
    try:
        raise ValueError(f"duplicate key (email_normalised)=({EMAIL}) for {NAME}")
    except ValueError:
        import sys

        line = json.loads(JsonFormatter().format(record("could not save", exc_info=sys.exc_info())))
    assert line["exception"]["type"] == "ValueError"
    assert any("test_json_logs.py" in frame for frame in line["exception"]["frames"])
    assert EMAIL not in json.dumps(line) and NAME not in json.dumps(line)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"sent to {EMAIL}", "sent to [email]"),
        ("from 203.0.113.7 and 2001:db8::1", "from [ip] and [ip]"),
        ("GET /petitions/x/?email=a", "GET /petitions/x/[query]"),
        ("link /confirm/AbC123dEf456GhI789jKl0/", "link /confirm/[token]/"),
        ("task undersigned.signatures.tasks.count_new_confirmations at 12:30:45",
         "task undersigned.signatures.tasks.count_new_confirmations at 12:30:45"),
    ],
)  # fmt: skip
def test_the_second_net_replaces_addresses_queries_and_tokens(text, expected):
    assert scrub(text) == expected


def test_a_log_line_is_one_json_object_with_the_usual_fields():
    line = json.loads(JsonFormatter().format(record("%d emails sent", 3)))
    assert line["message"] == "3 emails sent"
    assert line["level"] == "WARNING" and line["logger"] == "t"
    assert line["time"].endswith("+00:00")
