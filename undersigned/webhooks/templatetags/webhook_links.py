"""`{% webhook_organisations user as organisations %}`: whose webhooks the user manages."""

from django import template
from django.db.models import QuerySet

from undersigned.campaigns.models import Organisation
from undersigned.campaigns.permissions import StaffUser
from undersigned.webhooks.selectors import organisations_with_webhooks_for

register = template.Library()


@register.simple_tag
def webhook_organisations(user: StaffUser) -> QuerySet[Organisation]:
    return organisations_with_webhooks_for(user)
