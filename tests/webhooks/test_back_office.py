"""The back office's webhook pages, as an admin uses them."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import make_organisation, make_staff
from tests.sign_in import sign_in
from tests.webhooks.helpers import make_endpoint
from undersigned.audit.models import AuditAction, AuditLogEntry
from undersigned.campaigns.models import Role
from undersigned.webhooks.models import Delivery, DisabledReason, Endpoint

pytestmark = pytest.mark.django_db

NEW = {"name": "CiviCRM", "url": "https://crm.example.org/hooks",
       "events": ["signature.confirmed", "signature.erased"]}  # fmt: skip


@pytest.fixture
def organisation():
    return make_organisation(name="Riverside Watch")


@pytest.fixture
def admin(organisation):
    return sign_in(Client(), make_staff(organisation, Role.ADMIN))


def webhooks_url(organisation) -> str:
    return f"/staff/organisations/{organisation.slug}/webhooks/"


def test_a_new_webhook_starts_disabled_and_its_secret_is_shown_once(admin, organisation):
    response = admin.post(webhooks_url(organisation), NEW)
    assert response.status_code == 200
    endpoint = Endpoint.objects.get()
    assert not endpoint.enabled and endpoint.disabled_reason == DisabledReason.NEW
    assert endpoint.secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert (
        endpoint.secret
        not in admin.get(f"{webhooks_url(organisation)}{endpoint.pk}/").content.decode()
    )
    entry = AuditLogEntry.objects.get(action=AuditAction.WEBHOOK_CREATED)
    assert endpoint.secret not in entry.detail + entry.subject


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"url": "http://crm.example.org/hooks"}, "The URL must start with https://."),
        ({"url": "https://192.168.1.10/hooks"}, "private or local address"),
        ({"url": "https://" + "a" * 600 + ".org/"}, "500 characters or fewer"),
        ({"events": []}, "Choose at least one event."),
        ({"events": ["signature.everything"]}, "Choose events from the list."),
        ({"name": ""}, "Enter a name for the webhook."),
    ],
)
def test_bad_input_is_refused_with_its_reason_in_the_error_summary(
    admin, organisation, change, message
):
    response = admin.post(webhooks_url(organisation), {**NEW, **change})
    assert response.status_code == 422
    page = response.content.decode()
    assert 'class="error-summary"' in page and message in page
    assert Endpoint.objects.count() == 0


def test_enabling_disabling_and_rotating_are_audited(admin, organisation):
    endpoint = make_endpoint(organisation, "https://crm.example.org/hooks", enabled=False)
    base = f"{webhooks_url(organisation)}{endpoint.pk}/"
    assert admin.post(f"{base}enable/").status_code == 303
    assert Endpoint.objects.get(pk=endpoint.pk).enabled
    assert admin.post(f"{base}disable/").status_code == 303
    assert Endpoint.objects.get(pk=endpoint.pk).disabled_reason == DisabledReason.STAFF
    old = endpoint.secret
    response = admin.post(f"{base}rotate-secret/")
    rotated = Endpoint.objects.get(pk=endpoint.pk)
    assert rotated.secret != old and rotated.previous_secret == old
    assert rotated.secret in response.content.decode()
    actions = set(AuditLogEntry.objects.values_list("action", flat=True))
    assert {AuditAction.WEBHOOK_ENABLED, AuditAction.WEBHOOK_DISABLED,
            AuditAction.WEBHOOK_SECRET_ROTATED} <= actions  # fmt: skip


def test_the_delivery_log_shows_status_attempts_and_the_last_response(admin, organisation):
    endpoint = make_endpoint(organisation, "https://crm.example.org/hooks")
    Delivery.objects.create(endpoint=endpoint, attempts=3, response_status=503,
                            failure="status", response_excerpt="busy, try later")  # fmt: skip
    page = admin.get(f"{webhooks_url(organisation)}{endpoint.pk}/").content.decode()
    assert "503" in page and "busy, try later" in page and ">3<" in page
    assert "Redeliver" in page and "Send test" in page


def test_an_admin_of_another_organisation_cannot_see_our_webhooks(organisation):
    endpoint = make_endpoint(organisation, "https://crm.example.org/hooks")
    stranger = sign_in(Client(), make_staff(make_organisation(), Role.ADMIN))
    response = stranger.get(f"{webhooks_url(organisation)}{endpoint.pk}/")
    assert response.status_code == 404
    assert endpoint.url not in response.content.decode()


def test_the_staff_home_links_an_admin_to_the_webhooks(admin, organisation):
    assert webhooks_url(organisation) in admin.get("/staff/").content.decode()


def test_an_editor_is_not_linked_to_the_webhooks(organisation):
    editor = sign_in(Client(), make_staff(organisation, Role.EDITOR))
    assert webhooks_url(organisation) not in editor.get("/staff/").content.decode()
