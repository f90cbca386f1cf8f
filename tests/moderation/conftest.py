"""A petition of one organisation and its moderator, signed in."""

from __future__ import annotations

import pytest

from tests.factories import make_case, make_organisation, make_petition, make_staff
from tests.sign_in import sign_in
from undersigned.campaigns.models import Role


@pytest.fixture
def petition():
    return make_petition(case=make_case(organisation=make_organisation()))


@pytest.fixture
def moderator(client, petition):
    user = make_staff(petition.case.organisation, Role.MODERATOR)
    sign_in(client, user)
    return user
