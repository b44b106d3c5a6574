"""Outcomes of alerts fed back: confirmed on site, dismissed (with its reason) or found unfounded, or not
checked yet — and alert precision by district, kind of reason, score band and month, so that thresholds can
be set per region from real inspection results. Reads only; the outcomes come from the existing actions
(dismiss, escalate → the case's verdict)."""

from collections import defaultdict

from django.utils.translation import gettext_lazy as _

from .access import alerts_for
from .models import Alert

CONFIRMED_STATES = ("confirmed", "enforcing", "closing", "revisiting", "closed", "referred")  # 查实 or after
UNFOUNDED_STATES = ("unfounded",)
SCORE_BANDS = ((0.95, "≥0.95"), (0.8, "0.80–0.95"), (0.5, "0.50–0.80"), (0.3, "0.30–0.50"), (0.0, "<0.30"))
REASON_KINDS = {
    "ev_cycles": _("熔炼周期"),
    "ev_beyond_registered": _("超出登记炉容量"),
    "ev_sustained_beyond": _("持续功率超登记"),
    "ev_over_contract": _("超合同容量"),
    "ev_extra_days": _("额外用电块（高于同时段平常用电3小时以上）"),
    "ev_bursts": _("日电量突增"),
    "standby_days": _("关停/停产户恢复用电"),
}


def outcome(alert: Alert) -> str:
    """confirmed | dismissed | unchecked."""
    if alert.status == Alert.Status.DISMISSED:
        return "dismissed"
    if alert.status == Alert.Status.ESCALATED and alert.case_id:
        state = alert.case.state
        if state in CONFIRMED_STATES:
            return "confirmed"
        if state in UNFOUNDED_STATES:
            return "dismissed"
    return "unchecked"


def band(score: float) -> str:
    return next(label for low, label in SCORE_BANDS if score >= low)


def kinds(alert: Alert) -> list[str]:
    features = alert.features or {}
    found = [str(label) for key, label in REASON_KINDS.items() if (features.get(key) or 0) > 0]
    return found or [str(_("其他"))]


def outcome_table(user=None) -> dict[str, list[dict]]:
    """{"district" | "kind" | "band" | "month": rows of key, confirmed, dismissed, unchecked, precision}
    over the alerts (level alert) in the user's jurisdiction (every alert for user None: the command line);
    precision = confirmed / (confirmed + dismissed), None while nothing was checked."""
    base = Alert.objects.all() if user is None else alerts_for(user)
    alerts = (
        base.filter(level=Alert.Level.ALERT)
        .select_related("case", "account__division__parent__parent")
        .order_by("id")
    )
    counts: dict[str, dict] = {g: defaultdict(lambda: {"confirmed": 0, "dismissed": 0, "unchecked": 0}) for g in
                               ("district", "kind", "band", "month")}  # fmt: skip
    for alert in alerts:
        result = outcome(alert)
        district = alert.account.division
        while district.level > district.Level.DISTRICT and district.parent_id:
            district = district.parent
        keys = {
            "district": [district.name],
            "kind": kinds(alert),
            "band": [band(alert.score)],
            "month": [f"{alert.created_at:%Y-%m}"],
        }
        for group, values in keys.items():
            for key in values:
                counts[group][key][result] += 1
    table = {}
    for group, rows in counts.items():
        out = []
        for key, c in sorted(rows.items(), reverse=group == "month"):
            checked = c["confirmed"] + c["dismissed"]
            out.append({"key": key, **c, "precision": c["confirmed"] / checked if checked else None})
        table[group] = out
    return table
