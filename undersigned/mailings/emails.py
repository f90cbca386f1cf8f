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
from undersigned.mailings.models import UpdateDelivery
from undersigned.notifications.services import compose_email
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
