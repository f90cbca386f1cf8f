"""A moderator cannot rebuild signers' names from bulk-invalidation previews.

Moderators see numbers, never names (campaigns/permissions.py). A preview answers "how many
match", so a free name criterion would make it an oracle: extend a prefix letter by letter,
or type one exact name to ask "did this person sign?". The name pattern is therefore offered
only to roles that may see names anyway; every preview is rate-limited and on the audit log.
"""

from __future__ import annotations

import re

import pytest

from tests.factories import make_signatures, make_staff
from tests.limits import set_limit
from tests.sign_in import sign_in
from undersigned.audit.models import AuditAction, AuditLogEntry
from undersigned.campaigns.models import Role

pytestmark = pytest.mark.django_db

SIGNERS = ["ana ng", "bo li"]
ALPHABET = "abgilno "
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def preview(client, petition, **criteria):
    return client.post(
        f"/staff/petitions/{petition.slug}/invalidations/new/", {**criteria, "step": "preview"}
    )


def page_without(response, typed: str) -> str:
    """The page as the moderator sees it, less what they typed and the CSRF token."""
    return CSRF.sub("", response.content.decode()).replace(typed, "…")


def previewed_count(client, petition, **criteria) -> int | None:
    response = preview(client, petition, **criteria)
    return response.context["count"] if response.status_code == 200 else None


def prefix_extension_attack(client, petition) -> set[str]:
    """What an automated moderator would do: keep every prefix whose count beats a pattern
    no name can match, and extend it by one letter, until whole names come out."""
    baseline = previewed_count(client, petition, country="DE", name_pattern="qqqq*")
    found, prefixes, budget = set(), [""], 2_000
    while prefixes and budget > 0:
        prefix = prefixes.pop()
        for letter in ALPHABET:
            if letter == " " and (not prefix or prefix.endswith(" ")):
                continue  # names are stored with single spaces between words
            budget -= 1
            candidate = prefix + letter
            if sum(char.isalnum() for char in candidate) < 2:  # the form wants two letters
                prefixes.append(candidate)
                continue
            count = previewed_count(client, petition, country="DE", name_pattern=f"{candidate}*")
            if count is not None and count != baseline:
                exact = previewed_count(client, petition, country="DE", name_pattern=candidate)
                if exact is not None and exact != baseline:
                    found.add(candidate)
                prefixes.append(candidate)
    return found


@pytest.fixture
def signers(petition, settings):
    set_limit(
        settings, "moderation_previews", 10_000
    )  # the attack is not stopped by the limit here
    for name in SIGNERS:
        make_signatures(petition, 1, name=name.title())
    make_signatures(petition, 5, name="Someone Else")


def test_moderator_cannot_learn_a_name_from_previews(client, petition, moderator, signers):
    assert prefix_extension_attack(client, petition) == set()


def test_an_exact_name_preview_does_not_answer_did_this_person_sign(
    client, petition, moderator, signers
):
    signed = preview(client, petition, country="DE", name_pattern="Ana Ng")
    did_not = preview(client, petition, country="DE", name_pattern="Zed Qu")
    assert signed.status_code == did_not.status_code
    assert signed.context["count"] == did_not.context["count"]
    assert page_without(signed, "Ana Ng") == page_without(did_not, "Zed Qu")


def test_the_name_pattern_is_offered_only_to_roles_that_may_see_names(
    client, petition, moderator, signers
):
    page = client.get(f"/staff/petitions/{petition.slug}/invalidations/new/").content.decode()
    assert 'name="name_pattern"' not in page
    sign_in(client, make_staff(petition.case.organisation, Role.ADMIN))
    page = client.get(f"/staff/petitions/{petition.slug}/invalidations/new/").content.decode()
    assert 'name="name_pattern"' in page
    assert previewed_count(client, petition, name_pattern="someone*") == 5


def test_every_preview_is_on_the_audit_log_without_what_was_typed(
    client, petition, moderator, signers
):
    preview(client, petition, country="DE", email_domain="example.org")
    [entry] = AuditLogEntry.objects.filter(action=AuditAction.INVALIDATION_PREVIEWED)
    assert (entry.user_id, entry.petition_id, entry.row_count) == (moderator.pk, petition.pk, 7)
    assert "country" in entry.detail and "email domain" in entry.detail
    assert "example.org" not in entry.detail + entry.subject


def test_previews_beyond_the_hourly_limit_are_refused(client, petition, moderator, settings):
    set_limit(settings, "moderation_previews", 3)
    make_signatures(petition, 2)
    codes = [preview(client, petition, country="DE").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert AuditLogEntry.objects.filter(action=AuditAction.INVALIDATION_PREVIEWED).count() == 3
