"""Debates on a case's open question: arguments for and against, their sources, readers' votes.

An argument's `state` changes only through states.apply (a conditional UPDATE). Votes and
stance answers are one INSERT each on the request path (unique per keyed hash, so a repeat
inserts nothing); the worker adds them to the tallies (services.tally_new_votes).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from undersigned.campaigns.models import Case
from undersigned.core.outbox import OutboxEmail
from undersigned.debates.states import ArgumentState

QUESTION_MAX_LENGTH = 200
INTRODUCTION_MAX_LENGTH = 5_000
CONCLUSION_MAX_LENGTH = 5_000
CLAIM_MAX_LENGTH = 200
EXPLANATION_MAX_LENGTH = 3_000
SOURCE_URL_MAX_LENGTH = 500
SOURCE_TITLE_MAX_LENGTH = 200
NAME_MAX_LENGTH = 100
EMAIL_MAX_LENGTH = 254
HASH_LENGTH = 64  # hex SHA-256 HMAC (core/linktoken.keyed_digest)


class Side(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")


class Stance(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_SURE = "not_sure", _("Not sure")


class RejectionReason(models.TextChoices):
    OFF_TOPIC = "off_topic", _("It does not address the question.")
    DUPLICATE = "duplicate", _("It repeats an argument already on the page.")
    UNSOURCED = "unsourced", _("Its sources do not support the claim.")
    OFFENSIVE = "offensive", _("It contains offensive or abusive language.")
    LIBELLOUS = "libellous", _("It may be defamatory or libellous.")
    PERSONAL_DATA = "personal_data", _("It names or exposes private individuals.")


class Debate(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="debates")
    slug = models.SlugField(_("slug"), max_length=100)
    question = models.CharField(_("question"), max_length=QUESTION_MAX_LENGTH)
    introduction = models.TextField(
        _("introduction (Markdown)"), max_length=INTRODUCTION_MAX_LENGTH, blank=True
    )
    opens_at = models.DateTimeField(_("opens at"), default=timezone.now)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    # Written by staff when closing (services.close_debate); required then, as Decidim does.
    conclusion = models.TextField(
        _("conclusion (Markdown)"), max_length=CONCLUSION_MAX_LENGTH, blank=True, editable=False
    )
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    accepts_contributions = models.BooleanField(_("the public may submit arguments"), default=False)
    sources_required = models.BooleanField(_("every argument needs a source"), default=True)
    # Moves whenever something the public page shows changes (an argument, a tally, closing):
    # the cached page is rendered again when it differs (pages.py).
    version = models.PositiveBigIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("debate")
        verbose_name_plural = _("debates")
        ordering = ["-opens_at"]
        constraints = [
            models.UniqueConstraint(fields=["case", "slug"], name="one_debate_slug_per_case"),
            # Closed means concluded: no closing without the written conclusion.
            models.CheckConstraint(
                condition=models.Q(closed_at__isnull=True) | ~models.Q(conclusion=""),
                name="debate_closed_with_conclusion",
            ),
        ]

    def __str__(self) -> str:
        return self.question

    def is_closed(self, now=None) -> bool:  # type: ignore[no-untyped-def]
        now = now or timezone.now()
        return self.closed_at is not None or (self.closes_at is not None and self.closes_at <= now)

    def is_open(self, now=None) -> bool:  # type: ignore[no-untyped-def]
        now = now or timezone.now()
        return self.opens_at <= now and not self.is_closed(now)


class Argument(models.Model):
    debate = models.ForeignKey(Debate, on_delete=models.CASCADE, related_name="arguments")
    side = models.CharField(_("side"), max_length=7, choices=Side.choices)
    claim = models.CharField(_("claim"), max_length=CLAIM_MAX_LENGTH)
    explanation = models.TextField(
        _("explanation (Markdown)"), max_length=EXPLANATION_MAX_LENGTH, blank=True
    )
    # A rebuttal answers one argument of the other side; never a rebuttal itself (services).
    replies_to = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="rebuttals"
    )
    state = models.CharField(
        max_length=10, choices=ArgumentState.choices, default=ArgumentState.SUBMITTED,
        editable=False,
    )  # fmt: skip
    rejection_reason = models.CharField(
        max_length=20, choices=RejectionReason.choices, blank=True, editable=False
    )
    edited_by_moderators = models.BooleanField(default=False, editable=False)
    # The writer, for contributions from the public (empty for staff's own and once anonymised).
    author_name = models.CharField(max_length=NAME_MAX_LENGTH, blank=True)
    author_email = models.CharField(max_length=EMAIL_MAX_LENGTH, blank=True)
    author_email_normalised = models.CharField(max_length=EMAIL_MAX_LENGTH, blank=True)
    language = models.CharField(max_length=10, default="en")
    confirmation_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    confirmation_expires_at = models.DateTimeField(null=True, blank=True)
    held_reason = models.CharField(max_length=30, blank=True)  # signatures.models.HeldReason
    published_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["debate", "state"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=ArgumentState.values), name="argument_state_known"
            ),
            models.CheckConstraint(
                condition=models.Q(side__in=Side.values), name="argument_side_known"
            ),
            models.CheckConstraint(
                condition=(models.Q(state=ArgumentState.REJECTED) & ~models.Q(rejection_reason=""))
                | (~models.Q(state=ArgumentState.REJECTED) & models.Q(rejection_reason="")),
                name="argument_rejected_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.claim


class Source(models.Model):
    argument = models.ForeignKey(Argument, on_delete=models.CASCADE, related_name="sources")
    url = models.URLField(_("address"), max_length=SOURCE_URL_MAX_LENGTH)
    title = models.CharField(_("title"), max_length=SOURCE_TITLE_MAX_LENGTH)
    published_on = models.DateField(_("date"), null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title

    @property
    def domain(self) -> str:
        from urllib.parse import urlsplit

        host = (urlsplit(self.url).hostname or "").lower()
        return host.removeprefix("www.")


class Vote(models.Model):
    """A "this convinced me": one per argument per keyed hash of (address, day) (services)."""

    argument = models.ForeignKey(Argument, on_delete=models.CASCADE, related_name="votes")
    voter = models.CharField(max_length=HASH_LENGTH)
    held = models.BooleanField(default=False)  # over the rate limit: stored, never counted
    counted = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["argument", "voter"], name="one_vote_per_voter")
        ]
        indexes = [
            models.Index(
                fields=["id"], condition=models.Q(counted=False), name="debate_vote_uncounted"
            )
        ]

    def __str__(self) -> str:
        return f"vote {self.pk} on argument {self.argument_id}"


class StanceAnswer(models.Model):
    """A reader's answer to the debate's question, deduplicated like votes."""

    debate = models.ForeignKey(Debate, on_delete=models.CASCADE, related_name="stance_answers")
    voter = models.CharField(max_length=HASH_LENGTH)
    answer = models.CharField(max_length=8, choices=Stance.choices)
    held = models.BooleanField(default=False)
    counted = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["debate", "voter"], name="one_stance_per_voter"),
            models.CheckConstraint(
                condition=models.Q(answer__in=Stance.values), name="stance_answer_known"
            ),
        ]
        indexes = [
            models.Index(
                fields=["id"], condition=models.Q(counted=False), name="debate_stance_uncounted"
            )
        ]

    def __str__(self) -> str:
        return f"stance answer {self.pk} on debate {self.debate_id}"


class ArgumentTally(models.Model):
    """What the worker counted for one argument, and the score the page orders by."""

    argument = models.OneToOneField(
        Argument, on_delete=models.CASCADE, primary_key=True, related_name="tally"
    )
    convinced = models.PositiveIntegerField(default=0)
    readers = models.PositiveIntegerField(default=0)  # voters in the debate since it appeared
    score = models.FloatField(default=0.0)

    def __str__(self) -> str:
        return f"tally of argument {self.argument_id}"


class StanceTally(models.Model):
    debate = models.ForeignKey(Debate, on_delete=models.CASCADE, related_name="stance_tallies")
    answer = models.CharField(max_length=8, choices=Stance.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["debate", "answer"], name="one_stance_tally")
        ]

    def __str__(self) -> str:
        return f"{self.answer}: {self.count} on debate {self.debate_id}"


class EmailKind(models.TextChoices):
    CONFIRM = "confirm"
    PUBLISHED = "published"
    REJECTED = "rejected"


class ContributionEmail(OutboxEmail):
    """An email owed to a contribution's writer, sent by the worker through core/outbox.py.

    The address is not copied here; it is read from the argument when sending.
    """

    argument = models.ForeignKey(Argument, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=EmailKind.choices)

    class Meta:
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(next_attempt_at__isnull=False),
                name="debate_email_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} for argument {self.argument_id}"
