"""What each role may see. Every view, API endpoint, export and report narrows its querysets
through these functions (and the `*_visible_to` selectors built on them); nothing that reads
protected data filters by role on its own.

Roles and their reach:
- secretariat: everything, including citizens' identities;
- department officer: one department, all districts;
- district officer: one district, all departments;
- office head: one office;
- call-centre agent: every office (agents call citizens province-wide), citizens' identities;
- data-entry operator: the offices assigned to them;
- auditor: everything, read-only, never citizens' identities.
Citizens' CNICs are shown in full to the secretariat only.
A superuser without a role is treated as secretariat; any other user without a role sees nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from cfmp.accounts.models import Role
from cfmp.registry.models import Office

PROVINCE_WIDE_ROLES = frozenset({Role.SECRETARIAT, Role.CALL_CENTRE_AGENT, Role.AUDITOR})
IDENTITY_ROLES = frozenset({Role.SECRETARIAT, Role.CALL_CENTRE_AGENT})
READ_ONLY_ROLES = frozenset({Role.AUDITOR})
ADMIN_SITE_ROLES = frozenset(
    {Role.SECRETARIAT, Role.AUDITOR, Role.DEPARTMENT_OFFICER, Role.DISTRICT_OFFICER}
)
# Who watches the whole: the command centre, the access log, every case's trail.
OVERSIGHT_ROLES = frozenset({Role.SECRETARIAT, Role.AUDITOR})
# Who reads cases (office heads and auditors only read them) and who acts on them.
CASE_ROLES = frozenset(
    {
        Role.SECRETARIAT,
        Role.DEPARTMENT_OFFICER,
        Role.DISTRICT_OFFICER,
        Role.OFFICE_HEAD,
        Role.AUDITOR,
    }
)
CASE_ACTING_ROLES = frozenset({Role.SECRETARIAT, Role.DEPARTMENT_OFFICER, Role.DISTRICT_OFFICER})
TRANSACTION_SUBMITTING_ROLES = frozenset({Role.SECRETARIAT, Role.DATA_ENTRY_OPERATOR})
# Who gets the reports' e-mailed digests (their scope's figures).
REPORT_DIGEST_ROLES = frozenset(
    {Role.SECRETARIAT, Role.DEPARTMENT_OFFICER, Role.DISTRICT_OFFICER, Role.OFFICE_HEAD}
)

NOTHING = Q(pk__in=[])


def effective_role(user: Any) -> Role | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.role:
        return Role(user.role)
    if user.is_superuser:
        return Role.SECRETARIAT
    return None


def _path(via: str, field: str) -> str:
    return f"{via}__{field}" if via else field


def office_scope(user: Any, *, via: str = "") -> Q:
    """A filter keeping the rows whose office is within the user's scope.

    `via` is the lookup path from the filtered model to its Office ("" for Office itself,
    "office" for a model with an `office` foreign key, "official__office", ...).
    """
    role = effective_role(user)
    if role in PROVINCE_WIDE_ROLES:
        return Q()
    if role == Role.DEPARTMENT_OFFICER:
        return Q(**{_path(via, "department_id"): user.department_id})
    if role == Role.DISTRICT_OFFICER:
        return Q(**{_path(via, "district_id"): user.district_id})
    if role == Role.OFFICE_HEAD:
        return Q(**{_path(via, "pk"): user.office_id})
    if role == Role.DATA_ENTRY_OPERATOR:
        return Q(**{_path(via, "pk__in"): user.assigned_offices.values("pk")})
    return Q(**{_path(via, "pk__in"): []})


def department_scope(user: Any, *, via: str = "") -> Q:
    """A filter keeping the departments the user's offices belong to."""
    role = effective_role(user)
    if role in PROVINCE_WIDE_ROLES or role == Role.DISTRICT_OFFICER:
        return Q()
    if role == Role.DEPARTMENT_OFFICER:
        return Q(**{_path(via, "pk"): user.department_id})
    if role in (Role.OFFICE_HEAD, Role.DATA_ENTRY_OPERATOR):
        return Q(**{_path(via, "pk__in"): _offices_in_scope(user).values("department_id")})
    return Q(**{_path(via, "pk__in"): []})


def district_scope(user: Any, *, via: str = "") -> Q:
    """A filter keeping the districts the user answers for."""
    role = effective_role(user)
    if role in PROVINCE_WIDE_ROLES or role == Role.DEPARTMENT_OFFICER:
        return Q()
    if role == Role.DISTRICT_OFFICER:
        return Q(**{_path(via, "pk"): user.district_id})
    if role in (Role.OFFICE_HEAD, Role.DATA_ENTRY_OPERATOR):
        return Q(**{_path(via, "pk__in"): _offices_in_scope(user).values("district_id")})
    return Q(**{_path(via, "pk__in"): []})


def _offices_in_scope(user: Any) -> Any:
    return Office.objects.filter(office_scope(user))


def can_view_citizen_identity(user: Any) -> bool:
    """Citizens' names, numbers and CNICs: secretariat and call centre only."""
    return effective_role(user) in IDENTITY_ROLES


def sees_complaints_generalised(user: Any) -> bool:
    """Everyone below the identity roles reads complaints through `cfmp.feedback.anonymity`:
    masked words, and the time, service and official no finer than k citizens share
    (docs/privacy.md). Nobody below them ever sees a citizen's number."""
    return effective_role(user) not in IDENTITY_ROLES


def can_open_attachment(user: Any, *, addressed_to_all: bool, author_id: int | None) -> bool:
    """An action's attachment, for someone who may see its case: the identity roles always,
    its author (what they uploaded), and everyone else only when the author addressed it
    to all who see the case (`cases.models.Audience.CASE`)."""
    if effective_role(user) in IDENTITY_ROLES or author_id == getattr(user, "pk", None):
        return True
    return addressed_to_all


def feedback_scope(user: Any, *, via: str = "") -> Q:
    """A filter keeping the feedback whose office (reached by `via`) the user may read
    feedback about: `office_scope`, except that a data-entry operator reads none. The
    offices they type for are their own colleagues' (issue 20): what they typed they see
    while correcting it (their form), never what citizens said about those officials."""
    if effective_role(user) == Role.DATA_ENTRY_OPERATOR:
        return NOTHING
    return office_scope(user, via=via)


def can_read_replies_by_official(user: Any) -> bool:
    """Reports of what citizens said, one official at a time: not for data-entry operators,
    whose offices' officials are their colleagues (issue 20; `feedback_scope`)."""
    role = effective_role(user)
    return role is not None and role != Role.DATA_ENTRY_OPERATOR


def can_review_feedback(user: Any) -> bool:
    """Confirm or correct a reply's category: the secretariat and call-centre reviewers,
    who may read citizens' messages."""
    return effective_role(user) in IDENTITY_ROLES


def can_call_citizens(user: Any) -> bool:
    """Work the call-centre queue and log senior officials' direct calls: the roles that
    may see citizens' numbers."""
    return effective_role(user) in IDENTITY_ROLES


def can_read_access_log(user: Any) -> bool:
    """Who looked at citizens' identities: the secretariat and auditors."""
    return effective_role(user) in OVERSIGHT_ROLES


def can_use_command_centre(user: Any) -> bool:
    """The command centre (the province at a glance): the secretariat and auditors."""
    return effective_role(user) in OVERSIGHT_ROLES


def can_acknowledge_alerts(user: Any) -> bool:
    """The secretariat, which watches the command centre, marks an alert as seen."""
    return effective_role(user) == Role.SECRETARIAT


def can_see_cases(user: Any) -> bool:
    return effective_role(user) in CASE_ROLES


def can_act_on_cases(user: Any) -> bool:
    """Move cases, record actions: the secretariat and the department and district officers
    (within their scope; office heads and auditors read only)."""
    return effective_role(user) in CASE_ACTING_ROLES


def can_bulk_edit_cases(user: Any) -> bool:
    return effective_role(user) == Role.SECRETARIAT


def can_read_case_trail(user: Any) -> bool:
    """The audit trail of every case: the secretariat and auditors."""
    return effective_role(user) in OVERSIGHT_ROLES


def sees_routing_gaps(user: Any) -> bool:
    """Cases no one owns and offices no officer covers (issue 17): the secretariat, who
    fills the gaps."""
    return effective_role(user) == Role.SECRETARIAT


def can_submit_transactions(user: Any) -> bool:
    return effective_role(user) in TRANSACTION_SUBMITTING_ROLES


def sees_every_import_job(user: Any) -> bool:
    """Every upload of transactions (operators see their own): the secretariat."""
    return effective_role(user) == Role.SECRETARIAT


def can_view_full_cnic(user: Any) -> bool:
    """A citizen's CNIC in full: the secretariat only; everyone else sees the last digits."""
    return effective_role(user) == Role.SECRETARIAT


def can_write(user: Any) -> bool:
    role = effective_role(user)
    return role is not None and role not in READ_ONLY_ROLES


def can_manage_registry(user: Any) -> bool:
    """Create and edit departments, offices and officials: the secretariat."""
    return effective_role(user) == Role.SECRETARIAT


def can_manage_users(user: Any) -> bool:
    return effective_role(user) == Role.SECRETARIAT


def can_use_admin_site(user: Any) -> bool:
    return bool(getattr(user, "is_staff", False)) and effective_role(user) in ADMIN_SITE_ROLES


def can_see_quarantine(user: Any) -> bool:
    """Background items set aside after failing (issue 18), some holding what a citizen
    sent: the secretariat, who may read citizens' messages and retry them."""
    return effective_role(user) == Role.SECRETARIAT


def can_manage_kiosks(user: Any) -> bool:
    """Register, revoke and re-enrol kiosks, acknowledge their tamper signs: the secretariat.
    (Officers and auditors may see their kiosks in the admin, never mint a code for one.)"""
    return effective_role(user) == Role.SECRETARIAT


def can_change_own_account(user: Any) -> bool:
    """Their own password and second factor: anyone signed in (auditors included: an
    account's own credentials are not CFMP's data)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active)
