"""Reads of tips, already scoped by the access layer: lists, the reporter's view, duplicates, statistics."""

import datetime
import statistics
from collections import Counter
from decimal import Decimal

from django.db.models import Case as CaseWhen
from django.db.models import CharField, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from steelwatch.accounts.roles import can
from steelwatch.geo.models import Division
from steelwatch.geo.selectors import division_prefix

from .access import tips_for, tips_for_stats
from .models import Reward, Tip

# A tip escalated into a case shows the case's outcome to its reporter.
CASE_STATUS = {
    "confirmed": Tip.Status.VERIFIED,
    "enforcing": Tip.Status.VERIFIED,
    "closing": Tip.Status.VERIFIED,
    "revisiting": Tip.Status.VERIFIED,
    "referred": Tip.Status.VERIFIED,
    "closed": Tip.Status.HANDLED,
    "unfounded": Tip.Status.NOT_VERIFIED,
}
STATUS_LABELS = dict(Tip.Status.choices)


def effective_status(tip: Tip) -> str:
    """The status the reporter sees: a merged tip follows its primary; an escalated tip shows its case's
    verdict once the case has one, until then the handler's own finding (so a tip verified 属实 stays 属实)."""
    primary = tip.merged_into or tip
    if primary.case_id and primary.case.state in CASE_STATUS:
        return CASE_STATUS[primary.case.state]
    return primary.status


def effective_status_expression() -> CaseWhen:
    """`effective_status` as a database expression, to filter lists by what the reporter sees."""

    def case_verdicts(prefix: str) -> list[When]:
        return [
            When(
                **{f"{prefix}case__state__in": [s for s, v in CASE_STATUS.items() if v == verdict]},
                then=Value(verdict),
            )
            for verdict in sorted(set(CASE_STATUS.values()))
        ]

    return CaseWhen(
        *case_verdicts("merged_into__"),
        When(merged_into__isnull=False, then=F("merged_into__status")),
        *case_verdicts(""),
        default=F("status"),
        output_field=CharField(),
    )


TIP_SORTS = {"new": ("-created_at", "-id"), "old": ("created_at", "id"), "due": ("verify_due", "-id")}


def tip_list(
    user,
    *,
    status: str = "",
    overdue: bool = False,
    q: str = "",
    reward: str = "",
    division: str = "",
    sort: str = "new",
):
    """The tips in reach, filtered; `division` is a district or township code (its subtree); newest first
    unless `sort` says "old" or "due" (nearest verification deadline)."""
    qs = tips_for(user)
    if division:
        qs = qs.filter(division__code__startswith=division_prefix(division))
    if reward:
        qs = qs.filter(reward__status=reward)
    if status:
        qs = qs.alias(effective=effective_status_expression()).filter(effective=status)
    if overdue:
        today = timezone.localdate()
        qs = qs.filter(status__in=[Tip.Status.RECEIVED, Tip.Status.VERIFYING], merged_into=None).filter(
            Q(handed_off_at=None, handoff_due__lt=today) | Q(verified_at=None, verify_due__lt=today)
        )
    if q:
        qs = qs.filter(Q(receipt__iexact=q.strip()) | Q(content__icontains=q) | Q(address__icontains=q))
    return qs.order_by(*TIP_SORTS.get(sort, TIP_SORTS["new"]))


def duplicate_candidates(user, tip: Tip) -> list[Tip]:
    """Possible duplicates: the same enterprise, or within ~200 m and 30 days (bounding box, then distance)."""
    from .services import DUPLICATE_DAYS, DUPLICATE_RADIUS_M, distance_m

    others = tips_for(user).exclude(pk=tip.pk).filter(merged_into=None)
    found = list(others.filter(enterprise_id=tip.enterprise_id)) if tip.enterprise_id else []
    if tip.latitude is not None and tip.longitude is not None:
        window = datetime.timedelta(days=DUPLICATE_DAYS)
        box = Decimal("0.003")  # ≈ 330 m of latitude and ≈ 285 m of longitude at 31°N: wider than 200 m
        near = others.filter(
            created_at__gte=tip.created_at - window,
            created_at__lte=tip.created_at + window,
            latitude__range=(tip.latitude - box, tip.latitude + box),
            longitude__range=(tip.longitude - box, tip.longitude + box),
        )
        found += [
            t
            for t in near
            if t not in found
            and distance_m(tip.latitude, tip.longitude, t.latitude, t.longitude) <= DUPLICATE_RADIUS_M
        ]
    return found


def tip_reward(tip: Tip) -> Reward | None:
    """The reward of a tip already reached through the access layer (none proposed yet: None)."""
    return Reward.objects.filter(tip=tip).select_related("rule").first()


def public_view(tip: Tip) -> dict:
    """Everything the reporter may see, and nothing else (no internal notes, no handler, no case)."""
    reward = tip_reward(tip)
    status = effective_status(tip)
    primary = tip.merged_into or tip
    return {
        "receipt": tip.receipt,
        "status": status,
        "status_label": str(STATUS_LABELS[status]),
        "received_at": timezone.localtime(tip.created_at).strftime("%Y-%m-%d %H:%M"),
        "content": tip.content,
        "address": tip.address,
        "result_note": primary.result_note if status != Tip.Status.VERIFYING else "",
        "questions": [
            {
                "id": q.pk,
                "question": q.question,
                "answer": q.answer,
                "asked_at": timezone.localtime(q.asked_at).date().isoformat(),
            }
            for q in tip.questions.all()
        ],
        "supplements": tip.supplements.count(),
        "attachments": tip.attachments.count(),
        "reward": None
        if reward is None or reward.status == Reward.Status.PROPOSED
        else {
            "status": reward.status,
            "status_label": str(reward.get_status_display()),
            "amount": str(reward.amount),
            "share_count": reward.share_count,
            "claimed": reward.claimed_at is not None,
            "paid_on": reward.paid_on.isoformat() if reward.paid_on else None,
            "paid_amount": str(reward.paid_amount) if reward.paid_amount is not None else None,
        },
    }


def _district_names(codes) -> dict[str, str]:
    return dict(Division.objects.filter(code__in={c[:6] for c in codes}).values_list("code", "name"))


def _working_days_between(start: datetime.date, end: datetime.date) -> int:
    from steelwatch.core.workdays import is_working_day

    days, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        days += is_working_day(day)
    return days


def tip_rows(user) -> list[dict]:
    """One plain row per tip for statistics and exports: no content that could name the reporter."""
    tips = list(tips_for_stats(user).select_related("case", "merged_into", "merged_into__case"))
    districts = _district_names([t.division_id for t in tips])
    rows = []
    for tip in tips:
        created = timezone.localtime(tip.created_at)
        verified = timezone.localtime(tip.verified_at) if tip.verified_at else None
        status = effective_status(tip)
        rows.append(
            {
                "receipt": tip.receipt,
                "channel": tip.get_channel_display(),
                "channel_code": tip.channel,
                "district": districts.get(tip.division_id[:6], tip.division_id[:6]),
                "division": tip.division_id,
                "status": str(STATUS_LABELS[status]),
                "status_code": status,
                "received": created.strftime("%Y-%m-%d %H:%M"),
                "month": created.strftime("%Y-%m"),
                "verified": verified.strftime("%Y-%m-%d") if verified else "",
                "days_to_verify": _working_days_between(created.date(), verified.date())
                if verified
                else None,
                "overdue": "是" if tip.handoff_overdue() or tip.verify_overdue() else "否",
                "case": f"#{tip.case_id}" if tip.case_id else "",
                "merged_into": tip.merged_into.receipt if tip.merged_into_id else "",
            }
        )
    return rows


def tip_stats(user) -> dict:
    rows = tip_rows(user)
    days = [r["days_to_verify"] for r in rows if r["days_to_verify"] is not None]
    return {
        "total": len(rows),
        "by_channel": Counter(r["channel"] for r in rows).most_common(),
        "by_district": sorted(Counter(r["district"] for r in rows).items()),
        "by_outcome": [
            (str(label), sum(1 for r in rows if r["status_code"] == code))
            for code, label in Tip.Status.choices
        ],
        "by_month": sorted(Counter(r["month"] for r in rows).items()),
        "verified_count": len(days),
        "days_mean": round(statistics.mean(days), 1) if days else None,
        "days_median": statistics.median(days) if days else None,
        "within_deadline": sum(1 for d in days if d <= 10),
        "overdue": sum(1 for r in rows if r["overdue"] == "是"),
    }


def dashboard_cards(user) -> list[dict]:
    """Each figure counts the tip list it links to, through the same selector (tip_list)."""
    if not can(user, "tips.view"):
        if not can(user, "tips.stats"):
            return []
        return [{"title": _("举报总数"), "value": tips_for_stats(user).count(), "url": reverse("tips:stats")}]
    url = reverse("tips:tip_list")
    overdue = tip_list(user, overdue=True).count()
    cards = [
        {
            "title": _("待交办举报"),
            "value": tip_list(user, status=Tip.Status.RECEIVED).count(),
            "url": f"{url}?status=received",
        },
        {
            "title": _("核查中举报"),
            "value": tip_list(user, status=Tip.Status.VERIFYING).count(),
            "url": f"{url}?status=verifying",
        },
        {
            "title": _("逾期举报"),
            "value": overdue,
            "url": f"{url}?overdue=1",
            "tone": "alert" if overdue else "",
        },
    ]
    if can(user, "tips.reward"):
        pending = tip_list(user, reward=Reward.Status.PROPOSED).count()
        cards.append(
            {
                "title": _("待审批举报奖励"),
                "value": pending,
                "url": f"{url}?reward=proposed",
                "tone": "warn" if pending else "",
            }
        )
    return cards
