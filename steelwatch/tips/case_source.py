"""Tips as a source of cases (registered with steelwatch.cases.sources by TipsConfig.ready)."""

from django.db.models import Q
from django.urls import reverse

from steelwatch.accounts.roles import can
from steelwatch.cases.sources import CaseSource

from .access import access_tip, tips_for
from .services import tip_escalate


def _url(user, pk: int) -> str:
    if can(user, "tips.view") and tips_for(user).filter(pk=pk).exists():
        return reverse("tips:tip_detail", args=[pk])
    return ""


def _escalate(user, pk: int, *, title: str = "", note: str = ""):
    return tip_escalate(actor=user, tip=access_tip(user, pk), title=title, note=note)


def _offers(user, q: str) -> list[tuple[str, str]]:
    """Tips by receipt number (its start) or address, newest first — never the reporter."""
    if not can(user, "tips.view"):
        return []
    tips = tips_for(user).filter(Q(receipt__startswith=q.upper()) | Q(address__icontains=q))
    return [(f"tip:{t.pk}", f"#{t.pk} {t.receipt} · {t.address}") for t in tips.order_by("-pk")[:10]]


TIP_SOURCE = CaseSource(ref_kind="tip", source="tip", url=_url, escalate=_escalate, offers=_offers)
