"""The one door to power-monitoring objects: alerts by their account's division, runs by the uploader's."""

from django.db.models import Q

from steelwatch.accounts.roles import can
from steelwatch.core.access import get_or_404, jurisdiction_q, require, scope_to_jurisdiction

from .models import Alert, DetectionRun


def alerts_for(user):
    require(user, "alerts.view")
    qs = Alert.objects.select_related("account", "account__enterprise", "account__division", "case")
    return scope_to_jurisdiction(qs, user, "account__division")


def runs_for(user):
    """Runs the user started, and (for those who see alerts) runs uploaded within their jurisdiction."""
    visible = Q(created_by=user) if getattr(user, "pk", None) else Q(pk__in=[])
    if can(user, "alerts.view"):
        visible |= jurisdiction_q(user, "division")
    return DetectionRun.objects.filter(visible).select_related("created_by", "job")


def access_alert(user, alert_id: int) -> Alert:
    return get_or_404(alerts_for(user), pk=alert_id)


def access_run(user, run_id: int) -> DetectionRun:
    return get_or_404(runs_for(user), pk=run_id)
