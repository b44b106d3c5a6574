"""Checks run on a supply record or a sample the moment it is recorded: the licence number against the
licence register, the supplier and manufacturer against the credit list, the manufacturer's furnaces.

`credit_findings` is the one door to the credit app (built in parallel): until `steelwatch.credit` is
installed it answers only that the check is not yet enabled.
"""

import datetime

from django.apps import apps
from django.utils.translation import gettext as _

from steelwatch.registry.licences import licence_number_findings
from steelwatch.registry.models import Enterprise, Furnace

CREDIT_DISABLED = "信用名单核查尚未启用"


def credit_findings(name: str, uscc: str) -> list[str]:
    """Findings of the credit-list screening of one party (name and USCC); [] when nothing is found."""
    if not apps.is_installed("steelwatch.credit"):
        return [CREDIT_DISABLED]
    return []  # wired to steelwatch.credit.screening by the lead after the credit app is merged


def real_credit_findings(name: str, uscc: str) -> list[str]:
    """The credit findings that say something about the party (not the note that the check is off)."""
    return [f for f in credit_findings(name, uscc) if f != CREDIT_DISABLED]


def furnace_findings(uscc: str) -> list[str]:
    """A manufacturer on the ledger that operates induction furnaces (中(工)频炉)."""
    if not uscc:
        return []
    enterprise = Enterprise.objects.filter(uscc=uscc.strip().upper()).first()
    if enterprise is None:
        return []
    count = enterprise.furnaces.exclude(
        status__in=[Furnace.Status.DISMANTLED, Furnace.Status.DESTROYED]
    ).count()
    if not count:
        return []
    return [_("生产企业{name}在台账中登记有中(工)频炉 {count} 台").format(name=enterprise.name, count=count)]


def supply_findings(
    *,
    kind: str,
    supplier_name: str,
    supplier_uscc: str,
    manufacturer_name: str,
    manufacturer_uscc: str,
    licence_number: str,
    product_label: str,
    received_on: datetime.date,
) -> list[str]:
    """Everything found about one incoming-goods record (kind goods) or billet purchase (kind billets)."""
    findings = []
    if kind == "goods" or licence_number:
        findings += licence_number_findings(
            licence_number, manufacturer_uscc=manufacturer_uscc, product_label=product_label, on=received_on
        )
    parties = [("供货单位", supplier_name, supplier_uscc)]
    if manufacturer_name or manufacturer_uscc:
        parties.append(("生产企业", manufacturer_name, manufacturer_uscc))
    credit_off = False
    for role, name, uscc in parties:
        for finding in credit_findings(name, uscc):
            if finding == CREDIT_DISABLED:
                credit_off = True
            else:
                findings.append(f"{role}{name}：{finding}")
    findings += furnace_findings(manufacturer_uscc or (supplier_uscc if kind == "billets" else ""))
    if credit_off:
        findings.append(CREDIT_DISABLED)
    return findings
