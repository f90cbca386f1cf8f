"""A signer's receipt: proof, checkable by anyone, that their signature is in the count.

The receipt is the signature's random `receipt_secret`; with the petition's id it hashes to
the signature's leaf in the petition's transparency log (undersigned/transparency). The leaf
index is known once the worker has appended it; the transparency app tells us where it is
(`register_leaf_index`: it sits above this app, so it plugs in rather than being imported).
The thank-you page finds the signer's receipt from a signed, short-lived cookie that holds
only the signature's id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core import signing
from django.urls import reverse

from undersigned.core.site import absolute_url
from undersigned.signatures.models import Signature

COOKIE = "receipt"
COOKIE_MAX_AGE = 3600
_SALT = "undersigned.signatures.receipt"

_leaf_index: Callable[[int], int | None] = lambda signature_id: None  # noqa: E731


def register_leaf_index(lookup: Callable[[int], int | None]) -> None:
    global _leaf_index
    _leaf_index = lookup


@dataclass(frozen=True)
class Receipt:
    petition_id: int
    secret: str
    leaf_index: int | None
    verify_url: str  # the verifier page, the secret in its fragment (never sent to a server)


def receipt_for(signature: Signature) -> Receipt | None:
    if not signature.receipt_secret or signature.confirmed_at is None:
        return None
    index = _leaf_index(signature.pk)
    fragment = f"#secret={signature.receipt_secret}" + (
        f"&index={index}" if index is not None else ""
    )
    url = absolute_url("transparency:verify", slug=signature.petition.slug) + fragment
    return Receipt(signature.petition_id, signature.receipt_secret, index, url)


def cookie_value(signature_id: int) -> str:
    return signing.dumps(signature_id, salt=_SALT)


def cookie_path(slug: str) -> str:
    return reverse("signatures:thank_you", kwargs={"slug": slug})


def receipt_from_cookie(value: str | None, petition_id: int) -> Receipt | None:
    if not value:
        return None
    try:
        signature_id = signing.loads(value, salt=_SALT, max_age=COOKIE_MAX_AGE)
    except signing.BadSignature:
        return None
    signature = (
        Signature.objects.select_related("petition")
        .filter(pk=signature_id, petition_id=petition_id)
        .valid()
        .first()
    )
    return receipt_for(signature) if signature else None
