"""Alerts raised by what someone saw on site (a grid patrol finding production signs at a site that should be
dead), not by the meter: they join the account's open alert or open one, and go on the same alert list, to
the same people, and through GET /api/v1/power/alerts like any other."""

from django.db import transaction
from django.utils import timezone

from steelwatch.core.notify import notify, users_with
from steelwatch.core.services import audited_create, audited_update
from steelwatch.registry.models import Enterprise

from .models import Alert
from .services import _version

SIGHTING_SCORE = 1.0  # the top of the detector's scale: seen on site beats any curve


@transaction.atomic
def alert_raise_sighting(*, actor, enterprise: Enterprise, reasons: str, source_ref: str) -> Alert | None:
    """Raise (or add to) the alert of the enterprise's power account; None when it has no account."""
    account = enterprise.power_accounts.order_by("account_id").first()
    if account is None:
        return None
    today = timezone.localdate()
    alert = (
        Alert.objects.select_for_update()
        .filter(account=account, status__in=Alert.OPEN_STATUSES)
        .order_by("id")
        .first()
    )
    features = {"source": "sighting", "ref": source_ref}
    if alert is not None:
        alert = audited_update(
            actor=actor,
            instance=alert,
            action="alert_update",
            reason=source_ref,
            changes={
                "level": Alert.Level.ALERT,
                "score": max(alert.score, SIGHTING_SCORE),
                "reasons": f"{reasons}\n{alert.reasons}"[:4000],
                "features": {**(alert.features or {}), "sighting": features},
                "period_end": max(alert.period_end, today),
            },
        )
    else:
        alert = audited_create(
            actor=actor,
            instance=Alert(
                account=account,
                score=SIGHTING_SCORE,
                level=Alert.Level.ALERT,
                reasons=reasons,
                features={"sighting": features},
                period_start=today,
                period_end=today,
            ),
            action="alert_raise",
            reason=source_ref,
            division_code=account.division_id,
        )
    _version(alert)  # every state of an alert is kept, as detection keeps them
    _notify(alert, enterprise, reasons)
    return alert


def _notify(alert: Alert, enterprise: Enterprise, reasons: str) -> None:
    from django.urls import reverse

    text = f"现场巡查告警：{enterprise.name}（户号 {alert.account.account_id}）。{reasons}"
    notify(
        users_with("alerts.view", alert.account.division_id),
        text,
        reverse("power:alert_detail", args=[alert.pk]),
    )
