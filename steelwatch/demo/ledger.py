"""The demo ledger: enterprises, furnaces, power accounts, capacity requests and licences for one city.

`plan_ledger` is pure (a seeded `random.Random` → plain dicts, so the same seed gives the same city);
`write_ledger` stores the plan with bulk inserts and one `create` audit row per record (reason
`DEMO_REASON`), which is what the record pages show as their history.
"""

import datetime
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal

from steelwatch.core.audit import snapshot
from steelwatch.core.models import AuditLog
from steelwatch.geo.models import Division
from steelwatch.registry.models import (
    CapacityIncreaseRequest,
    Enterprise,
    Furnace,
    FurnaceStatusChange,
    PowerAccount,
    ProductionLicence,
)

from . import words
from .codes import make_uscc, registration_number
from .places import short_district, short_township, township_centre

DEMO_REASON = "演示数据（steelwatch build-demo 生成）"
TRANSFORMER_KVA = [50, 80, 100, 125, 160, 200, 250, 315, 400, 500, 630, 800, 1000, 1250, 1600, 2000, 2500]
CN_NUMBERS = "一二三四五六七八九十"


@dataclass
class Township:
    code: str
    name: str
    district_code: str
    district_name: str

    @property
    def weight(self) -> float:
        """Industrial towns hold more firms than the old city's streets."""
        if self.name.endswith("镇"):
            return 3.0
        return 1.0 if self.district_code in {"320402", "320404"} else 2.0


@dataclass
class LedgerPlan:
    enterprises: list[dict] = field(default_factory=list)
    furnaces: list[dict] = field(default_factory=list)  # "enterprise": index into enterprises
    accounts: list[dict] = field(default_factory=list)
    capacity_requests: list[dict] = field(default_factory=list)  # "account": index into accounts
    licences: list[dict] = field(default_factory=list)


def townships_of(city_code: str) -> list[Township]:
    rows = (
        Division.objects.filter(level=Division.Level.TOWNSHIP, code__startswith=city_code[:4])
        .select_related("parent")
        .order_by("code")
    )
    return [Township(d.code, d.name, d.parent_id, d.parent.name) for d in rows]


# --- planning (pure) ---


def person_name(rng: random.Random) -> str:
    return rng.choice(words.SURNAMES) + "".join(rng.choice(words.GIVEN) for _ in range(rng.choice((1, 2, 2))))


def phone_number(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randrange(0, 10)}{rng.randrange(10_000_000, 100_000_000)}"


def _kva_for(rng: random.Random, demand_kw: float) -> tuple[Decimal, str]:
    """Contracted capacity and transformer text for a site drawing up to `demand_kw` (pf ≈ 0.85)."""
    need = demand_kw / 0.85
    count = max(1, math.ceil(need / 2500))
    size = next((s for s in TRANSFORMER_KVA if s * count >= need), TRANSFORMER_KVA[-1])
    kind = f"SCB13-{size}/10" if size <= 1250 and rng.random() < 0.4 else f"S13-M-{size}/10"
    return Decimal(size * count), (f"{count}×{kind}" if count > 1 else kind)


def _log_uniform(rng: random.Random, lo: float, hi: float) -> float:
    return math.exp(rng.uniform(math.log(lo), math.log(hi)))


BASE_DEMAND_KW = {  # peak draw of the site's ordinary equipment, by kind (log-uniform range)
    "machining": (60, 1000),
    "heat_treatment": (300, 1600),
    "trade": (20, 150),
    "recycling": (40, 300),
    "cold": (150, 900),
    "warehouse": (20, 200),
    "textile": (100, 900),
    "rolling": (1500, 6000),
    "foundry": (80, 400),
    "special_steel": (800, 2500),
    "collective": (30, 200),
}


class _Planner:
    def __init__(self, rng: random.Random, towns: list[Township], as_of: datetime.date):
        self.rng, self.towns, self.as_of = rng, towns, as_of
        self.plan = LedgerPlan()
        self.names: set[str] = set()
        self.usccs: set[str] = set()
        self.serial = 0
        self._weights = [t.weight for t in towns]
        # Furnace users and former 地条钢 sites cluster in the industrial districts (武进、新北、金坛、溧阳).
        self._heavy = [t for t in towns if t.district_code not in {"320402", "320404"}] or towns

    def town(self, heavy: bool = False) -> Township:
        if heavy:
            return self.rng.choice(self._heavy)
        return self.rng.choices(self.towns, weights=self._weights)[0]

    def date_between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        return start + datetime.timedelta(days=self.rng.randrange(max(1, (end - start).days)))

    def company_name(self, town: Township, name_words: list[str]) -> str:
        rng = self.rng
        for _ in range(50):
            trade = rng.choice(words.TRADE_FIRST) + rng.choice(words.TRADE_SECOND)
            county = town.district_code == "320481"  # 溧阳市 is a county-level city: firms name it alone
            place = rng.choice(
                [
                    "常州",
                    "常州市",
                    "江苏",
                    short_district(town.district_name),
                    town.district_name if county else f"常州市{town.district_name}",
                    f"{short_district(town.district_name)}{short_township(town.name)}",
                ]
            )
            name = f"{place}{trade}{rng.choice(name_words)}{rng.choice(words.COMPANY_SUFFIXES)}"
            if name not in self.names:
                self.names.add(name)
                return name
        raise RuntimeError("演示企业名称词表不足")

    def uscc(self, town: Township, authority: str, legacy: bool) -> str:
        while True:
            code = make_uscc(self.rng, town.district_code, authority=authority, legacy=legacy)
            if code not in self.usccs:
                self.usccs.add(code)
                return code

    def enterprise(
        self,
        town: Township,
        *,
        industry: str,
        name_words: list[str],
        kind: str,
        status: str = Enterprise.Status.OPERATING,
        authority: str = "91",
        name: str = "",
        **flags,
    ) -> int:
        rng = self.rng
        legacy = authority == "91" and rng.random() < 0.35
        self.serial += 1
        lng, lat = township_centre(town.code)
        road = rng.choice(words.ROADS)
        address = (
            f"常州市{town.district_name}{town.name}{road}{rng.randrange(1, 400)}号"
            if rng.random() < 0.6
            else f"常州市{town.district_name}{town.name}{rng.choice(words.PARKS)}{rng.randrange(1, 80)}号"
        )
        row = {
            "uscc": self.uscc(town, authority, legacy),
            "registration_number": registration_number(town.district_code, self.serial) if legacy else "",
            "name": name or self.company_name(town, name_words),
            "legal_representative": person_name(rng),
            "address": address,
            "longitude": Decimal(f"{lng + max(-0.03, min(0.03, rng.gauss(0, 0.011))):.6f}"),
            "latitude": Decimal(f"{lat + max(-0.025, min(0.025, rng.gauss(0, 0.009))):.6f}"),
            "division_id": town.code,
            "industry": industry,
            "status": status,
            "_kind": kind,
            **flags,
        }
        self.plan.enterprises.append(row)
        return len(self.plan.enterprises) - 1

    def general_status(self, idle: float, closed: float) -> str:
        roll = self.rng.random()
        if roll < idle:
            return Enterprise.Status.IDLE
        return Enterprise.Status.CLOSED if roll < idle + closed else Enterprise.Status.OPERATING

    # furnaces
    def furnaces(self, index: int, *, special: bool, legit: bool = True) -> None:
        rng, ent = self.rng, self.plan.enterprises[index]
        count = rng.choices([1, 2, 3, 4], weights=[45, 35, 15, 5] if not special else [20, 35, 30, 15])[0]
        sizes = [2, 3, 5, 8, 10] if special else [0.5, 0.75, 1, 1.5, 2, 3, 5]
        size_weights = [25, 30, 25, 12, 8] if special else [12, 14, 26, 18, 16, 10, 4]
        registered = self.date_between(datetime.date(2017, 9, 1), datetime.date(2018, 3, 15))
        for number in range(1, count + 1):
            capacity = rng.choices(sizes, weights=size_weights)[0]
            kind = (
                Furnace.Kind.POWER_FREQ if not special and rng.random() < 0.15 else Furnace.Kind.MEDIUM_FREQ
            )
            history = [(Furnace.Status.IN_USE, registered, "排查登记（常化解办〔2018〕1号）")]
            if ent["status"] == Enterprise.Status.IDLE or (legit and rng.random() < 0.08):
                history.append(
                    (
                        Furnace.Status.SEALED,
                        self.date_between(datetime.date(2019, 1, 1), self.as_of),
                        rng.choice(words.SEAL_NOTES),
                    )
                )
            elif ent["status"] in {Enterprise.Status.CLOSED, Enterprise.Status.BANNED}:
                closed = ent["status"] == Enterprise.Status.CLOSED
                history.append(
                    (
                        Furnace.Status.DISMANTLED if closed else Furnace.Status.DESTROYED,
                        self.date_between(datetime.date(2019, 1, 1), self.as_of),
                        words.DISMANTLE_NOTE if closed else rng.choice(words.DESTROY_NOTES),
                    )
                )
            self.plan.furnaces.append(
                {
                    "enterprise": index,
                    "number": f"{number}#炉",
                    "kind": kind,
                    "capacity_t": Decimal(str(capacity)),
                    "rated_kw": Decimal(round(capacity * rng.uniform(600, 900) / 10) * 10),
                    "purpose": rng.choice(words.SPECIAL_PURPOSES if special else words.FOUNDRY_PURPOSES)
                    if legit
                    else "用途待核实",
                    "legitimacy_basis": (words.LEGITIMACY_SPECIAL if special else words.LEGITIMACY_FOUNDRY)
                    if legit
                    else "",
                    "status": history[-1][0],
                    "status_date": history[-1][1],
                    "_history": history,
                }
            )

    def banned_furnaces(self, index: int, banned_on: datetime.date) -> None:
        """The 地条钢 furnaces destroyed at the 2017 ban: dated history, nothing left on site."""
        rng = self.rng
        for number in range(1, rng.choice([1, 2, 2, 3]) + 1):
            capacity = rng.choice([3, 5, 8, 10, 12])
            destroyed = banned_on + datetime.timedelta(days=rng.randrange(5, 40))
            self.plan.furnaces.append(
                {
                    "enterprise": index,
                    "number": f"{number}#炉",
                    "kind": Furnace.Kind.MEDIUM_FREQ,
                    "capacity_t": Decimal(capacity),
                    "rated_kw": Decimal(round(capacity * rng.uniform(600, 800) / 10) * 10),
                    "purpose": "原“地条钢”生产（已取缔）",
                    "legitimacy_basis": "",
                    "status": Furnace.Status.DESTROYED,
                    "status_date": destroyed,
                    "_history": [
                        (Furnace.Status.IN_USE, banned_on - datetime.timedelta(days=400), "取缔前排查登记"),
                        (Furnace.Status.DESTROYED, destroyed, "按“五个彻底”要求捣毁，断电断水，厂房清理"),
                    ],
                }
            )

    # power
    def accounts(self, index: int) -> None:
        rng, ent = self.rng, self.plan.enterprises[index]
        kind = ent["_kind"]
        furnace_kw = sum(
            float(f["rated_kw"])
            for f in self.plan.furnaces
            if f["enterprise"] == index and f["status"] in {Furnace.Status.IN_USE, Furnace.Status.SEALED}
        )
        demand = _log_uniform(rng, *BASE_DEMAND_KW[kind]) + furnace_kw
        for part in range(2 if demand > 5000 and rng.random() < 0.5 else 1):
            kva, transformer = _kva_for(rng, demand / (2 if part or demand > 5000 else 1))
            self.plan.accounts.append(
                {
                    "enterprise": index,
                    "account_id": f"{ent['division_id'][2:6]}{len(self.plan.accounts) + 1:06d}",
                    "division_id": ent["division_id"],
                    "address": ent["address"],
                    "contracted_kva": kva,
                    "transformer": transformer,
                    "industry": ent["industry"],
                    "closed_site_watch": ent["status"]
                    in {Enterprise.Status.CLOSED, Enterprise.Status.BANNED},
                    "_furnace_kw": furnace_kw,
                }
            )

    def capacity_request(self, account_index: int, *, status: str, recent: bool) -> None:
        account = self.plan.accounts[account_index]
        current = int(account["contracted_kva"])
        bigger = [s for s in TRANSFORMER_KVA if s > current] or [current + s for s in (1250, 2000, 2500)]
        to_kva = Decimal(self.rng.choice(bigger[:3]))
        start = self.as_of - datetime.timedelta(days=60 if recent else 900)
        requested = self.date_between(start, self.as_of - datetime.timedelta(days=1 if recent else 120))
        if status == CapacityIncreaseRequest.Status.APPROVED:  # granted earlier: the account has it now
            smaller = [s for s in TRANSFORMER_KVA if s < current]
            from_kva, to_kva = Decimal(smaller[-1] if smaller else current // 2), Decimal(current)
        else:
            from_kva = Decimal(current)
        self.plan.capacity_requests.append(
            {
                "account": account_index,
                "requested_on": requested,
                "from_kva": from_kva,
                "to_kva": to_kva,
                "reason": self.rng.choice(words.CAPACITY_REASONS),
                "status": status,
            }
        )

    def licence(self, index: int, *, scope: str) -> None:
        rng, ent = self.rng, self.plan.enterprises[index]
        valid_from = self.date_between(self.as_of - datetime.timedelta(days=5 * 365), self.as_of)
        status = ProductionLicence.Status.VALID
        if ent["status"] in {Enterprise.Status.CLOSED, Enterprise.Status.BANNED}:
            status = ProductionLicence.Status.REVOKED
        elif ent["status"] == Enterprise.Status.IDLE or rng.random() < 0.05:
            status = ProductionLicence.Status.SUSPENDED
        self.plan.licences.append(
            {
                "enterprise": index,
                "number": f"(苏)XK05-001-{len(self.plan.licences) + 10001:05d}",
                "scope": scope,
                "valid_from": valid_from,
                "valid_until": valid_from.replace(year=valid_from.year + 5)
                if (valid_from.month, valid_from.day) != (2, 29)
                else valid_from + datetime.timedelta(days=5 * 365),
                "status": status,
            }
        )


def plan_ledger(rng: random.Random, towns: list[Township], n: int, as_of: datetime.date) -> LedgerPlan:
    """About `n` enterprises: ~5% furnace users, former 地条钢 sites, rolling mills, collectives, off-ledger finds."""
    p = _Planner(rng, towns, as_of)
    reasons = words.WATCHLIST_REASONS
    furnace_users = max(2, round(n * 0.05))
    special = max(1, furnace_users // 5)
    for i in range(furnace_users):
        is_special = i < special
        industry, name_words = words.SPECIAL_STEEL if is_special else words.FOUNDRY
        status = p.general_status(idle=0.10, closed=0.04)
        idx = p.enterprise(
            p.town(heavy=True),
            industry=industry,
            name_words=name_words,
            status=status,
            kind="special_steel" if is_special else "foundry",
            is_foundry=not is_special,
            is_special_steel=is_special,
        )
        ent = p.plan.enterprises[idx]
        if status == Enterprise.Status.IDLE:
            ent.update(on_watchlist=True, watchlist_reason=reasons["zombie"])
        elif rng.random() < 0.06:
            ent.update(on_watchlist=True, watchlist_reason=reasons[rng.choice(["tip", "remote"])])
        p.furnaces(idx, special=is_special)
        p.accounts(idx)
        if is_special and rng.random() < 0.3:
            p.licence(idx, scope="热轧盘条、合金结构钢棒材")

    # Former 地条钢 producers closed at the 2017 ban: watched so that they never restart.
    for _ in range(max(1, round(n * 0.008))):
        status = Enterprise.Status.BANNED if rng.random() < 0.7 else Enterprise.Status.CLOSED
        industry, name_words = rng.choice(
            [
                words.ROLLING,
                ("金属制品", ["金属制品", "钢铁"]),
                ("废旧物资回收", ["再生资源回收", "物资回收"]),
            ]
        )
        idx = p.enterprise(
            p.town(heavy=True),
            industry=industry,
            name_words=name_words,
            status=status,
            kind="recycling",
            formerly_banned=True,
            on_watchlist=True,
            watchlist_reason=reasons["formerly_banned"],
        )
        p.banned_furnaces(idx, p.date_between(datetime.date(2017, 3, 1), datetime.date(2017, 6, 30)))
        if rng.random() < 0.8:
            p.accounts(idx)

    # Rolling mills rolling purchased billets into rebar: they need a production licence.
    for _ in range(max(1, round(n * 0.006))):
        status = p.general_status(idle=0.08, closed=0.05)
        idx = p.enterprise(
            p.town(heavy=True),
            industry=words.ROLLING[0],
            name_words=words.ROLLING[1],
            status=status,
            kind="rolling",
        )
        p.accounts(idx)
        p.licence(idx, scope="钢筋混凝土用热轧带肋钢筋（HRB400E、HRB500E，GB/T 1499.2）")

    # Village collectives renting out plant (letter-led USCCs: N2 village, N3 township collectives; Y1 other).
    for _ in range(max(1, round(n * 0.005))):
        town = p.town()
        authority = rng.choice(["N2", "N2", "N3", "Y1"])
        trade = rng.choice(words.TRADE_FIRST) + rng.choice(words.TRADE_SECOND)
        label = {"N2": f"{trade}村股份经济合作社", "N3": "资产经营合作联社", "Y1": f"{trade}物业管理中心"}[
            authority
        ]
        region = town.district_name if town.district_code == "320481" else f"常州市{town.district_name}"
        name = f"{region}{town.name}{label}"
        if name in p.names:
            continue
        p.names.add(name)
        idx = p.enterprise(
            town,
            industry=rng.choice(["厂房租赁", "仓储物流", "废旧物资回收"]),
            name_words=[],
            kind="collective",
            authority=authority,
            name=name,
        )
        p.accounts(idx)

    # Off-ledger finds (台账外): discovered on patrol, not yet on the ledger; some with a furnace.
    for i in range(max(1, round(n * 0.004))):
        industry, name_words = rng.choice(
            [
                ("五金", ["五金制品"]),
                ("机械加工", ["机械"]),
                ("废旧物资回收", ["物资回收"]),
                ("金属制品", ["金属制品"]),
            ]
        )
        with_furnace = i % 2 == 0
        idx = p.enterprise(
            p.town(heavy=True),
            industry=industry,
            name_words=name_words,
            kind="recycling",
            on_ledger=False,
            on_watchlist=with_furnace,
            watchlist_reason=reasons["off_ledger"] if with_furnace else "",
        )
        if with_furnace:
            p.furnaces(idx, special=False, legit=False)
        if rng.random() < 0.6:
            p.accounts(idx)

    # Everyone else: the ordinary industrial fabric of the city.
    industries = words.INDUSTRIES
    while len(p.plan.enterprises) < n:
        industry, _weight, name_words, kind = rng.choices(
            industries, weights=[w for _, w, _, _ in industries]
        )[0]
        status = p.general_status(idle=0.05, closed=0.04)
        idx = p.enterprise(p.town(), industry=industry, name_words=name_words, kind=kind, status=status)
        if status == Enterprise.Status.IDLE and rng.random() < 0.3:
            p.plan.enterprises[idx].update(on_watchlist=True, watchlist_reason=reasons["zombie"])
        if rng.random() < 0.9:
            p.accounts(idx)

    # Capacity increases: mostly approved long ago; a few pending ones at furnace users are warning signs.
    for a, account in enumerate(p.plan.accounts):
        ent = p.plan.enterprises[account["enterprise"]]
        if account["closed_site_watch"]:
            continue
        roll = rng.random()
        if ent["_kind"] in {"foundry", "special_steel"} and roll < 0.08:
            p.capacity_request(a, status=CapacityIncreaseRequest.Status.PENDING, recent=True)
            ent.update(on_watchlist=True, watchlist_reason=ent.get("watchlist_reason") or reasons["capacity"])
        elif roll < 0.03:
            p.capacity_request(
                a,
                status=rng.choice(
                    [CapacityIncreaseRequest.Status.APPROVED] * 3 + [CapacityIncreaseRequest.Status.REJECTED]
                ),
                recent=False,
            )
    return p.plan


# --- writing ---


def _audit_rows(objects, division_codes) -> list[AuditLog]:
    return [
        AuditLog(
            action="create",
            target_type=obj._meta.label_lower,
            target_id=str(obj.pk),
            division_code=code,
            after=snapshot(obj),
            reason=DEMO_REASON,
        )
        for obj, code in zip(objects, division_codes, strict=True)
    ]


def _public(row: dict) -> dict:
    return {k: v for k, v in row.items() if not k.startswith("_") and k not in {"enterprise", "account"}}


def write_ledger(plan: LedgerPlan, *, grid_for, supervisor_for) -> dict[str, int]:
    """Insert the plan; `grid_for(row)` picks each enterprise's grid, `supervisor_for(row, grid)` its supervisor."""
    enterprises = []
    for row in plan.enterprises:
        grid = grid_for(row)
        supervisor = supervisor_for(row, grid)
        enterprises.append(Enterprise(**_public(row), grid=grid, supervisor=supervisor))
    Enterprise.objects.bulk_create(enterprises, batch_size=500)
    audit = _audit_rows(enterprises, [e.division_id for e in enterprises])

    furnaces = [Furnace(enterprise=enterprises[f["enterprise"]], **_public(f)) for f in plan.furnaces]
    Furnace.objects.bulk_create(furnaces, batch_size=500)
    FurnaceStatusChange.objects.bulk_create(
        [
            FurnaceStatusChange(furnace=furnace, status=status, date=date, note=note)
            for furnace, row in zip(furnaces, plan.furnaces, strict=True)
            for status, date, note in row["_history"]
        ],
        batch_size=1000,
    )
    audit += _audit_rows(furnaces, [f.enterprise.division_id for f in furnaces])

    accounts = [PowerAccount(enterprise=enterprises[a["enterprise"]], **_public(a)) for a in plan.accounts]
    PowerAccount.objects.bulk_create(accounts, batch_size=500)
    audit += _audit_rows(accounts, [a.division_id for a in accounts])
    requests = [
        CapacityIncreaseRequest(account=accounts[r["account"]], **_public(r)) for r in plan.capacity_requests
    ]
    CapacityIncreaseRequest.objects.bulk_create(requests)

    licences = [
        ProductionLicence(enterprise=enterprises[lc["enterprise"]], **_public(lc)) for lc in plan.licences
    ]
    ProductionLicence.objects.bulk_create(licences)
    audit += _audit_rows(licences, [lc.enterprise.division_id for lc in licences])
    AuditLog.objects.bulk_create(audit, batch_size=1000)
    return {
        "enterprises": len(enterprises),
        "furnaces": len(furnaces),
        "power_accounts": len(accounts),
        "capacity_requests": len(requests),
        "licences": len(licences),
    }
