"""Staff sign in with Argon2-hashed passwords, throttled, and land on their own petitions."""

import pytest

from tests.factories import make_case, make_organisation, make_petition, make_staff
from tests.sign_in import sign_in
from undersigned.campaigns.models import Role

pytestmark = pytest.mark.django_db


def test_production_hashes_passwords_with_argon2():
    from undersigned.config import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_staff_home_lists_only_their_own_organisations_petitions(client):
    mine = make_organisation()
    theirs = make_organisation()
    own = make_petition(case=make_case(organisation=mine), title_en="Ours")
    make_petition(case=make_case(organisation=theirs), title_en="Someone else's")
    sign_in(client, make_staff(mine, Role.ANALYST))
    html = client.get("/staff/").content.decode()
    assert "Ours" in html
    assert "Someone else" not in html
    assert f"/staff/petitions/{own.slug}/" in html


def test_staff_pages_require_sign_in(client):
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/")


def test_repeated_wrong_passwords_lock_the_account(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = make_staff(make_organisation(), Role.EDITOR, username="ed")
    for _ in range(3):
        client.post("/staff/login/", {"username": "ed", "password": "wrong"})
    response = client.post("/staff/login/", {"username": "ed", "password": "a-long-test-password"})
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert user.is_active


def test_a_correct_password_signs_in(client):
    make_staff(make_organisation(), Role.EDITOR, username="ed2")
    response = client.post("/staff/login/", {"username": "ed2", "password": "a-long-test-password"})
    assert response.status_code == 302
    assert response["Location"] == "/staff/"
