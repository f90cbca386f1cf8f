"""One place decides what a staff member may do.

Every staff view, admin page, export and task asks `may(user, action, organisation)` or uses
`require(...)`; nothing checks roles on its own. A member of another organisation is told
the thing does not exist (404); a member whose role lacks the right is refused (403).
"""

from __future__ import annotations

import enum

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from undersigned.campaigns.models import Membership, Organisation, Role


class Action(enum.StrEnum):
    VIEW_NUMBERS = "view_numbers"  # dashboard, charts, aggregate exports
    EDIT_CONTENT = "edit_content"  # cases, timelines, petitions, publish, close
    SEND_UPDATES = "send_updates"  # updates to signers and milestone emails
    RECORD_DELIVERY = "record_delivery"  # delivery PDF and delivery records
    VIEW_PERSONAL_DATA = "view_personal_data"  # names and emails of signers
    EXPORT_PERSONAL_DATA = "export_personal_data"  # CSV with emails
    INVALIDATE_SIGNATURES = "invalidate_signatures"
    MODERATE = "moderate"  # fraud signals, bulk invalidation, held signatures, public petitions,
    # and debate contributions from the public
    VIEW_RETENTION_REPORT = "view_retention_report"  # what the next retention run anonymises
    VIEW_AUDIT_LOG = "view_audit_log"
    MANAGE_MEMBERS = "manage_members"
    # Import signatures collected on paper: its duplicate report tells which addresses have
    # signed, so only roles that may see signers' emails may run it.
    IMPORT_PAPER = "import_paper"
    # Organisation API keys and what partners may do on a petition (partners/): admins only.
    MANAGE_API_KEYS = "manage_api_keys"
    MANAGE_WEBHOOKS = "manage_webhooks"  # endpoints, secrets, the delivery log (admins only)


ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.EDITOR: frozenset(
        {Action.VIEW_NUMBERS, Action.EDIT_CONTENT, Action.SEND_UPDATES, Action.RECORD_DELIVERY}
    ),
    Role.ANALYST: frozenset({Action.VIEW_NUMBERS}),
    Role.DATA_OFFICER: frozenset(
        {
            Action.VIEW_NUMBERS,
            Action.VIEW_PERSONAL_DATA,
            Action.EXPORT_PERSONAL_DATA,
            Action.INVALIDATE_SIGNATURES,
            Action.RECORD_DELIVERY,
            Action.VIEW_RETENTION_REPORT,
            Action.IMPORT_PAPER,
        }
    ),
    Role.MODERATOR: frozenset({Action.VIEW_NUMBERS, Action.INVALIDATE_SIGNATURES, Action.MODERATE}),
    Role.ADMIN: frozenset(Action),
}

# Roles that see signers' personal data or decide who else may: their accounts need a second
# factor (docs/security.md). Other roles need one where their organisation requires it for all.
TWO_FACTOR_ROLES = frozenset({Role.DATA_OFFICER, Role.MODERATOR, Role.ADMIN})

User = AbstractBaseUser | AnonymousUser
StaffUser = User


def roles_in(user: User, organisation: Organisation) -> set[str]:
    if not user.is_authenticated or not user.is_active:
        return set()
    if getattr(user, "is_superuser", False):
        return {Role.ADMIN}  # the operator who runs the installation
    return set(
        Membership.objects.filter(user_id=user.pk, organisation=organisation).values_list(
            "role", flat=True
        )
    )


def is_member(user: User, organisation: Organisation) -> bool:
    return bool(roles_in(user, organisation))


def may(user: User, action: Action, organisation: Organisation) -> bool:
    return any(action in ROLE_ACTIONS[role] for role in roles_in(user, organisation))


def require(user: User, action: Action, organisation: Organisation) -> None:
    """404 for strangers to the organisation, 403 for members without the right."""
    roles = roles_in(user, organisation)
    if not roles:
        raise Http404("Not found")
    if not any(action in ROLE_ACTIONS[role] for role in roles):
        raise PermissionDenied(f"Your role may not {action.value.replace('_', ' ')}.")


def require_somewhere(user: User, action: Action) -> None:
    """For pages listing every organisation's items at once (a moderation queue): 403 unless
    the user may do `action` in at least one organisation; the list then holds only those."""
    if not organisations_of(user, action).exists():
        raise PermissionDenied(f"Your role may not {action.value.replace('_', ' ')}.")


def organisations_of(user: User, action: Action | None = None) -> QuerySet[Organisation]:
    """The organisations whose data this user may see (optionally: may act on)."""
    if not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    if getattr(user, "is_superuser", False):
        return Organisation.objects.all()
    memberships = Membership.objects.filter(user_id=user.pk)
    if action is not None:
        memberships = memberships.filter(
            role__in=[role for role, actions in ROLE_ACTIONS.items() if action in actions]
        )
    return Organisation.objects.filter(pk__in=memberships.values("organisation_id"))


def requires_two_factor(user: User) -> bool:
    """Whether this account must pass a second factor to use the back office or the admin."""
    if not user.is_authenticated or not user.is_active:
        return False
    if getattr(user, "is_superuser", False):
        return True
    memberships = Membership.objects.filter(user_id=user.pk)
    return memberships.filter(
        Q(role__in=TWO_FACTOR_ROLES) | Q(organisation__require_two_factor_for_all=True)
    ).exists()


def may_reset_two_factor(actor: User, member: AbstractBaseUser) -> bool:
    """An admin of every organisation the member belongs to (or the operator) may reset the
    member's second factors. Admin of only one of them is not enough: the reset weakens the
    account in all of them."""
    if not actor.is_authenticated or not actor.is_active or actor.pk == member.pk:
        return False
    if getattr(actor, "is_superuser", False):
        return True
    if getattr(member, "is_superuser", False):
        return False
    theirs = set(
        Membership.objects.filter(user_id=member.pk).values_list("organisation_id", flat=True)
    )
    administered = set(
        Membership.objects.filter(user_id=actor.pk, role=Role.ADMIN).values_list(
            "organisation_id", flat=True
        )
    )
    return bool(theirs) and theirs <= administered


def accounts_in(organisations: QuerySet[Organisation]) -> QuerySet:
    """The staff accounts that are members of any of these organisations."""
    members = Membership.objects.filter(organisation__in=organisations).values("user_id")
    return get_user_model()._default_manager.filter(pk__in=members).order_by("username")
