"""What the private API takes and answers: OSDI's field names where OSDI has one
(identifiers, given_name, family_name, email_addresses[].address, postal_addresses[].country,
created_date, modified_date, total_signatures, _links); Undersigned's own fields are plain
names beside them. Decisions where this departs from OSDI: docs/integrations.md."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field, field_validator


class Strict(Schema):
    """An input that refuses fields it does not know (422 naming them), and text that is
    not text: NUL characters and lone surrogates, which no database column can store."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _only_text(cls, value: Any) -> Any:
        if isinstance(value, str) and any(
            char == "\x00" or unicodedata.category(char) == "Cs" for char in value
        ):
            raise ValueError("contains characters that are not text (NUL or a lone surrogate)")
        return value


class Problem(Schema):
    detail: str


class FieldProblems(Schema):
    detail: str
    errors: dict[str, list[str]]


class Link(Schema):
    href: str


class Target(Schema):
    name: str


class PetitionCounts(Schema):
    online: int = Field(description="Counted online signatures: total_signatures.")
    confirmed_by_email: int
    partner_verified: int = Field(
        description="Counted on a partner's word, without the signer's email confirmation."
    )
    recorded_by_partners: int = Field(description="Counted signatures recorded through this API.")
    paper_count: int = Field(description="Signatures collected on paper (imported by staff).")
    paper_counts_toward_goal: bool = Field(
        description="Whether the petition counts paper signatures toward its goal."
    )


class PetitionLinks(Schema):
    self: Link
    osdi_signatures: Link = Field(alias="osdi:signatures")
    osdi_record_signature_helper: Link = Field(alias="osdi:record_signature_helper")


class PetitionOut(Schema):
    identifiers: list[str]
    origin_system: str
    title: str
    description: str = Field(description="The demand, as sanitised HTML.")
    petition_text: str = Field(description="The demand, as written (Markdown).")
    target: list[Target]
    total_signatures: int
    created_date: datetime
    modified_date: datetime
    browser_url: str
    slug: str
    status: str
    goal: int
    closes_at: datetime | None
    accepts_partner_verified: bool
    counts: PetitionCounts
    links: PetitionLinks = Field(alias="_links")


class PetitionListOut(Schema):
    total_records: int
    limit: int
    offset: int
    petitions: list[PetitionOut]


class EmailAddressOut(Schema):
    address: str
    primary: bool


class PostalAddressOut(Schema):
    country: str


class PersonOut(Schema):
    given_name: str | None = Field(
        None, description="The whole name as signed; only with the read_personal_data scope."
    )
    family_name: str | None = Field(None, description="Always empty: see given_name.")
    email_addresses: list[EmailAddressOut] | None = None
    postal_addresses: list[PostalAddressOut]


class SignatureOut(Schema):
    identifiers: list[str]
    created_date: datetime
    modified_date: datetime | None = Field(description="When the signature was confirmed.")
    person: PersonOut
    source: str
    recorded_by_partner: bool
    partner_verified: bool


class SignatureLinks(Schema):
    osdi_petition: Link = Field(alias="osdi:petition")
    next: Link | None = None


class SignaturePageOut(Schema):
    signatures: list[SignatureOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")
    next_since: datetime | None = Field(
        description="On the last page only: the `since` of your next incremental sync."
    )
    links: SignatureLinks = Field(alias="_links")


class EmailAddressIn(Strict):
    address: str = Field(min_length=1, max_length=254)
    primary: bool = True


class PostalAddressIn(Strict):
    country: str = Field(pattern="^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2.")


class PersonIn(Strict):
    given_name: str = Field(min_length=1, max_length=100)
    family_name: str = Field("", max_length=100)
    email_addresses: list[EmailAddressIn] = Field(min_length=1, max_length=5)
    postal_addresses: list[PostalAddressIn] = Field(min_length=1, max_length=5)


class RecordSignatureIn(Strict):
    """OSDI's record signature helper: the person, and what they agreed to."""

    person: PersonIn
    consent_wording: str = Field(
        min_length=1, max_length=2000,
        description="The exact words the signer agreed to, as your form showed them.",
    )  # fmt: skip
    language: str = Field(
        "en", min_length=2, max_length=8, description="The signer's language (emails)."
    )
    source: str = Field("", max_length=40, description="Where you collected it (a-z 0-9 . _ -).")
    updates_opt_in: bool = Field(False, description="The signer asked for updates by email.")
    partner_verified: bool = Field(
        False,
        description="You verified the signer's address yourself; allowed only where the "
        "petition accepts partner-verified signatures (then no confirmation email is sent).",
    )


class RecordedOut(Schema):
    status: str = Field(description="pending_confirmation or partner_verified.")
    detail: str
    links: dict[str, Any] = Field(alias="_links")
