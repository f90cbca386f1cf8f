"""No staff path changes anything unrecorded: every Django admin action and every staff POST
URL, found by introspection (the admin's registry, the URLconf), writes an audit entry.

A new admin action or a new staff POST URL fails these tests until it writes one (and, for a
URL, until this file knows how to send it a valid request).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.test import Client, RequestFactory
from django.utils import timezone

from tests.debates.helpers import make_debate, submit
from tests.factories import (
    make_case,
    make_organisation,
    make_petition,
    make_signature,
    make_signatures,
    make_staff,
)
from tests.proposals.helpers import make_proposal
from tests.routes import staff_routes
from tests.sign_in import sign_in, totp_code
from undersigned.audit.models import AuditLogEntry
from undersigned.campaigns.models import Membership, Role, Update
from undersigned.debates.models import Argument, Debate
from undersigned.debates.states import ArgumentState
from undersigned.mailings.services import start_mailing
from undersigned.paper import services as paper_services
from undersigned.partners.services import create_api_key
from undersigned.petitions.models import Milestone, Outcome, PetitionStatus
from undersigned.petitions.outcomes import change_outcome
from undersigned.proposals.states import ProposalState
from undersigned.signatures.invalidation import apply_invalidation
from undersigned.signatures.models import HeldReason, Invalidation
from undersigned.staff.models import StaffSession
from undersigned.webhooks.models import Delivery, Endpoint
from undersigned.webhooks.signing import new_secret

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings: Any) -> dict[str, Any]:
    organisation = make_organisation()
    settings.PUBLIC_PETITIONS = True
    settings.PUBLIC_PETITIONS_ORGANISATION = organisation.slug
    case = make_case(organisation=organisation)
    petition = make_petition(case=case)
    operator = User.objects.create_superuser("operator", password="a-long-test-password")
    make_signatures(petition, 2, held_reason=HeldReason.NO_PROOF_OF_WORK)
    batch = Invalidation.objects.create(
        petition=petition,
        criteria={"email_domain": "nobody.example"},
        reason="test",
        previewed_count=0,
    )
    apply_invalidation(batch.pk)
    return {
        "organisation": organisation, "case": case, "petition": petition, "operator": operator,
        "batch": batch, "mailing": start_mailing(Update.objects.create(
            case=case, published_on=timezone.localdate(), title="News"), acting_user=None),
        "proposal": make_proposal(organisation, state=ProposalState.IN_MODERATION),
        # Milestones and the outcome (issue 12): one reached, one not, one outcome change.
        "milestone": Milestone.objects.create(
            petition=petition, count=1, crossed_at=timezone.now()
        ),
        "future_milestone": Milestone.objects.create(petition=petition, count=1000),
        "outcome_change": change_outcome(petition, Outcome.RESPONDED, acting_user=None),
        "contribution": confirmed_contribution(case),
        "api_key": create_api_key(
            organisation, name="CRM", scopes=["read_signatures"], acting_user=None
        ).api_key,
        "endpoint": (endpoint := Endpoint.objects.create(
            organisation=organisation, name="CRM", secret=new_secret(),
            url="https://crm.example.org/hooks")),
        "delivery": Delivery.objects.create(endpoint=endpoint),
    }  # fmt: skip


def confirmed_contribution(case: Any) -> Any:
    argument = submit(make_debate(case=case))
    Argument.objects.filter(pk=argument.pk).update(state=ArgumentState.CONFIRMED)
    argument.refresh_from_db()
    return argument


def signed_in(world: dict[str, Any]) -> Client:
    return sign_in(Client(), world["operator"])


def other_session(world: dict[str, Any]) -> str:
    sign_in(Client(), world["operator"])
    session = StaffSession.objects.filter(user=world["operator"]).order_by("-pk").first()
    assert session is not None
    return f"/staff/account/sessions/{session.pk}/end/"


def _second_factor_post(world: dict[str, Any]) -> tuple[Client, str, dict[str, str]]:
    client = signed_in(world)  # enrols an app, then signs in again with the password alone
    client.logout()
    client.force_login(world["operator"])
    device = world["operator"].totpdevice_set.get()
    return client, "/staff/sign-in/second-factor/", {"code": totp_code(device, offset_steps=1)}


def _enrol_post(world: dict[str, Any]) -> tuple[Client, str, dict[str, str]]:
    client = Client()
    client.force_login(world["operator"])
    client.get("/staff/sign-in/set-up/")
    device = world["operator"].totpdevice_set.get()
    return client, "/staff/sign-in/set-up/", {"code": totp_code(device)}


def _simple(path: str, data: dict[str, Any] | None = None) -> Callable[..., Any]:
    def build(world: dict[str, Any]) -> tuple[Client, str, dict[str, Any]]:
        petition, case = world["petition"], world["case"]
        return signed_in(world), path.format(
            petition=petition.slug, case=case.slug, batch=world["batch"].pk,
            mailing=world["mailing"].pk, proposal=world["proposal"].slug,
        ), dict(data or {})  # fmt: skip

    return build


def _paper_post(world: dict[str, Any], step: str) -> tuple[Client, str, dict[str, Any]]:
    data = b"name,email,country\nAda,,DE\n"
    batch = paper_services.preview_import(
        world["petition"], io.BytesIO(data), len(data), sheet_reference="S", acting_user=None
    )
    if step == "revert":
        paper_services.apply_batch(batch, token=batch.token, expected=1, acting_user=None)
    path = f"/staff/paper/{world['petition'].slug}/{batch.pk}/{step}/"
    return signed_in(world), path, {"token": batch.token, "expected": "1"}


def _webhook(world: dict[str, Any]) -> str:
    return f"/staff/organisations/{world['organisation'].slug}/webhooks/{world['endpoint'].pk}/"


def _webhook_post(action: str) -> Callable[[dict[str, Any]], tuple[Client, str, dict[str, Any]]]:
    return lambda world: (signed_in(world), f"{_webhook(world)}{action}/", {})


# How to send each staff POST URL a valid request: route → builder(world) → (client, path, data).
VALID_POSTS: dict[str, Callable[[dict[str, Any]], tuple[Client, str, dict[str, Any]]]] = {
    "/staff/login/": lambda world: (
        Client(),
        "/staff/login/",
        {"username": "operator", "password": "a-long-test-password"},
    ),
    "/staff/logout/": _simple("/staff/logout/"),
    "/staff/sign-in/second-factor/": _second_factor_post,
    "/staff/sign-in/set-up/": _enrol_post,
    "/staff/account/add-app/": _enrol_post,
    "/staff/account/recovery-codes/": _simple("/staff/account/recovery-codes/"),
    "/staff/account/sessions/<int:session_id>/end/": lambda world: (
        signed_in(world),
        other_session(world),
        {},
    ),
    "/staff/sign-in/passkey/authentication/complete/": _simple(
        "/staff/sign-in/passkey/authentication/complete/", {"id": "forged"}
    ),
    "/staff/petitions/<slug:slug>/deliveries/": _simple(
        "/staff/petitions/{petition}/deliveries/",
        {
            "delivered_on": timezone.localdate().isoformat(),
            "place": "The ministry",
            "signatures_delivered": "2",
        },
    ),
    "/staff/cases/<slug:slug>/updates/new/": _simple(
        "/staff/cases/{case}/updates/new/",
        {
            "published_on": "2021-01-04",
            "title_en": "Extradition refused",
            "body_en": "Refused.",
            "per_minute": "600",
            "email_signers": "on",
        },
    ),
    "/staff/petitions/<slug:slug>/invalidations/new/": _simple(
        "/staff/petitions/{petition}/invalidations/new/",
        {"held": "any", "step": "confirm", "reason": "bot surge", "expected_count": "2"},
    ),
    "/staff/petitions/<slug:slug>/invalidations/<int:pk>/revert/": _simple(
        "/staff/petitions/{petition}/invalidations/{batch}/revert/"
    ),
    "/staff/petitions/<slug:slug>/held/": _simple(
        "/staff/petitions/{petition}/held/",
        {"reason": HeldReason.NO_PROOF_OF_WORK, "step": "confirm", "expected_count": "2"},
    ),
    "/staff/petitions/<slug:slug>/reach/": _simple(
        "/staff/petitions/{petition}/reach/", {"code": "street-team", "label": "Flyers"}
    ),
    "/staff/proposals/<str:slug>/": _simple(
        "/staff/proposals/{proposal}/", {"decision": "reject", "reason": "duplicate"}
    ),
    # Milestones, the response and the outcome (staff/outcome_views.py).
    "/staff/petitions/<slug:slug>/milestones/": _simple(
        "/staff/petitions/{petition}/milestones/", {"count": "777"}
    ),
    "/staff/petitions/<slug:slug>/milestones/<int:milestone_id>/": lambda world: (
        signed_in(world),
        f"/staff/petitions/{world['petition'].slug}/milestones/{world['milestone'].pk}/",
        {"note_en": "Reached together"},
    ),
    "/staff/petitions/<slug:slug>/milestones/<int:milestone_id>/remove/": lambda world: (
        signed_in(world),
        f"/staff/petitions/{world['petition'].slug}/milestones/"
        f"{world['future_milestone'].pk}/remove/",
        {},
    ),
    "/staff/petitions/<slug:slug>/milestones/<int:milestone_id>/email/": lambda world: (
        signed_in(world),
        f"/staff/petitions/{world['petition'].slug}/milestones/{world['milestone'].pk}/email/",
        {},
    ),
    "/staff/petitions/<slug:slug>/response/": _simple(
        "/staff/petitions/{petition}/response/",
        {"responded_on": "2026-11-30", "body_en": "We will consider it."},
    ),
    "/staff/petitions/<slug:slug>/outcome/change/": _simple(
        "/staff/petitions/{petition}/outcome/change/",
        {"outcome": "won", "changed_on": "2026-12-01"},
    ),
    "/staff/petitions/<slug:slug>/outcome/<int:change_id>/email/": lambda world: (
        signed_in(world),
        f"/staff/petitions/{world['petition'].slug}/outcome/{world['outcome_change'].pk}/email/",
        {},
    ),
    # Paper signatures (paper/views.py): preview typed rows, apply a preview, revert, the goal.
    "/staff/paper/<slug:slug>/": _simple(
        "/staff/paper/{petition}/", {"sheet_reference": "Stall 1", "rows": "Ada,,DE"}
    ),
    "/staff/paper/<slug:slug>/goal/": _simple(
        "/staff/paper/{petition}/goal/", {"counts_toward_goal": "on"}
    ),
    "/staff/paper/<slug:slug>/<int:pk>/apply/": lambda world: _paper_post(world, "apply"),
    "/staff/paper/<slug:slug>/<int:pk>/revert/": lambda world: _paper_post(world, "revert"),
    "/staff/debates/arguments/<int:argument_id>/": lambda world: (
        signed_in(world),
        f"/staff/debates/arguments/{world['contribution'].pk}/",
        {"decision": "publish"},
    ),
    "/staff/debates/<int:debate_id>/close/": lambda world: (
        signed_in(world),
        f"/staff/debates/{world['contribution'].debate_id}/close/",
        {"conclusion": "Concluded."},
    ),
    # Partners (issue 13): an API key made and revoked, a petition's partner policy.
    "/staff/api-keys/": lambda world: (
        signed_in(world),
        "/staff/api-keys/",
        {"organisation": world["organisation"].pk, "name": "CRM", "scopes": ["read_signatures"]},
    ),
    "/staff/api-keys/<int:key_id>/revoke/": lambda world: (
        signed_in(world),
        f"/staff/api-keys/{world['api_key'].pk}/revoke/",
        {},
    ),
    "/staff/petitions/<slug:slug>/partners/": _simple(
        "/staff/petitions/{petition}/partners/", {"accepts_partner_verified": "on"}
    ),
    # Webhooks (webhooks/views.py).
    **{
        f"/staff/organisations/<slug:organisation>/webhooks/<int:endpoint_id>/{action}/": (
            _webhook_post(action)
        )
        for action in ("enable", "disable", "rotate-secret", "test", "delete")
    },
    "/staff/organisations/<slug:organisation>/webhooks/": lambda world: (
        signed_in(world),
        f"/staff/organisations/{world['organisation'].slug}/webhooks/",
        {
            "name": "Partner CRM",
            "url": "https://crm.example.org/new",
            "events": ["signature.confirmed"],
        },
    ),
    "/staff/organisations/<slug:organisation>/webhooks/<int:endpoint_id>/": lambda world: (
        signed_in(world),
        _webhook(world),
        {"name": "CRM", "url": "https://crm.example.org/hooks", "events": ["petition.outcome"]},
    ),
    "/staff/organisations/<slug:organisation>/webhooks/<int:endpoint_id>/deliveries/"
    "<int:delivery_id>/redeliver/": lambda world: (
        signed_in(world),
        f"{_webhook(world)}deliveries/{world['delivery'].pk}/redeliver/",
        {},
    ),
}


# POST URLs that change nothing a person did: each says why.
CHANGES_NOTHING = {
    # A WebAuthn challenge kept in the session for the ceremony that follows.
    "/staff/sign-in/passkey/registration/begin/",
    "/staff/sign-in/passkey/authentication/begin/",
    # Needs a real authenticator; tests/browser/test_two_factor.py signs up a passkey and
    # checks its audit entry.
    "/staff/sign-in/passkey/registration/complete/",
}


def _filled(route: str, world: dict[str, Any]) -> str:
    values = {
        "<slug:slug>": world["case"].slug if "/cases/" in route else world["petition"].slug,
        "<str:slug>": world["proposal"].slug, "<int:pk>": str(world["batch"].pk),
        "<int:mailing_id>": str(world["mailing"].pk), "<int:session_id>": "1",
        "<int:milestone_id>": str(world["milestone"].pk),
        "<int:change_id>": str(world["outcome_change"].pk),
        "<int:argument_id>": str(world["contribution"].pk),
        "<int:debate_id>": str(world["contribution"].debate_id),
        "<int:key_id>": str(world["api_key"].pk),
        "<slug:organisation>": world["organisation"].slug,
        "<int:endpoint_id>": str(world["endpoint"].pk),
        "<int:delivery_id>": str(world["delivery"].pk),
    }  # fmt: skip
    for converter, value in values.items():
        route = route.replace(converter, value)
    assert "<" not in route, f"add a value for {route} to this test"
    return route


def test_every_staff_post_url_is_known_to_this_test(world):
    client = signed_in(world)
    accepting_post = set()
    for route in staff_routes():
        response = client.post(_filled(route, world), {})
        if response.status_code != 405:
            accepting_post.add(route)
    unknown = accepting_post - set(VALID_POSTS) - CHANGES_NOTHING
    assert not unknown, f"staff POST URLs this test cannot check yet: {sorted(unknown)}"


def _last_entry() -> int:
    return AuditLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _recorded_as(actor: Any, after: int) -> bool:
    """An entry written since `after` that names the person who acted."""
    return AuditLogEntry.objects.filter(pk__gt=after, user_id=actor.pk).exists()


@pytest.mark.parametrize("route", sorted(VALID_POSTS))
def test_each_staff_post_writes_an_audit_entry_naming_who_acted(world, route):
    client, path, data = VALID_POSTS[route](world)
    before = _last_entry()
    response = client.post(path, data)
    assert response.status_code < 500
    assert _recorded_as(world["operator"], before), f"{route} wrote no audit entry of its actor"


# -- every admin action -----------------------------------------------------------------------

ACTION_DATA = {"invalidate": {"reason": "bot surge", "expected_count": "1"}}


def _an_object_of(model: Any, world: dict[str, Any]) -> Any:
    """One row of each model the admin shows; a new model registered needs a line here."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_tasks_db.models import DBTaskResult

    from undersigned.mailings.tasks import send_update_mailing

    organisation, petition = world["organisation"], world["petition"]
    makers: dict[Any, Callable[[], Any]] = {
        Group: lambda: Group.objects.create(name="editors"),
        User: lambda: make_staff(organisation, Role.EDITOR),
        Membership: lambda: Membership.objects.get(
            user=make_staff(organisation, Role.DATA_OFFICER)
        ),
        AccessAttempt: lambda: AccessAttempt.objects.create(
            username="x", ip_address="192.0.2.1", failures_since_start=1
        ),
        AccessLog: lambda: AccessLog.objects.create(username="x", ip_address="192.0.2.1"),
        AccessFailureLog: lambda: AccessFailureLog.objects.create(
            username="x", ip_address="192.0.2.1", locked_out=False
        ),
        DBTaskResult: lambda: (
            send_update_mailing.enqueue(world["mailing"].pk, "r"),
            DBTaskResult.objects.order_by("-enqueued_at").first(),
        )[1],
    }
    from undersigned.campaigns.models import Case, Organisation
    from undersigned.petitions.models import Petition
    from undersigned.signatures.models import Signature

    makers.update({
        Organisation: lambda: make_organisation(),
        Case: lambda: make_case(organisation=organisation),
        Update: lambda: Update.objects.create(
            case=world["case"], published_on=timezone.localdate() - timedelta(days=3), title="Old"
        ),
        Petition: lambda: make_petition(
            case=world["case"], status=PetitionStatus.DRAFT, opens_at=timezone.now()
        ),
        # An address no other helper's counter makes (the world's signatures use theirs).
        Signature: lambda: make_signature(petition, email="chosen@admin-walk.example"),
        Debate: lambda: make_debate(case=world["case"], slug="admin-walk"),
    })  # fmt: skip
    assert model in makers, f"add a row of {model._meta.label} to this test"
    return makers[model]()


def test_every_admin_action_writes_an_audit_entry(world):
    client = signed_in(world)
    request = RequestFactory().get("/admin/")
    request.user = world["operator"]
    silent = []
    checked = 0
    for model, model_admin in admin.site._registry.items():
        for name in model_admin.get_actions(request):
            obj = _an_object_of(model, world)
            url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
            before = _last_entry()
            data = {"action": name, "_selected_action": [obj.pk], "post": "yes",
                    **ACTION_DATA.get(name, {})}  # fmt: skip
            response = client.post(url, data)
            assert response.status_code < 500, (model._meta.label, name)
            checked += 1
            if not _recorded_as(world["operator"], before):
                silent.append(f"{model._meta.label}: {name}")
    assert checked >= 10  # the walk found the actions (delete, publish, close, invalidate, …)
    assert not silent, f"admin actions that write no audit entry: {silent}"
