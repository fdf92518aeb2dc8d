"""How a citizen's identity is shown to a user: in full to the roles that may see it, masked
to everyone else. Pages never print a transaction's identity fields directly."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cfmp.accounts.scopes import can_view_citizen_identity, can_view_full_cnic
from cfmp.intake.cnic import format_cnic, masked_cnic, open_sealed_cnic
from cfmp.intake.models import Transaction


@dataclass(frozen=True)
class CitizenIdentity:
    name: str
    mobile: str
    cnic: str
    masked: bool


def mask_mobile(e164: str) -> str:
    """+923001234567 -> +92 300 ****567: enough to tell numbers apart, not to call one."""
    if len(e164) < 8:
        return "****" if e164 else ""
    return f"{e164[:3]} {e164[3:6]} ****{e164[-3:]}"


def citizen_identity_for(user: Any, transaction: Transaction) -> CitizenIdentity:
    if not can_view_citizen_identity(user):
        return CitizenIdentity(
            name="",
            mobile=mask_mobile(transaction.mobile),
            cnic=masked_cnic(transaction.cnic_last4),
            masked=True,
        )
    cnic = masked_cnic(transaction.cnic_last4)
    if transaction.cnic_sealed and can_view_full_cnic(user):
        cnic = format_cnic(open_sealed_cnic(transaction.cnic_sealed))
    return CitizenIdentity(
        name=transaction.citizen_name,
        mobile=transaction.mobile or transaction.mobile_raw,
        cnic=cnic,
        masked=False,
    )
