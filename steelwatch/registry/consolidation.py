"""The semiannual consolidation (“市领导小组办公室每年6月、12月对有关清单信息进行归集”).

`ledger_consolidate` freezes, for one period and one division, the furnace-user list, the watchlist and
the off-ledger list: their counts per district on a `LedgerSnapshot` and the lists themselves in a
workbook under DATA_DIR/consolidations/. Re-running a period replaces its snapshot (audited).
"""

import dataclasses
import datetime
import re
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from steelwatch.core.access import get_or_404, require, scope_to_jurisdiction, user_covers_division
from steelwatch.core.services import audited_create, audited_update
from steelwatch.core.sheets import write_workbook
from steelwatch.geo.models import Division
from steelwatch.geo.region import region
from steelwatch.geo.selectors import division_label

from .ledger_excel import ENTERPRISE_SHEET, FURNACE_SHEET, enterprise_cells, furnace_cells
from .models import Enterprise, Furnace, LedgerSnapshot
from .selectors import ACTIVE_FURNACE_STATUSES, with_furnace_user

PERIOD = re.compile(r"^(\d{4})-(06|12)$")
SNAPSHOT_DIR = "consolidations"
LISTS = (
    ("furnace_users", "中(工)频炉使用企业清单"),
    ("watchlist", "重点监控企业清单"),
    ("off_ledger", "台账外企业清单"),
)


def default_period(today: datetime.date | None = None) -> str:
    """The latest consolidation month reached: June or December."""
    today = today or datetime.date.today()
    if today.month == 12:
        return f"{today.year}-12"
    return f"{today.year}-06" if today.month >= 6 else f"{today.year - 1}-12"


def snapshots_for(user):
    require(user, "consolidation.run")
    return scope_to_jurisdiction(LedgerSnapshot.objects.select_related("division", "created_by"), user)


def access_snapshot(user, snapshot_id: int) -> LedgerSnapshot:
    return get_or_404(snapshots_for(user), pk=snapshot_id)


def snapshot_file(snapshot: LedgerSnapshot) -> Path:
    return settings.DATA_DIR / snapshot.file_path


def default_division() -> Division:
    """The region the deployment serves, else the city (or province) holding the whole ledger, for a
    consolidation run without --division."""
    if (served := region()) is not None:
        return served
    codes = set(Enterprise.objects.values_list("division_id", flat=True).distinct())
    for length, suffix in ((4, "00"), (2, "0000")):
        prefixes = {code[:length] for code in codes}
        if len(prefixes) == 1 and (division := Division.objects.filter(code=prefixes.pop() + suffix).first()):
            return division
    raise ValidationError(_("无法确定归集范围：请指定行政区划代码"))


def _lists(division: Division) -> dict:
    enterprises = with_furnace_user(Enterprise.objects.filter(division__code__startswith=division.prefix))
    enterprises = enterprises.select_related("grid").order_by("division_id", "uscc")
    return {
        "furnace_users": enterprises.filter(is_furnace_user=True),
        "watchlist": enterprises.filter(on_watchlist=True),
        "off_ledger": enterprises.filter(on_ledger=False),
    }


def _district_counts(division: Division, lists: dict) -> list[dict]:
    tallies = {
        key: Counter(code[:6] for code in qs.values_list("division_id", flat=True))
        for key, qs in lists.items()
    }
    if division.level >= Division.Level.DISTRICT:
        districts = [next(d for d in division.ancestors() if d.level == Division.Level.DISTRICT)]
    else:
        districts = Division.objects.filter(level=Division.Level.DISTRICT, code__startswith=division.prefix)
    return [
        {"code": d.code, "name": d.name, **{key: tallies[key][d.code] for key in tallies}} for d in districts
    ]


def _partial(relative: str) -> Path:
    return settings.DATA_DIR / f"{relative}.partial"


def ledger_consolidate_discard(*, period: str, division_code: str) -> None:
    """What a consolidation that failed or lost its worker left behind: its half-written workbook."""
    _partial(f"{SNAPSHOT_DIR}/{period}-{division_code}.xlsx").unlink(missing_ok=True)


def ledger_consolidate(*, actor, period: str, division_code: str) -> LedgerSnapshot:
    """Read the lists and write the workbook aside (no transaction held), then in one short transaction record
    the snapshot and move the workbook into place."""
    if not PERIOD.match(period or ""):
        raise ValidationError(
            {
                "period": _("归集期“{period}”无效：应为 YYYY-06 或 YYYY-12（每年6月、12月归集）").format(
                    period=period
                )
            }
        )
    division = Division.objects.filter(code=division_code).first()
    if division is None:
        raise ValidationError(
            {"division": _("行政区划代码 {division_code} 不存在").format(division_code=division_code)}
        )
    if actor is not None:
        require(actor, "consolidation.run")
        if not user_covers_division(actor, division_code):
            raise ValidationError(
                {
                    "division": _("行政区划 {division_code} 不在您的管辖范围内").format(
                        division_code=division_label(division_code)
                    )
                }
            )
    lists = _lists(division)
    counts = _district_counts(division, lists)
    relative = f"{SNAPSHOT_DIR}/{period}-{division.code}.xlsx"
    furnaces = Furnace.objects.filter(
        enterprise__in=lists["furnace_users"], status__in=ACTIVE_FURNACE_STATUSES
    )
    partial = _partial(relative)
    write_workbook(
        partial,
        [
            (
                dataclasses.replace(ENTERPRISE_SHEET, name=LISTS[0][1]),
                map(enterprise_cells, lists["furnace_users"]),
            ),
            (
                dataclasses.replace(FURNACE_SHEET, name="在用及封存设备"),
                map(
                    furnace_cells,
                    furnaces.select_related("enterprise").order_by("enterprise__uscc", "number"),
                ),
            ),
            (
                dataclasses.replace(ENTERPRISE_SHEET, name=LISTS[1][1]),
                map(enterprise_cells, lists["watchlist"]),
            ),
            (
                dataclasses.replace(ENTERPRISE_SHEET, name=LISTS[2][1]),
                map(enterprise_cells, lists["off_ledger"]),
            ),
        ],
        instructions=[
            f"{division.full_name} 清单归集 {period}",
            f"归集时间：{datetime.datetime.now():%Y-%m-%d %H:%M}",
            "依据：市领导小组办公室每年6月、12月对有关清单信息进行归集，实施动态化跟踪管理。",
        ],
        instructions_first=True,
        extra_sheets=[
            (
                "分区县统计",
                ["行政区划代码", "区县", *[title for _key, title in LISTS]],
                [[row["code"], row["name"], *[row[key] for key, _title in LISTS]] for row in counts],
            )
        ],
    )
    values = {
        "created_by": actor if getattr(actor, "pk", None) else None,
        "counts": counts,
        "file_path": relative,
        "furnace_user_count": lists["furnace_users"].count(),
        "watchlist_count": lists["watchlist"].count(),
        "off_ledger_count": lists["off_ledger"].count(),
    }
    with transaction.atomic():
        snapshot = LedgerSnapshot.objects.select_for_update().filter(period=period, division=division).first()
        if snapshot is None:
            snapshot = audited_create(
                actor=actor,
                instance=LedgerSnapshot(period=period, division=division, **values),
                action="ledger_consolidate",
            )
        else:
            audited_update(
                actor=actor, instance=snapshot, changes=values, action="ledger_consolidate", reason="重新归集"
            )
        partial.replace(settings.DATA_DIR / relative)
    return snapshot
