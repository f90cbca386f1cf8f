"""Organisations and what they campaign on: cases, their timelines, and updates."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    require_two_factor_for_all = models.BooleanField(
        _("two-factor sign-in for every member"),
        default=False,
        help_text=_(
            "Data officers, moderators and admins always need a second factor; tick this to "
            "require it of editors and analysts too."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    """A person or cause an organisation campaigns for; texts are translated (translation.py)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cases")
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    story = models.TextField(_("story (Markdown)"), max_length=50_000, blank=True)
    status_line = models.CharField(_("current status"), max_length=200, blank=True)
    photo = models.ImageField(_("photo"), upload_to="cases/", blank=True)
    photo_alt = models.CharField(_("photo description (alt text)"), max_length=300, blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class DatePrecision(models.TextChoices):
    YEAR = "year", _("year")
    MONTH = "month", _("month")
    DAY = "day", _("day")


class TimelineEntry(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline")
    date = models.DateField(_("date"))
    precision = models.CharField(
        _("date precision"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=5_000, blank=True)
    source_url = models.URLField(_("source"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "date", "title"], name="timeline_entry_unique")
        ]

    def __str__(self) -> str:
        return f"{self.display_date}: {self.title}"

    @property
    def display_date(self) -> str:
        return format_date_at_precision(self.date, self.precision)


def format_date_at_precision(value: date, precision: str) -> str:
    """'2006', 'November 2010' or '19 June 2012' — in the active language's format."""
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return formats.date_format(value, "YEAR_MONTH_FORMAT")
    return formats.date_format(value, "DATE_FORMAT")


class Update(models.Model):
    """Dated news on a case, shown on its page (and emailed to the signers who asked: mailings/)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="updates")
    published_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text (Markdown)"), max_length=20_000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("update")
        verbose_name_plural = _("updates")
        ordering = ["-published_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "published_on", "title"], name="update_unique")
        ]

    def __str__(self) -> str:
        return self.title


class Role(models.TextChoices):
    """What a staff member may do in one organisation (see permissions.py)."""

    EDITOR = "editor", _("editor (content and updates)")
    ANALYST = "analyst", _("analyst (numbers, read-only)")
    DATA_OFFICER = "data_officer", _("data officer (personal data and exports)")
    MODERATOR = "moderator", _("moderator (fraud review and public petitions)")
    ADMIN = "admin", _("admin (members and settings)")


class Membership(models.Model):
    user = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="one_role_per_user_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.organisation_id} as {self.role}"
