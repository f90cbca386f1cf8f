"""Taking a signature from a posted sign form: the steps both the petition page's form and
the embedded widget's form go through (signatures/views.py, reach/embed.py), and the same
checks for a signature a partner sends through the private API (partners/services.py)."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language

from undersigned.petitions.models import Petition
from undersigned.petitions.selectors import accepts_signatures
from undersigned.signatures import proof_of_work, services
from undersigned.signatures.forms import EMAIL_CHECKED_FIELD, SignForm, read_signer
from undersigned.signatures.limits import sign_rate_exceeded
from undersigned.signatures.sources import NO_SOURCE, Source, source_from_form


class Outcome(enum.Enum):
    CLOSED = "closed"  # the petition takes no signatures (409)
    SLOW_DOWN = "slow_down"  # this address signs too fast (429)
    INVALID = "invalid"  # the form has errors (422)
    TAKEN = "taken"  # signed, or answered exactly as if (a bot, an address that signed)


@dataclass(frozen=True)
class Submission:
    outcome: Outcome
    form: SignForm | None = None  # with its errors, when INVALID
    source: Source = NO_SOURCE


def submit_signature(
    request: HttpRequest, petition: Petition, *, source: Source | None = None
) -> Submission:
    """Check and record the posted signature. `source` overrides the form's source fields
    (the embed sets its own)."""
    if not accepts_signatures(petition):
        return Submission(Outcome.CLOSED)
    if sign_rate_exceeded(request.client_ip):  # type: ignore[attr-defined]
        return Submission(Outcome.SLOW_DOWN)
    source = source or source_from_form(request.POST)
    signer = read_signer(request.POST)
    if signer is None:
        form = SignForm(request.POST)
        form.is_valid()  # its errors say what read_signer refused, for the page to show
        return Submission(Outcome.INVALID, form, source)
    if not signer.is_bot:
        services.sign_petition(
            petition,
            name=signer.name,
            email=signer.email,
            country=signer.country,
            updates_opt_in=signer.updates_opt_in,
            language=get_language() or "en",
            client_ip=request.client_ip,  # type: ignore[attr-defined]
            proved_work=_proved_work(request),
            source=source,
        )
    return Submission(Outcome.TAKEN, source=source)


@dataclass(frozen=True)
class PartnerSubmission:
    outcome: Outcome  # CLOSED, INVALID or TAKEN
    errors: dict[str, list[str]] | None = None  # field -> messages, when INVALID
    signature_id: int | None = None  # a new row (None: the address had signed, or CLOSED)


def submit_partner_signature(
    petition: Petition,
    *,
    name: str,
    email: str,
    country: str,
    updates_opt_in: bool,
    language: str,
    source: Source,
    consent_wording: int,
    verified_by_partner: bool,
) -> PartnerSubmission:
    """A signature a partner sends through the API (partners/services.py): checked by the
    very rules of the sign form — the same validation, normalisation, disposable domains,
    holds and one-per-address — then recorded by the same service.

    The partner's server is not the signer's browser: no flood ceiling or hold per client
    address (the partner API limits each key instead), no proof of work, and no "did you
    mean …?" typo question, which only the person typing could answer.
    """
    if not accepts_signatures(petition):
        return PartnerSubmission(Outcome.CLOSED)
    data = {"name": name, "email": email, "country": country, "privacy_consent": "on",
            EMAIL_CHECKED_FIELD: email}  # fmt: skip
    if updates_opt_in:
        data["updates_opt_in"] = "on"
    signer = read_signer(data)  # the web form's own reader: the same rules, the same values
    if signer is None:
        form = SignForm(data)
        form.is_valid()  # its errors say what read_signer refused
        errors = {field: [str(m) for m in messages] for field, messages in form.errors.items()}
        return PartnerSubmission(Outcome.INVALID, errors)
    signature_id = services.sign_petition(
        petition,
        name=signer.name,
        email=signer.email,
        country=signer.country,
        updates_opt_in=signer.updates_opt_in,
        language=language,
        source=source,
        consent_wording=consent_wording,
        verified_by_partner=verified_by_partner,
    )
    return PartnerSubmission(Outcome.TAKEN, signature_id=signature_id)


def _proved_work(request: HttpRequest) -> bool:
    """Without a valid solution (no JavaScript, a bot, a replay) the signature is held."""
    if not settings.PROOF_OF_WORK:
        return True
    return proof_of_work.solution_is_valid(request.POST.get(proof_of_work.FIELD_NAME))
