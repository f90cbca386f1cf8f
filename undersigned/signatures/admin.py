from django.contrib import admin

from undersigned.signatures.models import Signature


@admin.register(Signature)
class SignatureAdmin(admin.ModelAdmin):
    """Read-only list for staff; includes pending signatures whose email could not be sent."""

    list_display = ["id", "petition", "country", "created_at", "confirmed_at", "email_failed_at"]
    list_filter = ["petition", ("email_failed_at", admin.EmptyFieldListFilter),
                   ("confirmed_at", admin.EmptyFieldListFilter)]  # fmt: skip
    readonly_fields = [f.name for f in Signature._meta.fields if f.name != "confirmation_key"]
    exclude = ["confirmation_key"]
    show_full_result_count = False

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False
