"""Power alerts as a source of cases (registered with steelwatch.cases.sources by PowerConfig.ready)."""

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


ALERT_SOURCE = CaseSource(ref_kind="alert", source="power_alert", url=_url, escalate=_escalate)
