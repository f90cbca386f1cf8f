"""Petitions drafted by the public: the proposal, its sponsors, and the emails owed to them.

A proposal's `state` changes only through states.apply (a conditional UPDATE); the field is
not editable and the model is not in the admin, so no form can move it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from undersigned.campaigns.models import Organisation
from undersigned.core.outbox import OutboxEmail
from undersigned.petitions.models import Petition
from undersigned.proposals.states import ProposalState

TITLE_MAX_LENGTH = 150
ACTION_MAX_LENGTH = 1_000
BACKGROUND_MAX_LENGTH = 5_000
TARGET_MAX_LENGTH = 200
NAME_MAX_LENGTH = 100
EMAIL_MAX_LENGTH = 254


class RejectionReason(models.TextChoices):
    DUPLICATE = "duplicate", _("It duplicates a petition that already exists.")
    NOT_AN_ACTION = "not_an_action", _("It does not ask for a clear action.")
    OUT_OF_SCOPE = "out_of_scope", _("It is outside what this site campaigns on.")
    UNCLEAR = "unclear", _("It is too unclear to sign.")
    OFFENSIVE = "offensive", _("It contains offensive or abusive language.")
    LIBELLOUS = "libellous", _("It may be defamatory or libellous.")
    PERSONAL_DATA = "personal_data", _("It names or exposes private individuals.")


# Text rejected for these reasons is never shown again; the others stay readable with the reason.
HIDING_REASONS = frozenset(
    {RejectionReason.OFFENSIVE, RejectionReason.LIBELLOUS, RejectionReason.PERSONAL_DATA}
)


class Proposal(models.Model):
    # The public address of the proposal: random, so it says nothing about who wrote it.
    slug = models.CharField(max_length=24, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="proposals"
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    action = models.TextField(_("what should happen"), max_length=ACTION_MAX_LENGTH)
    background = models.TextField(_("background"), max_length=BACKGROUND_MAX_LENGTH)
    target = models.CharField(_("addressed to"), max_length=TARGET_MAX_LENGTH)
    creator_name = models.CharField(max_length=NAME_MAX_LENGTH)
    creator_email = models.CharField(max_length=EMAIL_MAX_LENGTH)
    creator_email_normalised = models.CharField(max_length=EMAIL_MAX_LENGTH)
    language = models.CharField(max_length=10, default="en")
    confirmation_key = models.CharField(max_length=64, unique=True, editable=False)
    confirmation_expires_at = models.DateTimeField()
    state = models.CharField(
        max_length=20,
        choices=ProposalState.choices,
        default=ProposalState.UNCONFIRMED,
        editable=False,
    )
    sponsor_count = models.PositiveIntegerField(default=0)  # confirmed sponsors
    rejection_reason = models.CharField(
        max_length=20, choices=RejectionReason.choices, blank=True, editable=False
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    petition = models.ForeignKey(
        Petition, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("public petition")
        verbose_name_plural = _("public petitions")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["organisation", "state", "updated_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=ProposalState.values), name="proposal_state_known"
            ),
            # A rejection always has its reason, and nothing else has one.
            models.CheckConstraint(
                condition=(models.Q(state=ProposalState.REJECTED) & ~models.Q(rejection_reason=""))
                | (~models.Q(state=ProposalState.REJECTED) & models.Q(rejection_reason="")),
                name="proposal_rejected_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def text_hidden(self) -> bool:
        return self.state == ProposalState.REJECTED and self.rejection_reason in HIDING_REASONS


class Sponsor(models.Model):
    """One supporter who vouches for a proposal; counts once their email is confirmed."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="sponsors")
    name = models.CharField(max_length=NAME_MAX_LENGTH)
    email = models.CharField(max_length=EMAIL_MAX_LENGTH)
    email_normalised = models.CharField(max_length=EMAIL_MAX_LENGTH)
    language = models.CharField(max_length=10, default="en")
    confirmation_key = models.CharField(max_length=64, unique=True, editable=False)
    confirmation_expires_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "email_normalised"], name="one_sponsorship_per_email"
            )
        ]

    def __str__(self) -> str:
        return f"sponsor {self.pk} of proposal {self.proposal_id}"


class EmailKind(models.TextChoices):
    CONFIRM_CREATOR = "confirm_creator"
    CONFIRM_SPONSOR = "confirm_sponsor"
    CANNOT_SPONSOR_OWN = "cannot_sponsor_own"  # the creator tried to sponsor their own
    IN_MODERATION = "in_moderation"
    PUBLISHED = "published"
    REJECTED = "rejected"


class ProposalEmail(OutboxEmail):
    """An email owed: sent by the worker (emails.py), retried with backoff, never dropped.

    The address is not copied here; it is read from the proposal or sponsor when sending.
    """

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="+")
    sponsor = models.ForeignKey(
        Sponsor, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=EmailKind.choices)

    class Meta:
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(next_attempt_at__isnull=False),
                name="proposal_email_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} for proposal {self.proposal_id}"
