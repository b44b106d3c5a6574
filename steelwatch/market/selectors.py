"""Reads of the market app, already scoped through access.py."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from steelwatch.accounts.roles import can
from steelwatch.core.pages import LateRows
from steelwatch.registry.access import enterprises_for
from steelwatch.registry.models import ProductionLicence

from .access import rounds_for, samples_for, supply_records_for
from .models import MillOutput, PlaceKind, RoundTarget, Sample, SamplingRound, SupplyRecord


def billet_gap_share() -> Decimal:
    """The share of a month's billets that the tonnes rolled may exceed them by (STEELWATCH_BILLET_GAP_SHARE)."""
    return Decimal(str(getattr(settings, "MARKET_BILLET_GAP_SHARE", "0.10")))


def sample_context(code: str) -> tuple[datetime.date | None, list[str]]:
    """For judging a lab workbook on the command line: the recorded sample's production date and the facts
    behind a suspicion (nothing when the number is not on record)."""
    from .services.trace import suspicion_facts

    sample = Sample.objects.filter(code=code).select_related("enterprise").first()
    if sample is None:
        return None, []
    return sample.production_date, suspicion_facts(sample)


def sample_recorded(code: str) -> tuple[str, Decimal] | None:
    """The grade and diameter a sample number was recorded with (None: not on record, or 拒检)."""
    row = (
        Sample.objects.filter(code=code)
        .exclude(state=Sample.State.REFUSED)
        .values_list("grade", "diameter_mm")
        .first()
    )
    return (row[0], row[1]) if row else None


def sample_list(
    user,
    *,
    state: str = "",
    verdict: str = "",
    round_id: int | None = None,
    q: str = "",
    window: str = "",
    today=None,
) -> QuerySet:
    """Samples in reach, filtered; `window="objection"` keeps those served whose objection window is still open."""
    queryset = samples_for(user)
    if state:
        queryset = queryset.filter(state=state)
    if window == "objection":
        queryset = queryset.filter(
            state=Sample.State.SERVED, objection_deadline__gte=today or timezone.localdate()
        )
    elif window:
        queryset = queryset.none()
    if verdict:
        queryset = queryset.filter(verdict=verdict)
    if round_id:
        queryset = queryset.filter(round_id=round_id)
    if q:
        queryset = queryset.filter(
            Q(code__icontains=q)
            | Q(enterprise__name__icontains=q)
            | Q(site_name__icontains=q)
            | Q(heat_number__icontains=q)
        )
    return queryset.order_by("-sampled_on", "-pk")


def deadlines(user, today=None) -> list[Sample]:
    """Samples whose objection window is open, soonest deadline first."""
    today = today or timezone.localdate()
    return list(
        samples_for(user)
        .filter(state=Sample.State.SERVED, objection_deadline__gte=today)
        .order_by("objection_deadline")[:50]
    )


def sellers(user) -> LateRows:
    """The sellers (and mills) of the user's jurisdiction that keep supply records, are a round's targets or
    were sampled, by name; their record and sample figures are counted for the rows shown only (paged by key:
    grouping every seller's joins first would read them all for a page of 50)."""
    # pk IN one UNION of the (few) holders, sampled sites and targets: the database starts from them (three
    # ORed INs have PostgreSQL walk every enterprise of the city by name).
    involved = (
        SupplyRecord.objects.order_by()
        .values("holder_id")
        .union(
            Sample.objects.filter(enterprise__isnull=False).order_by().values("enterprise_id"),
            RoundTarget.objects.filter(enterprise__isnull=False).order_by().values("enterprise_id"),
        )
    )
    found = enterprises_for(user).filter(pk__in=involved)
    return LateRows(found.order_by("name", "pk"), _seller_figures)


def _seller_figures(rows: QuerySet) -> QuerySet:
    return rows.annotate(
        records=Count("supply_records", distinct=True),
        flagged=Count("supply_records", filter=~Q(supply_records__findings=[]), distinct=True),
        sampled=Count("samples", distinct=True),
        failed=Count("samples", filter=Q(samples__verdict=Sample.Verdict.NONCONFORMING), distinct=True),
    )


def supply_list(user, *, holder_id: int | None = None, kind: str = "", flagged: bool = False) -> QuerySet:
    queryset = supply_records_for(user)
    if holder_id:
        queryset = queryset.filter(holder_id=holder_id)
    if kind:
        queryset = queryset.filter(kind=kind)
    if flagged:
        queryset = queryset.exclude(findings=[])
    return queryset.order_by("-received_on", "-pk")


def billet_balance(mill, *, share: Decimal | None = None) -> list[dict]:
    """Per month: tonnes rolled against billets bought; a gap beyond `share` of the billets is flagged."""
    share = billet_gap_share() if share is None else share
    bought = defaultdict(Decimal)
    for row in (
        SupplyRecord.objects.filter(holder=mill, kind=SupplyRecord.Kind.BILLETS)
        .annotate(month=TruncMonth("received_on"))
        .values("month")
        .annotate(tonnes=Sum("tonnes"))
    ):
        month = row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"]
        bought[month] += row["tonnes"]
    rolled = {o.month: o.tonnes_rolled for o in MillOutput.objects.filter(mill=mill)}
    rows = []
    for month in sorted(set(bought) | set(rolled), reverse=True):
        billets, output = bought.get(month, Decimal(0)), rolled.get(month)
        gap = None if output is None else output - billets
        flagged = gap is not None and gap > billets * share
        rows.append(
            {"month": month, "billets_t": billets, "rolled_t": output, "gap_t": gap, "flagged": flagged}
        )
    return rows


def round_candidates(user, plan) -> QuerySet:
    """The units a round of `plan` draws from when none are named: in the user's reach and the plan's area,
    the sellers that keep incoming-goods records (field seller) and the producers — production-licence
    holders and rolling mills declaring billets (field producer)."""
    reach = enterprises_for(user).filter(division__code__startswith=plan.division.prefix)
    wanted = Q(pk__in=[])
    if PlaceKind.SELLER in plan.place_kinds:
        wanted |= Q(pk__in=SupplyRecord.objects.filter(kind=SupplyRecord.Kind.GOODS).values("holder_id"))
    if PlaceKind.PRODUCER in plan.place_kinds:
        wanted |= Q(pk__in=ProductionLicence.objects.values("enterprise_id")) | Q(
            pk__in=SupplyRecord.objects.filter(kind=SupplyRecord.Kind.BILLETS).values("holder_id")
        )
    return reach.filter(wanted).order_by("pk")


def rounds(user) -> QuerySet:
    return rounds_for(user).annotate(
        sample_count=Count("samples"),
        failed_count=Count("samples", filter=Q(samples__verdict=Sample.Verdict.NONCONFORMING)),
    )


# --- publication ------------------------------------------------------------------------------------------

PUBLICATION_COLUMNS = (
    ("number", "序号"),
    ("product", "产品名称"),
    ("field", "抽查领域"),
    ("unit", "被抽样单位"),
    ("uscc", "统一社会信用代码"),
    ("manufacturer", "标称生产企业"),
    ("batch", "生产日期/批号"),
    ("spec", "规格型号"),
    ("trademark", "商标"),
    ("result", "抽查结果"),
    ("failed", "不合格项目"),
    ("testing_body", "承检机构"),
    ("remark", "备注"),
)
FIELD_LABEL = {
    PlaceKind.PRODUCER: "生产领域",
    PlaceKind.SELLER: "流通领域",
    PlaceKind.SITE: "使用领域（建筑工地）",
}


def publication_rows(sampling_round: SamplingRound) -> list[dict]:
    """The table the bureaus publish (no personal data: units, products and results only)."""
    from .standards import PRODUCT_LABELS

    rows = []
    samples = sampling_round.samples.select_related("enterprise").order_by("code")
    for number, sample in enumerate(samples, start=1):
        refused = sample.state == Sample.State.REFUSED
        batch = " / ".join(
            x
            for x in (
                sample.production_date.isoformat() if sample.production_date else "",
                sample.heat_number,
            )
            if x
        )
        rows.append(
            {
                "number": number,
                "product": PRODUCT_LABELS.get(sample.product, "") if not refused else "",
                "field": FIELD_LABEL.get(sample.place_kind, ""),
                "unit": sample.unit_name,
                "uscc": sample.unit_uscc,
                "manufacturer": sample.manufacturer_name,
                "batch": batch,
                "spec": f"{sample.grade} Φ{sample.diameter_mm:g}mm" if not refused else "",
                "trademark": sample.trademark,
                "result": ""
                if refused
                else ("合格" if sample.verdict == Sample.Verdict.CONFORMING else "不合格"),
                "failed": "、".join(f["label"] for f in sample.failed),
                "testing_body": sample.testing_body,
                "remark": "拒检" if refused else ("复检后结论" if sample.retest_measured else ""),
            }
        )
    return rows


def published_rounds() -> QuerySet:
    return (
        SamplingRound.objects.filter(state=SamplingRound.State.PUBLISHED)
        .select_related("plan", "division")
        .order_by("-published_on")
    )


def dashboard_cards(user) -> list[dict]:
    """Each figure counts the sample list it links to, through the same selector (sample_list)."""
    if not can(user, "market.view"):
        return []
    url = reverse("market:sample_list")
    return [
        {
            "title": _("抽检不合格样品"),
            "value": sample_list(user, verdict=Sample.Verdict.NONCONFORMING).count(),
            "url": f"{url}?verdict=nonconforming",
            "tone": "warn",
        },
        {
            "title": _("异议期内样品"),
            "value": sample_list(user, window="objection").count(),
            "url": f"{url}?window=objection",
            "tone": "",
        },
    ]


def samples_for_enterprise(user, enterprise) -> QuerySet:
    return samples_for(user).filter(enterprise=enterprise).order_by("-sampled_on", "-pk")


def active_users_named(usernames: list[str]) -> dict:
    """Active users by username (the co-officers named on a sample)."""
    from django.contrib.auth import get_user_model

    return {u.username: u for u in get_user_model().objects.filter(username__in=usernames, is_active=True)}


def users_by_pk(pks: list[int]):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk__in=pks).order_by("username")
