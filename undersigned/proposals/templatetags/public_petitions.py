"""`{% moderates_public_petitions user as show %}`: whether a page should link to the queue."""

from django import template

from undersigned.campaigns.permissions import Action, StaffUser, organisations_of
from undersigned.proposals.selectors import feature_enabled

register = template.Library()


@register.simple_tag
def moderates_public_petitions(user: StaffUser) -> bool:
    return feature_enabled() and organisations_of(user, Action.MODERATE).exists()
