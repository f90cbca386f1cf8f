"""Fixtures of the public-petition tests."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import make_organisation
from undersigned.campaigns.models import Organisation


@pytest.fixture
def organisation(settings: Any) -> Organisation:
    """The organisation that receives public petitions, with the feature switched on."""
    organisation = make_organisation()
    settings.PUBLIC_PETITIONS = True
    settings.PUBLIC_PETITIONS_ORGANISATION = organisation.slug
    settings.PUBLIC_PETITION_SPONSORS = 5
    return organisation
