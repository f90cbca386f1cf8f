"""Every staff URL and action, asked by every role of the organisation and by a member of
another organisation: what the rules in campaigns/permissions.py promise.

A member of another organisation learns nothing (404, or on the pages that list what is
theirs, nothing of ours); a member whose role lacks the right is refused (403). The table
below is the promise, written out by hand on purpose, and a test checks that every
role-gated staff URL has its row. App tests assert what the pages do, not who may see them.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone

from tests.debates.helpers import make_debate, submit
from tests.factories import make_case, make_organisation, make_petition, make_signature, make_staff
from tests.proposals.helpers import make_proposal
from tests.routes import staff_routes
from tests.sign_in import sign_in
from undersigned.audit.models import AuditAction
from undersigned.audit.services import record
from undersigned.campaigns.models import Role, Update
from undersigned.debates.models import Argument
from undersigned.debates.states import ArgumentState
from undersigned.mailings.models import UpdateMailing
from undersigned.paper.models import BatchStatus, PaperBatch
from undersigned.partners.services import create_api_key
from undersigned.petitions.models import Milestone, Outcome, PetitionStatus
from undersigned.petitions.outcomes import change_outcome
from undersigned.proposals.states import ProposalState
from undersigned.signatures.models import Invalidation, InvalidationStatus
from undersigned.webhooks.models import Delivery, Endpoint
from undersigned.webhooks.signing import new_secret

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
    (
        "revert an invalidation",
        "post",
        "/staff/petitions/{petition}/invalidations/{invalidation}/revert/",
        {M, MO},
    ),
    # -- public petition moderation queue --
    ("public petition queue", "get", "/staff/proposals/", {M, MO}),
    ("review a public petition", "get", "/staff/proposals/{proposal}/", {M, MO}),
    ("decide on a public petition", "post", "/staff/proposals/{proposal}/", {M, MO}),
    ("audit log", "get", "/staff/audit-log/", {M}),
    # -- debates: contributions from the public, closing with a conclusion --
    ("debate contribution queue", "get", "/staff/debates/", {M, MO}),
    ("review a contribution", "get", "/staff/debates/arguments/{argument}/", {M, MO}),
    ("decide on a contribution", "post", "/staff/debates/arguments/{argument}/", {M, MO}),
    ("close a debate", "get", "/staff/debates/{debate}/close/", {E, M}),
    ("close a debate (send)", "post", "/staff/debates/{debate}/close/", {E, M}),
    ("edit a debate (admin)", "get", "/admin/debates/debate/{debate}/change/", {E, M}),
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
    # -- milestones, the target's response and the outcome (issue 12) --
    ("milestones and outcome", "get", "/staff/petitions/{petition}/outcome/", {E, M}),
    ("add a milestone", "post", "/staff/petitions/{petition}/milestones/", {E, M}),
    ("a milestone", "get", "/staff/petitions/{petition}/milestones/{milestone}/", {E, M}),
    ("edit a milestone", "post", "/staff/petitions/{petition}/milestones/{milestone}/", {E, M}),
    (
        "remove a milestone",
        "post",
        "/staff/petitions/{petition}/milestones/{future_milestone}/remove/",
        {E, M},
    ),
    (
        "email a milestone",
        "post",
        "/staff/petitions/{petition}/milestones/{milestone}/email/",
        {E, M},
    ),
    ("record the response", "post", "/staff/petitions/{petition}/response/", {E, M}),
    ("change the outcome", "post", "/staff/petitions/{petition}/outcome/change/", {E, M}),
    (
        "email an outcome change",
        "post",
        "/staff/petitions/{petition}/outcome/{outcome_change}/email/",
        {E, M},
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
    # -- paper signatures: numbers for all; importing shows who signed, so D and M only --
    ("paper signatures", "get", "/staff/paper/{petition}/", EVERY_ROLE),
    ("preview paper signatures", "post", "/staff/paper/{petition}/", {D, M}),
    ("paper counts toward the goal", "post", "/staff/paper/{petition}/goal/", {E, M}),
    ("a paper batch", "get", "/staff/paper/{petition}/{paper_batch}/", {D, M}),
    ("apply a paper batch", "post", "/staff/paper/{petition}/{paper_batch}/apply/", {D, M}),
    ("revert a paper batch", "post", "/staff/paper/{petition}/{paper_batch}/revert/", {D, M}),
    # -- partners: organisation API keys, a petition's partner page (issue 13) --
    ("API keys", "get", "/staff/api-keys/", {M}),
    ("make an API key", "post", "/staff/api-keys/", {M}),
    ("revoke an API key", "post", "/staff/api-keys/{api_key}/revoke/", {M}),
    ("a petition's partners", "get", "/staff/petitions/{petition}/partners/", EVERY_ROLE),
    ("set the partner policy", "post", "/staff/petitions/{petition}/partners/", {M}),
    # -- webhooks (docs/webhooks.md): the organisation's admins only --
    ("webhooks", "get", "/staff/organisations/{organisation}/webhooks/", {M}),
    ("add a webhook", "post", "/staff/organisations/{organisation}/webhooks/", {M}),
    ("a webhook", "get", "/staff/organisations/{organisation}/webhooks/{endpoint}/", {M}),
    ("change a webhook", "post", "/staff/organisations/{organisation}/webhooks/{endpoint}/", {M}),
    (
        "enable a webhook",
        "post",
        "/staff/organisations/{organisation}/webhooks/{endpoint}/enable/",
        {M},
    ),
    (
        "disable a webhook",
        "post",
        "/staff/organisations/{organisation}/webhooks/{endpoint}/disable/",
        {M},
    ),
    (
        "rotate a webhook's secret",
        "post",
        "/staff/organisations/{organisation}/webhooks/{endpoint}/rotate-secret/",
        {M},
    ),
    (
        "send a webhook test",
        "post",
        "/staff/organisations/{organisation}/webhooks/{endpoint}/test/",
        {M},
    ),
    (
        "delete a webhook",
        "post",
        "/staff/organisations/{organisation}/webhooks/{endpoint}/delete/",
        {M},
    ),
    (
        "redeliver a webhook delivery",
        "post",
        "/staff/organisations/{organisation}/webhooks/{endpoint}/deliveries/{delivery}/redeliver/",
        {M},
    ),
]
OUR_PROPOSAL = "Free the river of our organisation"
OUR_ENTRY = "a setting of our organisation"
REFUSED_IN_ADMIN = {302, 403, 404}  # the admin redirects or refuses; it never shows the page
# Pages that list what the member's own organisations hold: a member of another organisation
# who may see such a page gets it, with nothing of ours on it.
LISTS_ONES_OWN = {"/staff/proposals/", "/staff/audit-log/", "/staff/debates/", "/staff/api-keys/"}
# Staff URLs that every signed-in member reaches whatever their role (their own account).
NOT_ROLE_GATED = ("/staff/sign-in/", "/staff/login/", "/staff/logout/", "/staff/account/")


@pytest.fixture
def world(settings: Any) -> dict[str, Any]:
    ours = make_organisation()
    settings.PUBLIC_PETITIONS = True
    settings.PUBLIC_PETITIONS_ORGANISATION = ours.slug
    case = make_case(organisation=ours)
    petition = make_petition(case=case)
    draft = make_petition(case=case, status=PetitionStatus.DRAFT)
    signature = make_signature(petition, name="Ada", email="ada@example.org")
    update = Update.objects.create(case=case, published_on=timezone.now().date(), title_en="News")
    mailing = UpdateMailing.objects.create(update=update, per_minute=60, total=0)
    milestone = Milestone.objects.create(petition=petition, count=1, crossed_at=timezone.now())
    future_milestone = Milestone.objects.create(petition=petition, count=1000)
    outcome_change = change_outcome(petition, Outcome.WITHDRAWN, acting_user=None)
    debate = make_debate(case=case)
    contribution = submit(debate)
    Argument.objects.filter(pk=contribution.pk).update(state=ArgumentState.CONFIRMED)
    staff = {role: make_staff(ours, role) for role in EVERY_ROLE}
    stranger = make_staff(make_organisation(), Role.ADMIN)
    invalidation = Invalidation.objects.create(
        petition=petition, reason="a bot", status=InvalidationStatus.APPLIED
    )
    proposal = make_proposal(ours, state=ProposalState.IN_MODERATION, title=OUR_PROPOSAL)
    record(AuditAction.SETTINGS_CHANGED, user=staff[M], organisation_id=ours.pk, detail=OUR_ENTRY)
    paper_batch = PaperBatch.objects.create(
        petition=petition, sheet_reference="Stall", token="a-token", status=BatchStatus.APPLIED
    )
    endpoint = Endpoint.objects.create(organisation=ours, name="CRM", secret=new_secret(),
                                       url="https://crm.example.org/hooks")  # fmt: skip
    delivery = Delivery.objects.create(endpoint=endpoint)
    return {
        "paths": {
            "petition": petition.slug, "draft": draft.slug, "case": case.slug,
            "mailing": mailing.pk, "petition_pk": petition.pk, "case_pk": case.pk,
            "signature_pk": signature.pk, "invalidation": invalidation.pk,
            "proposal": proposal.slug, "membership_pk": staff[E].memberships.get().pk,
            "milestone": milestone.pk, "future_milestone": future_milestone.pk,
            "outcome_change": outcome_change.pk,
            "debate": debate.pk, "argument": contribution.pk, "paper_batch": paper_batch.pk,
            "api_key": create_api_key(
                ours, name="CRM", scopes=["read_signatures"], acting_user=None
            ).api_key.pk,
            "organisation": ours.slug, "endpoint": endpoint.pk, "delivery": delivery.pk,
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
    if template in LISTS_ONES_OWN:
        expected = {200}
    elif template.startswith("/admin/"):
        expected = REFUSED_IN_ADMIN
    else:
        expected = {404}
    assert response.status_code in expected, f"a stranger must not learn of {name}"
    for ours in (b"ada@example.org", OUR_PROPOSAL.encode(), OUR_ENTRY.encode()):
        assert ours not in response.content, f"{name} showed a stranger {ours!r}"


def test_every_role_gated_staff_url_has_its_row_in_the_table():
    placeholder = re.compile(r"<[^>]+>|\{[^}]+\}")
    in_table = {placeholder.sub("*", template.split("?")[0]) for _, _, template, _ in STAFF_PAGES}
    routes = {
        placeholder.sub("*", route)
        for route in staff_routes()
        if route != "/staff/"
        and not route.startswith(NOT_ROLE_GATED)
    }  # fmt: skip
    assert routes - in_table == set()


@pytest.mark.parametrize(("name", "method", "template", "allowed"), STAFF_PAGES)
def test_signed_out_visitors_are_sent_to_sign_in(client, world, name, method, template, allowed):
    response = request(client, method, template.format(**world["paths"]))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_staff_home_lists_no_other_organisations_petitions(client, world):
    sign_in(client, world["stranger"])
    assert world["paths"]["petition"] not in client.get("/staff/").content.decode()


def test_a_moderator_of_another_organisation_sees_none_of_our_contributions(client, world):
    sign_in(client, world["stranger"])
    response = client.get("/staff/debates/")
    assert response.status_code == 200
    assert (
        f"/staff/debates/arguments/{world['paths']['argument']}/" not in response.content.decode()
    )
