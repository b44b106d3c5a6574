"""Power alerts as a source of cases (registered with steelwatch.cases.sources by PowerConfig.ready)."""

from django.db.models import Q
from django.urls import reverse

from steelwatch.accounts.roles import can
from steelwatch.cases.sources import CaseSource

from .access import access_alert, alerts_for
from .services import alert_escalate


def _url(user, pk: int) -> str:
    if can(user, "alerts.view") and alerts_for(user).filter(pk=pk).exists():
        return reverse("power:alert_detail", args=[pk])
    return ""


def _escalate(user, pk: int, *, title: str = "", note: str = ""):
    return alert_escalate(actor=user, alert=access_alert(user, pk), title=title, note=note)


def _offers(user, q: str) -> list[tuple[str, str]]:
    """Alerts by account number (its start) or enterprise name, highest score first."""
    if not can(user, "alerts.view"):
        return []
    alerts = alerts_for(user).filter(
        Q(account__account_id__startswith=q) | Q(account__enterprise__name__icontains=q)
    )
    return [
        (
            f"alert:{a.pk}",
            f"#{a.pk} {a.get_level_display()} · {a.account.account_id} · {a.account.enterprise or ''}",
        )
        for a in alerts.select_related("account__enterprise").order_by("-score", "-pk")[:10]
    ]


ALERT_SOURCE = CaseSource(
    ref_kind="alert", source="power_alert", url=_url, escalate=_escalate, offers=_offers
)
