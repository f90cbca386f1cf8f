"""The update email: the update in the signer's language, with a personal unsubscribe link
and the one-click unsubscribe headers of RFC 8058."""

from __future__ import annotations

import email.policy
from email.headerregistry import BaseHeader, HeaderRegistry, UnstructuredHeader
from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.utils import translation

from undersigned.campaigns.markdown import render_markdown
from undersigned.campaigns.models import Update
from undersigned.core import linktoken
from undersigned.core.site import absolute_url
from undersigned.mailings.models import UpdateDelivery, UpdateMailing
from undersigned.notifications.services import compose_email
from undersigned.petitions.models import Milestone, OutcomeChange, Petition, PetitionResponse
from undersigned.signatures.models import Signature


class _UrlListHeader(UnstructuredHeader, BaseHeader):
    """A header of URLs in angle brackets (RFC 2369). Python folds a long unstructured value by
    RFC 2047-encoding it, which turns `<https://…>` into `=?utf-8?q?=3Chttps…` that no mail
    provider reads as a URL; this one goes out on one line (well under SMTP's 998)."""

    def fold(self, *, policy: Any) -> str:
        return f"{self.name}: {self}{policy.linesep}"


_HEADERS = HeaderRegistry()
_HEADERS.map_to_type("list-unsubscribe", _UrlListHeader)


class UpdateEmailMessage(EmailMultiAlternatives):
    def message(self, *, policy: Any = email.policy.default) -> Any:
        return super().message(policy=policy.clone(header_factory=_HEADERS))


def unsubscribe_url(signature: Signature) -> str:
    token = linktoken.token_for(linktoken.Kind.UNSUBSCRIBE, signature.confirmation_key)
    return absolute_url("updates:unsubscribe", token=token)


def update_email(update: Update, delivery: UpdateDelivery) -> EmailMultiAlternatives:
    signature = delivery.signature
    case = update.case
    link = unsubscribe_url(signature)
    with translation.override(delivery.language):
        body_html = render_markdown(update.body)  # the translated body, sanitised
    case_url = ""
    if case.is_published:
        case_url = absolute_url("web:case", slug=case.slug)
    context = {
        "name": signature.name,
        "update": update,  # translated fields resolve in the signer's language
        "case": case,
        "organisation": case.organisation,
        "body_html": body_html,
        "case_url": case_url,
        "unsubscribe_url": link,
        "language": delivery.language,
    }
    composed = compose_email("case_update", context, to=signature.email, language=delivery.language)
    return _with_unsubscribe_headers(composed, link)


def mailing_email(mailing: UpdateMailing, delivery: UpdateDelivery) -> EmailMultiAlternatives:
    """The message of one delivery of any kind of mailing."""
    if mailing.milestone is not None:
        return milestone_email(mailing.milestone, delivery)
    if mailing.outcome_change is not None:
        return outcome_email(mailing.outcome_change, delivery)
    assert mailing.update is not None  # the mailing_of_one_thing constraint
    return update_email(mailing.update, delivery)


def milestone_email(milestone: Milestone, delivery: UpdateDelivery) -> EmailMultiAlternatives:
    """The staff's text for the milestone in the signer's language (English where it has none),
    or the default text when they wrote none."""
    petition = milestone.petition
    with translation.override(delivery.language):
        body_text = str(milestone.email_body)
        body_html = render_markdown(body_text) if body_text else ""
        subject = str(milestone.email_subject)
    context = {
        **_petition_context(petition, delivery),
        "number": milestone.threshold(petition.goal),
        "is_goal": milestone.count is None,
        "subject": subject,
        "body_text": body_text,
        "body_html": body_html,
    }
    return _petition_email("milestone_reached", context, delivery)


def outcome_email(change: OutcomeChange, delivery: UpdateDelivery) -> EmailMultiAlternatives:
    """What came of the petition: the response (when there is one) or the outcome."""
    petition = change.petition
    response = PetitionResponse.objects.filter(petition=petition).first()
    with translation.override(delivery.language):
        response_text = str(response.body) if response else ""
        response_html = render_markdown(response_text) if response else ""
    context = {
        **_petition_context(petition, delivery),
        "outcome": change.to_outcome,
        "response": response,
        "response_text": response_text,
        "response_html": response_html,
        "note": change.note,
    }
    return _petition_email("petition_outcome", context, delivery)


def _petition_context(petition: Petition, delivery: UpdateDelivery) -> dict[str, Any]:
    return {
        "name": delivery.signature.name,
        "petition": petition,  # translated fields resolve in the signer's language
        "organisation": petition.case.organisation,
        "petition_url": absolute_url("signatures:petition", slug=petition.slug),
        "unsubscribe_url": unsubscribe_url(delivery.signature),
        "language": delivery.language,
    }


def _petition_email(
    template: str, context: dict[str, Any], delivery: UpdateDelivery
) -> EmailMultiAlternatives:
    composed = compose_email(
        template, context, to=delivery.signature.email, language=delivery.language
    )
    return _with_unsubscribe_headers(composed, context["unsubscribe_url"])


def _with_unsubscribe_headers(composed: EmailMultiAlternatives, link: str) -> UpdateEmailMessage:
    return UpdateEmailMessage(
        subject=composed.subject,
        body=composed.body,
        from_email=composed.from_email,
        to=composed.to,
        alternatives=composed.alternatives,
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",  # RFC 8058 one-click
            "Auto-Submitted": "auto-generated",
        },
    )
