"""Reads of power monitoring, already scoped by the access layer."""

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from steelwatch.accounts.roles import can
from steelwatch.core.audit import history_for
from steelwatch.geo.models import Division
from steelwatch.registry.uscc import key_q

from .access import alerts_for, runs_for
from .models import Alert, DetectionRun


def district_choices(user) -> list[Division]:
    """The divisions one level below the user's own (and their own), for the list's district filter."""
    if user.division_id is None:
        return list(Division.objects.filter(level=Division.Level.DISTRICT)) if user.is_superuser else []
    return [user.division, *user.division.children.all()]


ALERT_SORTS = {
    "score": ("-score", "-tonnes", "-id"),
    "new": ("-period_end", "-id"),
    "old": ("period_end", "id"),
    "tonnes": ("-tonnes", "-score", "-id"),
}


def alert_list(
    user, *, division: str = "", level: str = "", status: str = "", q: str = "", sort: str = "score"
) -> QuerySet:
    """Alerts in the user's jurisdiction; `division` a district or township (its subtree), `q` the enterprise
    (a whole USCC by the ledger's key rule, else part of its name) or the power account number. Highest score
    first unless `sort` says "new" / "old" (by the data period) or "tonnes"; unknown filter values match nothing."""
    qs = alerts_for(user).select_related("account__division__parent__parent")  # the 区域 column
    if division:
        found = Division.objects.filter(code=division).first()
        qs = qs.filter(account__division__code__startswith=found.prefix) if found else qs.none()
    if level:
        qs = qs.filter(level=level)
    if status:
        qs = qs.filter(status=status)
    if q := q.strip():
        qs = qs.filter(
            key_q(q, "account__enterprise__")
            or Q(account__enterprise__name__icontains=q) | Q(account__account_id=q)
        )
    return qs.order_by(*ALERT_SORTS.get(sort, ALERT_SORTS["score"]))


def open_alerts_by_area(user) -> list[dict]:
    """For each division one level below the user's: its open alerts (new or acknowledged) and how many of
    them are at level alert, most first — the city's and districts' view of where to look."""
    areas = district_choices(user)[1:]
    if not areas:
        return []
    open_alerts = alerts_for(user).filter(status__in=[Alert.Status.NEW, Alert.Status.ACKNOWLEDGED])
    found = {}
    for width in {len(area.prefix) for area in areas}:
        counts = open_alerts.values(area=Substr("account__division__code", 1, width)).annotate(
            open=Count("id"), alerts=Count("id", filter=Q(level=Alert.Level.ALERT))
        )
        found.update({row["area"]: row for row in counts})
    rows = [
        {"division": area, "open": found.get(area.prefix, {}).get("open", 0),
         "alerts": found.get(area.prefix, {}).get("alerts", 0)}
        for area in areas
    ]  # fmt: skip
    return sorted(rows, key=lambda row: (-row["alerts"], -row["open"], row["division"].code))


def account_alerts(alert: Alert) -> QuerySet:
    """The account's other alerts (its history), newest first."""
    return Alert.objects.filter(account_id=alert.account_id).exclude(pk=alert.pk).order_by("-created_at")


ACTION_LABELS = {
    "alert_raise": _("检测告警"),
    "alert_update": _("再次检测更新"),
    "alert_acknowledge": _("确认"),
    "alert_dismiss": _("排除"),
    "alert_escalate": _("转核查案件"),
    "alert_recover": _("恢复正常"),
}


def alert_history(alert: Alert) -> list:
    """The alert's audit trail, newest first, each entry with a readable `label`."""
    entries = list(history_for(alert).select_related("actor"))
    for entry in entries:
        entry.label = ACTION_LABELS.get(entry.action, entry.action)
    return entries


def alert_versions(alert: Alert):
    """Every detection state of the alert, newest first (the alert itself was reached through access)."""
    return alert.versions.select_related("run").order_by("-created_at", "-id")


def visible_case_ids(user, alerts) -> set[int]:
    """Of the cases these alerts were escalated to, those the user may open (only those are linked)."""
    from steelwatch.cases.access import cases_for

    ids = {a.case_id for a in alerts if a.case_id}
    return set(cases_for(user).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()


def recent_runs(user, limit: int = 10) -> QuerySet:
    return runs_for(user)[:limit]


def run_list(user, *, status: str = "") -> QuerySet:
    """The detection runs the user may see (their own, and those uploaded within their jurisdiction), newest
    first; an unknown status matches nothing."""
    qs = runs_for(user)
    if status:
        qs = qs.filter(status=status) if status in DetectionRun.Status.values else qs.none()
    return qs.order_by("-created_at", "-id")


def alerts_for_enterprise(user, enterprise) -> QuerySet:
    """The alerts on an enterprise's power accounts that the user may see (none for those who may not see
    alerts at all), the latest data first. The caller has already reached `enterprise` through
    registry.access.access_enterprise."""
    if not can(user, "alerts.view"):
        return Alert.objects.none()
    return alerts_for(user).filter(account__enterprise=enterprise).order_by("-period_end", "-score", "-id")


def dashboard_cards(user) -> list[dict]:
    """The new alerts and watches; each figure counts the alert list it links to (the same selector)."""
    if not can(user, "alerts.view"):
        return []
    url = reverse("power:alert_list")
    return [
        {
            "title": title,
            "value": alert_list(user, level=level, status=Alert.Status.NEW).count(),
            "tone": tone,
            "url": f"{url}?level={level}&status=new",
        }
        for title, level, tone in [
            (_("待处理用电告警"), Alert.Level.ALERT, "alert"),
            (_("待处理用电关注"), Alert.Level.WATCH, "warn"),
        ]
    ]
