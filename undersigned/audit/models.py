"""The audit log: who did what to personal data, permissions or settings — append-only.

Entries keep plain ids and text instead of foreign keys, so deleting a petition, an
organisation or an account never has to touch (and so cannot rewrite) the log.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditLogIsAppendOnly(Exception):
    """An entry was about to be changed or deleted: the log only ever grows."""


def _refuse(what: str) -> NoReturn:
    raise AuditLogIsAppendOnly(f"The audit log is append-only: {what} is refused.")


class AuditAction(models.TextChoices):
    # Exports of signature data (an entry when one starts, another when it ends).
    SIGNATURES_CSV = "signatures_csv", _("export: signatures (CSV)")
    SIGNATURES_CSV_WITH_EMAIL = (
        "signatures_csv_with_email",
        _("export: signatures with emails (CSV)"),
    )
    AGGREGATE_CSV = "aggregate_csv", _("export: count per country per day (CSV)")
    DELIVERY_PDF = "delivery_pdf", _("export: delivery document (PDF)")
    DELIVERY_PDF_WITH_NAMES = (
        "delivery_pdf_with_names",
        _("export: delivery document with names (PDF)"),
    )
    EXPORT_FINISHED = "export_finished", _("export finished")
    EXPORT_CUT_OFF = "export_cut_off", _("export cut off before the end")
    # Staff accounts and permissions.
    SIGN_IN = "sign_in", _("staff sign-in")
    SIGN_IN_FAILED = "sign_in_failed", _("failed staff sign-in")
    SIGN_OUT = "sign_out", _("staff sign-out")
    SECOND_FACTOR_PASSED = "second_factor", _("second factor passed")
    SECOND_FACTOR_FAILED = "second_factor_failed", _("second factor refused")
    TWO_FACTOR_ENROLLED = "two_factor_enrolled", _("second factor added")
    RECOVERY_CODES_ISSUED = "recovery_codes", _("new recovery codes")
    TWO_FACTOR_RESET = "two_factor_reset", _("second factors reset by an admin")
    SESSION_ENDED = "session_ended", _("staff session ended")
    PASSWORD_CHANGED = "password_changed", _("password changed")
    ROLE_CHANGED = "role_changed", _("role changed")
    SETTINGS_CHANGED = "settings_changed", _("settings changed")
    RECORD_CHANGED = "record_changed", _("content changed")
    # Petitions and updates.
    PETITION_PUBLISHED = "petition_published", _("petition published")
    PETITION_CLOSED = "petition_closed", _("petition closed")
    DELIVERY_RECORDED = "delivery_recorded", _("delivery recorded")
    TRACKED_LINK_CREATED = "tracked_link_created", _("tracked link created")
    UPDATE_WRITTEN = "update_written", _("update published")
    MAILING_STARTED = "mailing_started", _("update emailed to signers")
    MILESTONE_CHANGED = "milestone_changed", _("milestone added, changed or removed")
    RESPONSE_RECORDED = "response_recorded", _("target's response recorded")
    OUTCOME_CHANGED = "outcome_changed", _("petition outcome changed")
    # Signatures.
    INVALIDATION_QUEUED = "invalidation_queued", _("invalidation queued")
    INVALIDATION = "invalidation", _("signatures invalidated")
    INVALIDATION_PREVIEWED = "invalidation_previewed", _("bulk invalidation previewed")
    INVALIDATION_REVERTED = "invalidation_reverted", _("invalidation reverted")
    HELD_RELEASED = "held_released", _("held signatures released")
    PROPOSAL_MODERATED = "proposal_moderated", _("public petition moderated")
    # Debates.
    DEBATE_ARGUMENT_ADDED = "debate_argument_added", _("debate: argument added by staff")
    DEBATE_ARGUMENT_MODERATED = "debate_argument_moderated", _("debate: argument moderated")
    DEBATE_CLOSED = "debate_closed", _("debate closed with its conclusion")
    # Partners: organisation API keys and what was done with them (partners/).
    API_KEY_CREATED = "api_key_created", _("API key created")
    API_KEY_REVOKED = "api_key_revoked", _("API key revoked")
    API_SIGNATURE_RECORDED = "api_signature_recorded", _("API: signature recorded")
    API_PERSONAL_DATA_READ = "api_personal_data_read", _("API: signers' personal data read")
    PARTNER_VERIFIED_CHANGED = (
        "partner_verified_changed",
        _("partner-verified signatures allowed or stopped"),
    )
    # Webhooks (docs/webhooks.md).
    WEBHOOK_CREATED = "webhook_created", _("webhook endpoint created")
    WEBHOOK_CHANGED = "webhook_changed", _("webhook endpoint changed")
    WEBHOOK_ENABLED = "webhook_enabled", _("webhook endpoint enabled")
    WEBHOOK_DISABLED = "webhook_disabled", _("webhook endpoint disabled")
    WEBHOOK_DELETED = "webhook_deleted", _("webhook endpoint deleted")
    WEBHOOK_SECRET_ROTATED = "webhook_secret_rotated", _("webhook secret rotated")
    WEBHOOK_TEST_SENT = "webhook_test_sent", _("webhook test sent")
    WEBHOOK_REDELIVERED = "webhook_redelivered", _("webhook delivery sent again")
    # Signers' rights and retention.
    PAPER_BATCH_LOGGED = "paper_batch_logged", _("paper signatures added to the log")
    PAPER_BATCH_UNLOGGED = "paper_batch_unlogged", _("paper signatures taken off the log")
    PAPER_IMPORT_PREVIEWED = "paper_import_previewed", _("paper signatures previewed")
    PAPER_IMPORT_APPLIED = "paper_import_applied", _("paper signatures imported")
    PAPER_IMPORT_REVERTED = "paper_import_reverted", _("paper import reverted")
    PAPER_GOAL_CHANGED = "paper_goal_changed", _("whether paper counts toward the goal changed")
    LOG_RECONCILED = "log_reconciled", _("transparency log reconciled with the count")
    SIGNER_WITHDREW = "signer_withdrew", _("a signer withdrew a signature")
    SIGNER_ERASED = "signer_erased", _("a signer erased their data")
    RETENTION_RUN = "retention_run", _("retention: personal data anonymised")


class AuditLogQuerySet(models.QuerySet):
    """Reads and inserts only. The database refuses the rest too (migration 0003's triggers)."""

    def update(self, **kwargs: Any) -> NoReturn:
        _refuse("update")

    def delete(self) -> NoReturn:  # type: ignore[override]
        _refuse("delete")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> NoReturn:
        _refuse("bulk_update")

    def update_or_create(self, *args: Any, **kwargs: Any) -> NoReturn:  # type: ignore[override]
        _refuse("update_or_create")


class AuditLogEntry(models.Model):
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    action = models.CharField(_("what"), max_length=32, choices=AuditAction.choices)
    # Who: a staff account (kept as text too, for after the account is gone), an API key
    # (its name, never its value, in `username`), or nobody for the signer's own actions
    # and scheduled tasks.
    user_id = models.IntegerField(null=True, blank=True)
    username = models.CharField(_("who"), max_length=150, blank=True)
    # Which organisation's admins see the entry, and which petition it concerns (if any).
    organisation_id = models.IntegerField(null=True, blank=True)
    petition_id = models.IntegerField(null=True, blank=True)
    subject = models.CharField(_("concerning"), max_length=200, blank=True)
    row_count = models.PositiveBigIntegerField(_("rows"), default=0)
    # Free text for staff, never a signer's personal data.
    detail = models.CharField(_("detail"), max_length=500, blank=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log entries")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation_id", "-created_at"], name="audit_by_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.username} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert once; saving an entry that is already stored would rewrite history."""
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            _refuse("changing an entry")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:  # type: ignore[override]
        _refuse("deleting an entry")

    @property
    def ends_an_export(self) -> bool:
        return self.action in (AuditAction.EXPORT_FINISHED, AuditAction.EXPORT_CUT_OFF)
