"""Petitions: a demand on a case, addressed to a target, with a goal and a lifecycle."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from undersigned.campaigns.models import Case


class PetitionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class RetentionPolicy(models.TextChoices):
    """When the signers' personal data is anonymised (country and dates stay, for counts)."""

    MONTHS_AFTER_CLOSE = "after_close", _("a set number of months after the petition closes")
    MONTH_AFTER_DELIVERY = "after_delivery", _("1 month after the signatures are delivered")
    WHILE_SUBSCRIBED = "while_subscribed", _("kept while the signer is subscribed to updates")


class Outcome(models.TextChoices):
    """What came of the petition. The allowed moves between these are petitions/outcomes.py's
    TRANSITIONS, the one table that decides."""

    AWAITING_RESPONSE = "awaiting_response", _("awaiting a response")
    RESPONDED = "responded", _("responded")
    WON = "won", _("won")
    LOST = "lost", _("lost")
    WITHDRAWN = "withdrawn", _("withdrawn")


def default_languages() -> list[str]:
    return [settings.LANGUAGE_CODE]


class Petition(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="petitions")
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=200)
    target = models.CharField(_("addressed to"), max_length=200)
    demand = models.TextField(_("demand (Markdown)"), max_length=20_000)
    goal = models.PositiveIntegerField(_("signature goal"), default=1000)
    # The languages the petition is offered in (its texts are translated into them); the
    # public page links to each. Always includes the default language.
    languages = models.JSONField(_("languages"), default=default_languages, blank=True)
    opens_at = models.DateTimeField(_("opens"), default=timezone.now)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=PetitionStatus.choices, default=PetitionStatus.DRAFT
    )
    retention_policy = models.CharField(
        _("anonymise signers' personal data"),
        max_length=20,
        choices=RetentionPolicy.choices,
        default=RetentionPolicy.MONTHS_AFTER_CLOSE,
    )
    retention_months = models.PositiveSmallIntegerField(
        _("months after closing (for that policy)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    # Whether signatures collected on paper (the paper app) count toward the goal, its
    # milestones and the progress bar; the page shows "N online + M on paper" either way.
    paper_counts_toward_goal = models.BooleanField(
        _("signatures on paper count toward the goal"), default=False
    )
    # What came of it (petitions/outcomes.py moves it; OutcomeChange keeps the dated history).
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.AWAITING_RESPONSE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(goal__gte=1), name="petition_goal_positive"),
            models.CheckConstraint(
                condition=models.Q(closes_at__isnull=True)
                | models.Q(closes_at__gt=models.F("opens_at")),
                name="petition_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def offered_languages(self) -> list[tuple[str, str]]:
        """(code, name in that language) for each language the petition is offered in."""
        names = dict(settings.LANGUAGES)
        codes = [settings.LANGUAGE_CODE, *(c for c in self.languages or [] if c in names)]
        return [(code, get_language_info(code)["name_local"]) for code in dict.fromkeys(codes)]


class Delivery(models.Model):
    """Signatures handed to the petition's target: when, where, how many — shown publicly."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="deliveries")
    delivered_on = models.DateField(_("delivered on"))
    place = models.CharField(_("place"), max_length=200)
    signatures_delivered = models.PositiveIntegerField(_("signatures delivered"))
    photo = models.ImageField(
        _("photo"),
        upload_to="deliveries/",
        blank=True,
        width_field="photo_width",
        height_field="photo_height",
    )
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_alt = models.CharField(_("photo description (alt text)"), max_length=300, blank=True)
    note = models.TextField(_("note"), max_length=2_000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-delivered_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(signatures_delivered__gte=1),
                name="delivery_at_least_one_signature",
            ),
            models.CheckConstraint(
                condition=models.Q(photo="") | ~models.Q(photo_alt=""),
                name="delivery_photo_has_alt_text",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.petition_id}: {self.delivered_on} {self.place}"


class OutcomeChange(models.Model):
    """One dated step of a petition's outcome history (the audit log has the same, for staff)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="outcome_changes")
    from_outcome = models.CharField(max_length=20, choices=Outcome.choices)
    to_outcome = models.CharField(max_length=20, choices=Outcome.choices)
    changed_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("outcome change")
        verbose_name_plural = _("outcome changes")
        ordering = ["changed_on", "id"]

    def __str__(self) -> str:
        return f"{self.petition_id}: {self.from_outcome} → {self.to_outcome}"


class PetitionResponse(models.Model):
    """The target's answer to the petition, shown prominently on its page."""

    petition = models.OneToOneField(Petition, on_delete=models.CASCADE, related_name="response")
    responded_on = models.DateField(_("date of the response"))
    body = models.TextField(_("the response (Markdown)"), max_length=20_000)
    link = models.URLField(_("link to the response"), max_length=500, blank=True)
    document = models.FileField(_("document (PDF)"), upload_to="responses/", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"response to petition #{self.petition_id}"


class MilestoneKind(models.TextChoices):
    COUNT = "count", _("a number of signatures")
    GOAL = "goal", _("the petition's goal reached")


class Milestone(models.Model):
    """A threshold of confirmed signatures. The counting job sets `crossed_at` once, in one
    conditional UPDATE (signatures/history.py), and nothing ever clears it."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(
        _("kind"), max_length=10, choices=MilestoneKind.choices, default=MilestoneKind.COUNT
    )
    count = models.PositiveIntegerField(_("signatures"), null=True, blank=True)
    note = models.CharField(_("public note"), max_length=300, blank=True)
    crossed_at = models.DateTimeField(_("reached"), null=True, blank=True)
    auto_send = models.BooleanField(_("email signers as soon as it is reached"), default=False)
    email_subject = models.CharField(_("email subject"), max_length=200, blank=True)
    email_body = models.TextField(_("email text (Markdown)"), max_length=10_000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["petition", "count", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="count") & models.Q(count__gte=1))
                | (models.Q(kind="goal") & models.Q(count__isnull=True)),
                name="milestone_count_positive_or_goal",
            ),
            models.UniqueConstraint(
                fields=["petition", "count"], name="one_milestone_per_count"
            ),
            models.UniqueConstraint(
                fields=["petition"], condition=models.Q(kind="goal"),
                name="one_goal_milestone_per_petition",
            ),
        ]  # fmt: skip
        indexes = [
            models.Index(
                fields=["petition"], name="milestone_not_crossed",
                condition=models.Q(crossed_at__isnull=True),
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.petition_id}: {self.count or 'goal'}"

    def threshold(self, goal: int) -> int:
        return self.count if self.count is not None else goal


class TrackedLink(models.Model):
    """A campaigner's short link, `/p/<code>`: it sends people to the petition with
    `?ref=<code>`, so the signatures it brings are counted under that code."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="tracked_links")
    code = models.SlugField(_("code"), max_length=32, unique=True)
    label = models.CharField(_("what it is for"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("created by"),
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tracked link")
        verbose_name_plural = _("tracked links")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[a-z0-9][a-z0-9-]{0,31}$"),
                name="tracked_link_code_characters",
            ),
        ]

    def __str__(self) -> str:
        return self.code
