"""`build_demo`: the whole demo city in one call, deterministic for a seed, refusing to build twice.

The ledger part always runs (one transaction). The power, case and tip parts run only when those
apps' services exist (they are being built alongside); each says what it built or why it was skipped.
"""

import datetime
import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.management import call_command
from django.db import transaction

from steelwatch.accounts.models import User
from steelwatch.core.audit import audit_record
from steelwatch.core.models import AuditLog
from steelwatch.geo.divisions import load_divisions
from steelwatch.geo.models import Division
from steelwatch.geo.region import in_region, region_code
from steelwatch.registry.models import Enterprise

from . import extras
from .ledger import plan_ledger, townships_of, write_ledger
from .people import LOGINS, build_grids, build_logins, login_row
from .places import CITY_CODE

MARKER_ACTION = "demo_build"


class DemoExists(Exception):
    """The database already holds a demo (or other ledger data); nothing was written."""


@dataclass
class DemoResult:
    built: bool
    seed: int
    logins: list[dict]
    lines: list[str] = field(default_factory=list)


def demo_marker() -> AuditLog | None:
    return AuditLog.objects.filter(action=MARKER_ACTION).order_by("-at").first()


def reset_database() -> None:
    """Empty every table and reload the division tree (as a fresh `steelwatch migrate` leaves it)."""
    call_command("flush", interactive=False, verbosity=0)
    load_divisions(Division)


def build_demo(
    *,
    seed: int = 2026,
    enterprises: int = 3000,
    reset: bool = False,
    as_of: datetime.date | None = None,
    say: Callable[[str], None] = print,
    ledger_only: bool = False,
) -> DemoResult:
    """Build the demo city into the current database; `say` receives progress lines."""
    marker = demo_marker()
    if reset:
        if marker is None and Enterprise.objects.exists():
            raise DemoExists("数据库中已有非演示的台账数据，拒绝清空；请为演示使用单独的 STEELWATCH_DATA_DIR")
        say("清空数据库并重新载入行政区划（--reset）…")
        reset_database()
    elif marker is not None:
        old_seed = (marker.after or {}).get("seed", seed)
        say(
            f"演示数据已存在（{marker.at:%Y-%m-%d %H:%M} 生成，seed {old_seed}），未重复生成；重建请加 --reset。"
        )
        return DemoResult(built=False, seed=old_seed, logins=existing_logins(old_seed))
    elif (
        Enterprise.objects.filter(division__code__startswith=CITY_CODE[:4]).exists()
        or User.objects.filter(username__in=[login.username for login in LOGINS]).exists()
    ):
        raise DemoExists(
            "数据库中已有常州市的台账数据或同名用户，演示数据只建在空库上"
            "（使用单独的 STEELWATCH_DATA_DIR，或对演示库加 --reset）"
        )
    if not Division.objects.filter(code=CITY_CODE).exists():
        raise DemoExists("行政区划中没有常州市（320400）：请先运行 steelwatch migrate")
    if region_code() and not in_region(CITY_CODE):
        raise DemoExists(
            f"演示城市为常州市（{CITY_CODE}），不在本部署的服务范围（STEELWATCH_REGION={region_code()}）内："
            f"演示请设置 STEELWATCH_REGION={CITY_CODE}（make demo 已设置）"
        )
    if not region_code():
        say(f"提示：未设置 STEELWATCH_REGION（服务范围为全国）；演示请设置 STEELWATCH_REGION={CITY_CODE}")

    as_of = as_of or datetime.date.today()
    rng = random.Random(seed)
    started = time.monotonic()
    lines: list[str] = []

    def note(line: str) -> None:
        lines.append(line)
        say(line)

    with transaction.atomic():
        towns = townships_of(CITY_CODE)
        plan = plan_ledger(rng, towns, enterprises, as_of)
        per_town = defaultdict(list)
        for index, row in enumerate(plan.enterprises):
            per_town[row["division_id"]].append(index)
        grids = build_grids(rng, towns, {code: len(rows) for code, rows in per_town.items()}, seed)
        grid_of = _assign_grids(plan.enterprises, per_town, grids)
        officers = {u.grid_id: u for u in User.objects.filter(grid__isnull=False).order_by("pk")}
        counts = write_ledger(
            plan,
            grid_for=lambda row: grid_of[id(row)],
            supervisor_for=lambda row, grid: officers.get(grid.pk) if _needs_supervisor(row) else None,
        )
        logins = build_logins(rng, seed)
        city = Division.objects.get(code=CITY_CODE)
        audit_record(
            actor=None,
            action=MARKER_ACTION,
            target=city,
            division_code=CITY_CODE,
            after={"seed": seed, "enterprises": enterprises, **counts},
            reason="演示城市生成；台账记录批量写入，每条记录各有一条 create 审计记录",
        )
    n_grids = sum(len(g) for g in grids.values())
    districts = len({t.district_code for t in towns})
    note(
        f"台账：{counts['enterprises']} 家企业（{districts} 个区县、{len(towns)} 个街镇），"
        f"{counts['furnaces']} 台感应炉，{counts['power_accounts']} 个电力户号，"
        f"{counts['capacity_requests']} 条增容申请，{counts['licences']} 张生产许可证；"
        f"{n_grids} 个网格及网格员（{time.monotonic() - started:.1f} 秒）"
    )
    parts = [] if ledger_only else extras.build_extras(rng=random.Random(seed + 1), seed=seed, as_of=as_of)
    for part in parts:
        note(part)
    note(f"共用时 {time.monotonic() - started:.1f} 秒")
    return DemoResult(built=True, seed=seed, logins=logins, lines=lines)


def _needs_supervisor(row: dict) -> bool:
    """Zombies (long idle, equipment on site) and closed or banned sites have a named supervisor."""
    return row["status"] != Enterprise.Status.OPERATING or row.get("formerly_banned", False)


def _assign_grids(rows: list[dict], per_town: dict[str, list[int]], grids) -> dict[int, object]:
    """Split each township west to east among its grids, so that a grid is one contiguous area."""
    grid_of = {}
    for code, indices in per_town.items():
        town_grids = grids[code]
        ordered = sorted(indices, key=lambda i: rows[i]["longitude"])
        for rank, index in enumerate(ordered):
            grid_of[id(rows[index])] = town_grids[rank * len(town_grids) // len(ordered)]
    return grid_of


def existing_logins(seed: int) -> list[dict]:
    present = set(
        User.objects.filter(username__in=[login.username for login in LOGINS]).values_list(
            "username", flat=True
        )
    )
    return [login_row(login, seed) for login in LOGINS if login.username in present]
