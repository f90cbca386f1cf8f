"""Reads for the webhook pages. Every page starts from `organisation_for_staff` (404 for a
stranger to the organisation, 403 for a member who is not its admin)."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.http import Http404

from undersigned.campaigns.models import Organisation
from undersigned.campaigns.permissions import Action, StaffUser, organisations_of, require
from undersigned.webhooks.models import Delivery, Endpoint

LOG_LENGTH = 50  # deliveries shown on an endpoint's page


def organisation_for_staff(user: StaffUser, slug: str) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise Http404("No such organisation")
    require(user, Action.MANAGE_WEBHOOKS, organisation)
    return organisation


def endpoint_of(organisation: Organisation, endpoint_id: int) -> Endpoint:
    endpoint = Endpoint.objects.filter(organisation=organisation, pk=endpoint_id).first()
    if endpoint is None:
        raise Http404("No such webhook")
    return endpoint


def delivery_of(endpoint: Endpoint, delivery_id: int) -> Delivery:
    delivery = Delivery.objects.filter(endpoint=endpoint, pk=delivery_id).first()
    if delivery is None:
        raise Http404("No such delivery")
    return delivery


def endpoints_of(organisation: Organisation) -> QuerySet[Endpoint]:
    return Endpoint.objects.filter(organisation=organisation)


def delivery_log(endpoint: Endpoint) -> list[Delivery]:
    rows = Delivery.objects.filter(endpoint=endpoint).annotate(event_count=Count("events"))
    return list(rows.order_by("-created_at", "-id")[:LOG_LENGTH])


def organisations_with_webhooks_for(user: StaffUser) -> QuerySet[Organisation]:
    """The organisations whose webhooks this user manages (links on the staff home)."""
    return organisations_of(user, Action.MANAGE_WEBHOOKS).order_by("name")
