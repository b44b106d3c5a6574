"""Checks run on a supply record or a sample the moment it is recorded: the licence number against the
licence register, the supplier and manufacturer against the credit list (the credit app's one screening
service), the manufacturer's furnaces.
"""

import datetime

from django.utils.translation import gettext as _

from steelwatch.credit.screening import HIT, STRONG
from steelwatch.credit.screening import findings as credit_list_findings
from steelwatch.registry.licences import licence_number_findings
from steelwatch.registry.models import Enterprise, Furnace


def credit_findings(name: str, uscc: str, *, confident: bool = False) -> list[str]:
    """The credit-list screening of one party (name and USCC): one line per entry in force it matches, with
    the band and the evidence; [] when it matches none. `confident`: only the same USCC or the same name core
    (bands hit and strong) — what may count towards a suspicion; a record also shows the `review` matches."""
    return credit_list_findings(name=name, uscc=uscc, bands=(HIT, STRONG) if confident else None)


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
    for role, name, uscc in parties:
        findings += [f"{role}{name}：{finding}" for finding in credit_findings(name, uscc)]
    findings += furnace_findings(manufacturer_uscc or (supplier_uscc if kind == "billets" else ""))
    return findings
