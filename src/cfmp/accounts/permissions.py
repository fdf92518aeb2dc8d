"""Who may change what: every door into CFMP that writes names here the permission it needs.

A door is a page (its URL name), an admin model ("admin:app.model": add, change, delete), an
admin action ("admin:app.model:action"), an API endpoint ("api:<url name>") or a management
command ("command:<name>"). Pages use `@requires(door)`, the admin (`ScopedAdmin`) looks its
doors up here, and tests/accounts/test_permission_matrix.py walks every role through every
URL and admin action against an expected table written independently of this one.

Permissions of people are predicates over the signed-in user (defined with the scopes, in
`cfmp.accounts.scopes` and the apps' selectors). Machines (gateways, source systems, kiosks)
authenticate with keys, not users: their doors name the credential they need. Management
commands run with the server's own database credentials: whoever may run them already has a
shell on the server, so they are listed as "server shell" (docs/security.md).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from cfmp.accounts import scopes


def _nobody(user: Any) -> bool:
    return False


# Permissions whose predicate lives in an app above accounts (intake, cases, reports): each
# app registers its own in AppConfig.ready(), so accounts imports none of them.
_registered: dict[str, Callable[[Any], bool]] = {}


def register_rule(permission: str, predicate: Callable[[Any], bool]) -> None:
    _registered[permission] = predicate


def _rules() -> dict[str, Callable[[Any], bool]]:
    return {
        "registry.manage": scopes.can_manage_registry,
        "users.manage": scopes.can_manage_users,
        "kiosks.manage": scopes.can_manage_kiosks,
        "feedback.review": scopes.can_review_feedback,
        "citizens.call": scopes.can_call_citizens,
        **_registered,  # transactions.submit, cases.act, cases.bulk_edit, alerts.acknowledge
        "account.own": scopes.can_change_own_account,
        "quarantine.manage": scopes.can_see_quarantine,
        # Records nobody edits by hand (evidence, logs): append-only through CFMP's services.
        "nobody": _nobody,
    }


# Credentials of machines, and the server shell: not predicates over a user.
MACHINE_CREDENTIALS = {
    "source-token": "a source system's API token (Authorization: Token …)",
    "kiosk-enrolment-code": "a one-time enrolment code issued by the secretariat",
    "kiosk-key": "an enrolled kiosk's device key",
    "server-shell": "a shell on the server with its database credentials",
    "anyone": "no credential: signing in, password reset, language choice",
}

DOORS: dict[str, str] = {
    # Pages that write (POST).
    "set_language": "anyone",
    "login": "anyone",
    "logout": "anyone",
    "password_reset": "anyone",
    "password_reset_confirm": "anyone",
    "password_change": "account.own",
    "two-factor-setup": "account.own",
    "two-factor-verify": "account.own",
    "intake:transaction-new": "transactions.submit",
    "intake:upload": "transactions.submit",
    "feedback-review-decide": "feedback.review",
    "call-next": "citizens.call",
    "call-detail": "citizens.call",
    "direct-calls": "citizens.call",
    "cases:bulk": "cases.bulk_edit",
    "cases:add-action": "cases.act",
    "cases:move": "cases.act",
    "cases:open-by-hand": "feedback.review",
    "reports:acknowledge": "alerts.acknowledge",
    # Gateways and devices.
    "kiosk-enrol": "kiosk-enrolment-code",
    "kiosk-config": "kiosk-key",
    "kiosk-rotate": "kiosk-key",
    "kiosk-heartbeat": "kiosk-key",
    "kiosk-visits": "kiosk-key",
    "api-transactions": "source-token",
    "api-transaction-detail": "source-token",
    # The admin: add, change and delete of each model...
    "admin:accounts.user": "users.manage",
    "admin:accounts.identityview": "nobody",
    "admin:accounts.signinevent": "nobody",
    "admin:registry.department": "registry.manage",
    "admin:registry.service": "registry.manage",
    "admin:registry.district": "registry.manage",
    "admin:registry.office": "registry.manage",
    "admin:registry.official": "registry.manage",
    "admin:outreach.surveyplan": "registry.manage",
    "admin:outreach.channelsetting": "registry.manage",
    "admin:outreach.holiday": "registry.manage",
    "admin:outreach.optout": "registry.manage",
    "admin:outreach.voiceprompt": "registry.manage",
    "admin:cases.routingrule": "registry.manage",
    "admin:cases.caseevent": "nobody",
    "admin:feedback.inboundmessage": "nobody",
    "admin:feedback.feedback": "nobody",
    "admin:feedback.citizencall": "nobody",
    "admin:feedback.callrequest": "nobody",
    "admin:kiosk.kiosk": "kiosks.manage",
    "admin:kiosk.kioskevent": "kiosks.manage",
    "admin:core.quarantineditem": "quarantine.manage",
    # ...and its actions (delete_selected follows the model's own door).
    "admin:accounts.user:lift_lockout": "users.manage",
    "admin:accounts.user:remove_second_factor": "users.manage",
    "admin:core.quarantineditem:try_again": "quarantine.manage",
    "admin:kiosk.kiosk:revoke": "kiosks.manage",
    "admin:kiosk.kiosk:new_enrolment_code": "kiosks.manage",
    "admin:kiosk.kioskevent:acknowledge": "kiosks.manage",
    # Management commands.
    "command:escalate_cases": "server-shell",
    "command:send_case_digests": "server-shell",
    "command:load_demo": "server-shell",
    "command:demo_users": "server-shell",
    "command:run": "server-shell",
    "command:runserver": "server-shell",
    "command:classify": "server-shell",
    "command:receive_sms": "server-shell",
    "command:train_classifier": "server-shell",
    "command:import_transactions": "server-shell",
    "command:source": "server-shell",
    "command:voice_prompts": "server-shell",
    "command:import_registry": "server-shell",
    "command:detect_alerts": "server-shell",
    "command:rebuild_rollups": "server-shell",
    "command:report": "server-shell",
    "command:send_report_digests": "server-shell",
    "command:plans": "server-shell",
}


# The doors and credentials channel types declare (`ChannelType.doors`, `.credentials`: their
# callbacks' URL names and the machine credential each needs), registered at start-up by
# cfmp.core (accounts sits below the channels in the flow and never imports them): adding a
# gateway edits no line here.
_channel_doors: dict[str, str] = {}
_channel_credentials: dict[str, str] = {}


def register_channel_doors(*, doors: dict[str, str], credentials: dict[str, str]) -> None:
    _channel_doors.update(doors)
    _channel_credentials.update(credentials)


def channel_doors() -> dict[str, str]:
    return dict(_channel_doors)


def all_doors() -> dict[str, str]:
    """Every door: CFMP's own (DOORS) and the channel types'."""
    return {**DOORS, **_channel_doors}


def machine_credentials() -> dict[str, str]:
    """Every machine credential, CFMP's own and those channel types bring, in words."""
    return {**MACHINE_CREDENTIALS, **_channel_credentials}


def permission_for(door: str) -> str:
    """The permission a door needs; an unknown door is an error (fail closed)."""
    try:
        return all_doors()[door]
    except KeyError:
        raise LookupError(f"{door!r} names no door in cfmp.accounts.permissions.DOORS") from None


def allowed(user: Any, door: str) -> bool:
    """May this signed-in user pass through this door? Machine doors are never opened by a
    user's session."""
    permission = permission_for(door)
    rule = _rules().get(permission)
    return bool(rule is not None and rule(user))


def requires(door: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A view decorator: sign-in required, then the door's permission (403 otherwise).
    Only the writes are guarded: a GET is left to the view (which scopes what it reads)."""
    permission_for(door)  # an unknown door fails at import, not at the first request

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def guarded(request: Any, *args: Any, **kwargs: Any) -> Any:
            if request.method not in ("GET", "HEAD", "OPTIONS") and not allowed(request.user, door):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        guarded.cfmp_door = door  # type: ignore[attr-defined]
        return login_required(guarded)

    return decorate
