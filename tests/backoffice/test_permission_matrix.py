"""Every staff URL and action, asked by every role of the organisation and by a member of
another organisation: what the rules in campaigns/permissions.py promise.

A member of another organisation learns nothing (404); a member whose role lacks the right
is refused (403). The table below is the promise, written out by hand on purpose.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from tests.factories import make_case, make_organisation, make_petition, make_staff
from tests.sign_in import sign_in
from undersigned.campaigns.models import Role, Update
from undersigned.mailings.models import UpdateMailing
from undersigned.petitions.models import PetitionStatus
from undersigned.signatures.models import Signature

pytestmark = pytest.mark.django_db

E, A, D, M = Role.EDITOR, Role.ANALYST, Role.DATA_OFFICER, Role.ADMIN
MO = Role.MODERATOR
EVERY_ROLE: set[str] = {E, A, D, M, MO}

# (name, method, path template, roles allowed)
STAFF_PAGES: list[tuple[str, str, str, set[str]]] = [
    ("dashboard", "get", "/staff/petitions/{petition}/", EVERY_ROLE),
    # -- moderation pages (fraud signals, bulk invalidation, held signatures) --
    ("fraud signals", "get", "/staff/petitions/{petition}/fraud/", {M, MO}),
    ("invalidations", "get", "/staff/petitions/{petition}/invalidations/", {M, MO}),
    ("new invalidation", "get", "/staff/petitions/{petition}/invalidations/new/", {M, MO}),
    ("preview an invalidation", "post", "/staff/petitions/{petition}/invalidations/new/", {M, MO}),
    ("held signatures", "get", "/staff/petitions/{petition}/held/", {M, MO}),
    ("release held signatures", "post", "/staff/petitions/{petition}/held/", {M, MO}),
    # -- public petition moderation queue --
    # -- privacy pages (retention report) --
    ("retention report", "get", "/staff/petitions/{petition}/retention/", {D, M}),
    ("preview of a draft", "get", "/staff/petitions/{draft}/preview/", {E, M}),
    ("exports page", "get", "/staff/petitions/{petition}/exports/", EVERY_ROLE),
    ("signatures CSV", "get", "/staff/petitions/{petition}/export/signatures.csv", {E, D, M}),
    (
        "signatures CSV with emails",
        "get",
        "/staff/petitions/{petition}/export/signatures.csv?with_email=1",
        {D, M},
    ),
    (
        "countries by day CSV",
        "get",
        "/staff/petitions/{petition}/export/countries-by-day.csv",
        EVERY_ROLE,
    ),
    ("delivery PDF", "get", "/staff/petitions/{petition}/delivery.pdf", {E, D, M}),
    (
        "delivery PDF with names",
        "get",
        "/staff/petitions/{petition}/delivery.pdf?names=1",
        {E, D, M},
    ),
    ("deliveries", "get", "/staff/petitions/{petition}/deliveries/", {E, D, M}),
    ("record a delivery", "post", "/staff/petitions/{petition}/deliveries/", {E, D, M}),
    ("reach: tracked links", "get", "/staff/petitions/{petition}/reach/", EVERY_ROLE),
    ("add a tracked link", "post", "/staff/petitions/{petition}/reach/", {E, M}),
    ("poster PDF", "get", "/staff/petitions/{petition}/poster.pdf", EVERY_ROLE),
    ("signature sheet PDF", "get", "/staff/petitions/{petition}/signature-sheet.pdf", EVERY_ROLE),
    ("case updates", "get", "/staff/cases/{case}/updates/", EVERY_ROLE),
    ("write an update", "get", "/staff/cases/{case}/updates/new/", {E, M}),
    ("send an update", "post", "/staff/cases/{case}/updates/new/", {E, M}),
    ("mailing progress", "get", "/staff/mailings/{mailing}/", EVERY_ROLE),
    ("mailing progress JSON", "get", "/staff/mailings/{mailing}/progress.json", EVERY_ROLE),
    ("edit the petition (admin)", "get", "/admin/petitions/petition/{petition_pk}/change/", {E, M}),
    ("edit the case (admin)", "get", "/admin/campaigns/case/{case_pk}/change/", {E, M}),
    (
        "see a signature (admin)",
        "get",
        "/admin/signatures/signature/{signature_pk}/change/",
        {D, M},
    ),
    ("a membership (admin)", "get", "/admin/campaigns/membership/{membership_pk}/change/", {M}),
]
REFUSED_IN_ADMIN = {302, 403, 404}  # the admin redirects or refuses; it never shows the page


@pytest.fixture
def world() -> dict[str, Any]:
    ours = make_organisation()
    case = make_case(organisation=ours)
    petition = make_petition(case=case)
    draft = make_petition(case=case, status=PetitionStatus.DRAFT)
    signature = Signature.objects.create(
        petition=petition, name="Ada", email="ada@example.org", email_normalised="ada@example.org",
        country="DE", confirmation_key="matrix-key", confirmation_expires_at=timezone.now(),
        confirmed_at=timezone.now(),
    )  # fmt: skip
    update = Update.objects.create(case=case, published_on=timezone.now().date(), title_en="News")
    mailing = UpdateMailing.objects.create(update=update, per_minute=60, total=0)
    staff = {role: make_staff(ours, role) for role in EVERY_ROLE}
    stranger = make_staff(make_organisation(), Role.ADMIN)
    return {
        "paths": {
            "petition": petition.slug, "draft": draft.slug, "case": case.slug,
            "mailing": mailing.pk, "petition_pk": petition.pk, "case_pk": case.pk,
            "signature_pk": signature.pk,
            "membership_pk": staff[E].memberships.get().pk,
        },
        "staff": staff,
        "stranger": stranger,
    }  # fmt: skip


def request(client, method: str, path: str):
    if method == "post":
        return client.post(path, {})
    return client.get(path)


@pytest.mark.parametrize(("name", "method", "template", "allowed"), STAFF_PAGES)
@pytest.mark.parametrize("role", sorted(EVERY_ROLE))
def test_each_role_gets_what_the_rules_promise(
    client, world, name, method, template, allowed, role
):
    sign_in(client, world["staff"][role])
    response = request(client, method, template.format(**world["paths"]))
    if role in allowed:
        reached = {200} if method == "get" else {200, 303, 422}  # a bare POST: form errors
        assert response.status_code in reached, f"{role} should reach {name}"
    elif template.startswith("/admin/"):
        assert response.status_code in REFUSED_IN_ADMIN, f"{role} must not reach {name}"
    else:
        assert response.status_code == 403, f"{role} must be refused {name}"


@pytest.mark.parametrize(("name", "method", "template", "allowed"), STAFF_PAGES)
def test_a_member_of_another_organisation_finds_nothing(
    client, world, name, method, template, allowed
):
    sign_in(client, world["stranger"])
    response = request(client, method, template.format(**world["paths"]))
    expected = REFUSED_IN_ADMIN if template.startswith("/admin/") else {404}
    assert response.status_code in expected, f"a stranger must not learn of {name}"
    assert b"ada@example.org" not in response.content


@pytest.mark.parametrize(("name", "method", "template", "allowed"), STAFF_PAGES)
def test_signed_out_visitors_are_sent_to_sign_in(client, world, name, method, template, allowed):
    response = request(client, method, template.format(**world["paths"]))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_only_admins_read_the_audit_log(client, world):
    for role, user in world["staff"].items():
        sign_in(client, user)
        expected = 200 if role == Role.ADMIN else 403
        assert client.get("/staff/audit-log/").status_code == expected, role


def test_the_staff_home_lists_no_other_organisations_petitions(client, world):
    sign_in(client, world["stranger"])
    assert world["paths"]["petition"] not in client.get("/staff/").content.decode()
