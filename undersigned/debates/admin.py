"""Staff write debates in the admin (question and introduction in each language, dates and
switches), scoped to their own organisations like every admin page (campaigns/admin_scope.py).

Arguments are not edited here: staff's own and the public's go through services.py (the queue
at /staff/debates/), so every change of state is a transition and every decision is audited.
Closing is its own page too (/staff/debates/<id>/close/): it requires the conclusion.
"""

from __future__ import annotations

from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from undersigned.campaigns.admin_scope import OrganisationScopedAdmin, ScopedRelatedFieldListFilter
from undersigned.debates.models import Debate


@admin.register(Debate)
class DebateAdmin(OrganisationScopedAdmin, TabbedTranslationAdmin):
    organisation_path = "case__organisation"
    list_display = ["question", "case", "opens_at", "closes_at", "closed_at"]
    list_filter = [("case", ScopedRelatedFieldListFilter)]
    fields = [
        "case", "slug", "question", "introduction", "opens_at", "closes_at",
        "accepts_contributions", "sources_required",
    ]  # fmt: skip
    readonly_fields = ["closed_at"]
