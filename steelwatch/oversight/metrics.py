"""What oversight measures, as a registry the other apps add to without changing this app.

- A **metric** scores a unit over a period: `compute(prefix, start, end) -> (done, due)`; the ratio done/due
  (None when nothing was due) is weighted into the evaluation score. Its `definition` is shown on the page.
- A **figure** is a number a unit reports (信息报送) and the platform can pre-fill from the unit's own data:
  `compute(prefix, start, end) -> int`.

Another app registers its own in its AppConfig.ready(), e.g. the market app:
    register_metric(Metric("samples_followed", "抽检不合格跟进率", "…", 10, compute))
`prefix` is the unit's division prefix (Division.prefix): every row whose division code starts with it.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steelwatch.core.workdays import add_working_days

Counter = Callable[[str, datetime.date, datetime.date], tuple[int, int]]


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    definition: str
    weight: float
    compute: Counter


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    compute: Callable[[str, datetime.date, datetime.date], int]


METRICS: dict[str, Metric] = {}
FIGURES: dict[str, Figure] = {}


def register_metric(metric: Metric) -> None:
    METRICS[metric.key] = metric


def register_figure(figure: Figure) -> None:
    FIGURES[figure.key] = figure


def _day_range(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    low = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    high = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return low, high


# --- built-in metrics ------------------------------------------------------------------------------------


def _tips(prefix, start, end):
    from steelwatch.tips.models import Tip

    low, high = _day_range(start, end)
    return Tip.objects.filter(
        division__code__startswith=prefix, created_at__gte=low, created_at__lt=high, merged_into__isnull=True
    )


def tips_handed_off(prefix, start, end):
    tips = _tips(prefix, start, end)
    return tips.filter(handed_off_at__date__lte=F("handoff_due")).count(), tips.count()


def tips_verified(prefix, start, end):
    tips = _tips(prefix, start, end)
    return tips.filter(verified_at__date__lte=F("verify_due")).count(), tips.count()


ALERT_WORKING_DAYS = 5


def alerts_handled(prefix, start, end):
    """Alerts first raised in the period, handled (acknowledged, dismissed, escalated) within 5 working days."""
    from steelwatch.power.models import Alert

    low, high = _day_range(start, end)
    rows = Alert.objects.filter(
        account__division__code__startswith=prefix, created_at__gte=low, created_at__lt=high
    )
    done = sum(
        1
        for created, handled in rows.values_list("created_at", "handled_at")
        if handled
        and timezone.localdate(handled) <= add_working_days(timezone.localdate(created), ALERT_WORKING_DAYS)
    )
    return done, rows.count()


def cases_closed(prefix, start, end):
    """Cases confirmed as illegal by the end of the period that were signed off (five checks proven) by then."""
    from steelwatch.cases.models import Case

    low, high = _day_range(start, end)
    confirmed = Case.objects.filter(
        division__code__startswith=prefix,
        created_at__lt=high,
        state__in=("confirmed", "enforcing", "closing", "revisiting", "closed"),
    )
    return confirmed.filter(signed_off_at__lt=high).count(), confirmed.count()


def _visits(kind):
    def compute(prefix, start, end):
        from steelwatch.cases.models import Revisit

        due = Revisit.objects.filter(
            kind=kind, division__code__startswith=prefix, due_date__gte=start, due_date__lte=end
        ).exclude(status="cancelled")
        return due.filter(status="done", done_at__date__lte=F("due_date")).count(), due.count()

    return compute


def reports_on_time(prefix, start, end):
    from .models import ReportSubmission

    rows = ReportSubmission.objects.filter(
        division__code__startswith=prefix, round__due_on__gte=start, round__due_on__lte=end
    )
    return rows.filter(submitted_at__date__lte=F("round__due_on")).count(), rows.count()


def pledges_signed(prefix, start, end):
    from . import selectors

    signed = expected = 0
    for coverage in selectors.pledge_coverage_in(prefix, start, end):
        signed += coverage["signed"]
        expected += coverage["expected"]
    return signed, expected


for _metric in (
    Metric(
        "tips_handed_off",
        _("举报1个工作日内交办率"),
        _("期内收到的举报中，在交办期限（收到后1个工作日）内交办的比例"),
        15,
        tips_handed_off,
    ),
    Metric(
        "tips_verified",
        _("举报10个工作日内核查率"),
        _("期内收到的举报中，在核查期限（10个工作日）内核查完毕的比例"),
        15,
        tips_verified,
    ),
    Metric(
        "alerts_handled",
        _("告警及时处置率"),
        _("期内新产生的用电告警中，5个工作日内确认、排除或转核查的比例"),
        15,
        alerts_handled,
    ),
    Metric(
        "cases_closed",
        _("“五个彻底”销号率"),
        _("期末前认定违法的案件中，已完成“五个彻底”验收销号的比例"),
        20,
        cases_closed,
    ),
    Metric(
        "revisits_done",
        _("“回头看”按期完成率"),
        _("期内到期的“回头看”检查中，按期完成的比例"),
        10,
        _visits("revisit"),
    ),
    Metric(
        "patrols_done",
        _("僵尸企业巡查按期完成率"),
        _("期内到期的僵尸企业巡查中，按期完成的比例"),
        10,
        _visits("patrol"),
    ),
    Metric(
        "reports_on_time", _("信息按时报送率"), _("期内截止的报送轮次中，按时报送的比例"), 10, reports_on_time
    ),
    Metric(
        "pledges_signed",
        _("承诺书签订率"),
        _("期内截止的承诺书轮次中，应签单位已签订的比例"),
        5,
        pledges_signed,
    ),
):
    register_metric(_metric)


# --- built-in report figures -----------------------------------------------------------------------------


def _enterprises_surveyed(prefix, start, end):
    from steelwatch.registry.models import Enterprise

    return Enterprise.objects.filter(division__code__startswith=prefix).count()


def _furnaces_found(prefix, start, end):
    """Furnaces whose first recorded status falls in the period (registered on the ledger then)."""
    from django.db.models import Min

    from steelwatch.registry.models import Furnace

    return (
        Furnace.objects.filter(enterprise__division__code__startswith=prefix)
        .annotate(first=Min("status_history__date"))
        .filter(first__gte=start, first__lte=end)
        .count()
    )


def _furnaces_destroyed(prefix, start, end):
    from steelwatch.registry.models import FurnaceStatusChange

    return (
        FurnaceStatusChange.objects.filter(
            furnace__enterprise__division__code__startswith=prefix,
            status__in=("dismantled", "destroyed"),
            date__gte=start,
            date__lte=end,
        )
        .values("furnace")
        .distinct()
        .count()
    )


def _tips_received(prefix, start, end):
    return _tips(prefix, start, end).count()


def _tips_verified(prefix, start, end):
    return _tips(prefix, start, end).filter(verified_at__isnull=False).count()


def _cases_opened(prefix, start, end):
    from steelwatch.cases.models import Case

    low, high = _day_range(start, end)
    return Case.objects.filter(
        division__code__startswith=prefix, created_at__gte=low, created_at__lt=high
    ).count()


def _cases_closed(prefix, start, end):
    from steelwatch.cases.models import Case

    low, high = _day_range(start, end)
    return Case.objects.filter(
        Q(division__code__startswith=prefix), signed_off_at__gte=low, signed_off_at__lt=high
    ).count()


for _figure in (
    Figure("enterprises_surveyed", _("排查企业数"), _enterprises_surveyed),
    Figure("furnaces_found", _("新发现中(工)频炉台数"), _furnaces_found),
    Figure("furnaces_destroyed", _("拆除销毁中(工)频炉台数"), _furnaces_destroyed),
    Figure("tips_received", _("受理举报件数"), _tips_received),
    Figure("tips_verified", _("核查完毕举报件数"), _tips_verified),
    Figure("cases_opened", _("立案数"), _cases_opened),
    Figure("cases_closed", _("销号结案数"), _cases_closed),
):
    register_figure(_figure)

DEFAULT_FIGURES = list(FIGURES)


def band_for(score: float | None) -> str:
    if score is None:
        return ""
    if score >= 85:
        return "达标"
    if score >= 70:
        return "需关注"
    return "需整改"
