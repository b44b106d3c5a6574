"""The demo's power, case and tip parts: each runs only when its app's services exist.

Each part goes through that app's services as a demo user would (so everything is audited and notified)
and returns one line saying what it built. A part that fails says so loudly and the next one still runs:
the ledger is already built and the demo should still start.
"""

import datetime
import importlib
import random
import tempfile
import traceback
from pathlib import Path

import numpy as np
from django.db import transaction

from steelwatch.accounts.models import User
from steelwatch.registry.models import Enterprise, Furnace, PowerAccount

from .credit import credit_part
from .field import field_part
from .market import market_part
from .oversight import oversight_part

POWER_ACCOUNTS = 300
DAYS = 30


def _module(name: str):
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        return None


def build_extras(*, rng: random.Random, seed: int, as_of: datetime.date) -> list[str]:
    lines, state = [], {}
    parts = [
        ("用电监测", "steelwatch.power.services", lambda m: power_part(m, rng, seed, as_of, state)),
        ("案件", "steelwatch.cases.services", lambda m: cases_part(m, rng, as_of, state)),
        # Before the tips: a paid reward is booked against the rewards budget line the field part sets up.
        ("现场监管", "steelwatch.field.services", lambda m: field_part(m, _user, as_of)),
        ("举报", "steelwatch.tips.services", lambda m: tips_part(m, rng, state)),
        ("市场监管", "steelwatch.market.services", lambda m: market_part(m, rng, seed, as_of)),
        ("信用名单", "steelwatch.credit.services", lambda m: credit_part(m, _user, as_of)),
        ("督查考核", "steelwatch.oversight.services", lambda m: oversight_part(m, _user, as_of)),
    ]
    for label, name, part in parts:
        module = _module(name)
        if module is None:
            lines.append(f"{label}：{name} 尚未提供，跳过")
            continue
        try:
            with transaction.atomic():  # a failed part leaves nothing half-written
                lines.append(f"{label}：{part(module)}")
        except Exception as exc:  # reported, never swallowed: the line names the error and where it happened
            where = traceback.extract_tb(exc.__traceback__)[-1]
            lines.append(f"{label}：生成失败（{type(exc).__name__}: {exc}；{where.filename}:{where.lineno}）")
    return lines


def _user(username: str) -> User:
    return User.objects.select_related("division").get(username=username)


def office_for(division_code: str) -> User:
    """The demo login that runs a place: 武进 and 新北 have their district office, the rest the city's."""
    return _user({"320412": "wujin", "320411": "xinbei"}.get(division_code[:6], "changzhou"))


# --- power ------------------------------------------------------------------------------------------------


def _pick(candidates, n: int, rng: random.Random, prefer: str = "320412") -> list:
    """n of the candidates, those in `prefer` (武进, where the printed district login looks) first."""
    ordered = sorted(candidates, key=lambda a: (not a.division_id.startswith(prefer), a.account_id))
    head = [a for a in ordered if a.division_id.startswith(prefer)]
    chosen = rng.sample(head, min(n, len(head)))
    rest = [a for a in ordered if a not in chosen]
    return chosen + rng.sample(rest, min(n - len(chosen), len(rest)))


def illegal_targets(accounts: list[PowerAccount], rng: random.Random) -> dict[str, str]:
    """account_id → pattern for a handful of demo sites."""

    def operating(a):
        return (
            a.enterprise is not None
            and a.enterprise.status == Enterprise.Status.OPERATING
            and a.enterprise.on_ledger
        )

    def in_use(a):
        return any(f.status == Furnace.Status.IN_USE for f in a.enterprise.furnaces.all())

    machining = [a for a in accounts if operating(a) and a.enterprise.industry in {"机械加工", "五金", "金属制品"}
                 and a.contracted_kva >= 630 and not a.enterprise.furnaces.all()]  # fmt: skip
    foundries = [a for a in accounts if operating(a) and a.enterprise.industry == "铸造" and in_use(a)]
    yards = [a for a in accounts if operating(a) and a.enterprise.industry in {"废旧物资回收", "仓储物流"}
             and a.contracted_kva >= 250]  # fmt: skip
    closed = [a for a in accounts if a.closed_site_watch]
    targets = {}
    for pattern, pool, n in [("night_furnace", machining, 2), ("foundry_over_capacity", foundries, 2),
                             ("intermittent_nights", yards, 1), ("closed_site_revival", closed, 2)]:  # fmt: skip
        for account in _pick([a for a in pool if a.account_id not in targets], n, rng):
            targets[account.account_id] = pattern
    return targets


def demo_accounts(rng: random.Random) -> tuple[list[PowerAccount], dict[str, str]]:
    """Every furnace user's and closed site's account, the illegal sites', and ordinary ones up to
    POWER_ACCOUNTS; and account_id → illegal pattern."""
    accounts = list(PowerAccount.objects.select_related("enterprise", "division")
                    .prefetch_related("enterprise__furnaces").order_by("account_id"))  # fmt: skip
    targets = illegal_targets(accounts, rng)
    key = [a for a in accounts if a.account_id in targets or a.closed_site_watch
           or (a.enterprise and a.enterprise.industry in {"铸造", "特钢"})]  # fmt: skip
    chosen = {a.account_id for a in key}
    others = [a for a in accounts if a.account_id not in chosen]
    return key + rng.sample(others, max(0, min(len(others), POWER_ACCOUNTS - len(key)))), targets


def power_part(services, rng: random.Random, seed: int, as_of: datetime.date, state: dict) -> str:
    from steelwatch.power.models import Alert, DetectionRun

    from .readings import PATTERNS, Clock, readings_frame

    accounts, targets = demo_accounts(rng)
    clock = Clock(as_of - datetime.timedelta(days=DAYS), DAYS)
    frame = readings_frame(np.random.default_rng(seed), clock, accounts, targets)
    power_user = _user("power")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"demo-readings-{clock.start:%Y%m%d}.parquet"
        frame.write_parquet(path)
        run = services.readings_submit(actor=power_user, via=DetectionRun.Via.CLI, source=path)
    services.detection_run_execute(run=run)
    run.refresh_from_db()
    alerts = {
        a.account.account_id: a for a in Alert.objects.filter(run=run).select_related("account__enterprise")
    }
    found = [pattern for account_id, pattern in targets.items() if account_id in alerts]
    # Handle a few: escalate two illegal ones (cases part continues them), acknowledge one, dismiss a legal one.
    escalated = []
    for account_id in [a for a in targets if a in alerts][:2]:
        alert = alerts[account_id]
        escalated.append(services.alert_escalate(actor=office_for(alert.account.division_id), alert=alert))
    open_alerts = [a for a in alerts.values() if a.status == Alert.Status.NEW]
    for alert in open_alerts[:1]:
        services.alert_acknowledge(actor=power_user, alert=alert)
    legal = [a for a in open_alerts[1:] if a.account.account_id not in targets]
    for alert in legal[:1]:
        services.alert_dismiss(actor=power_user, alert=alert, reason="经现场核实为合法生产用电（演示）")
    state["escalated_cases"] = escalated
    state["targets"] = targets
    kinds = "、".join(sorted({PATTERNS[p] for p in targets.values()}))
    return (
        f"{len(accounts)} 个户号 {DAYS} 天 15 分钟读数（{frame.height:,} 行），检测批次 #{run.pk}："
        f"{run.message}；埋入 {len(targets)} 个违法用电样本（{kinds}），其中 {len(found)} 个产生告警；"
        f"{len(escalated)} 条告警已转核查案件"
    )


# --- cases ------------------------------------------------------------------------------------------------


def cases_part(services, rng: random.Random, as_of: datetime.date, state: dict) -> str:
    from steelwatch.cases.models import Aspect, Case

    S = Case.State
    due = as_of + datetime.timedelta(days=10)
    market, power = _user("market"), _user("power")
    made = list(state.get("escalated_cases", []))
    if made:  # the first escalated alert goes to verification with two departments
        case = made[0]
        office = office_for(case.division_id)
        services.case_transition(actor=office, case=case, to=S.VERIFYING, reason="安排现场核查")
        services.task_assign(actor=office, case=case, aspect=Aspect.PROJECT_COMPLIANCE,
                             department="power_company", due_date=due, owner=power)  # fmt: skip

    # A patrol finding at an off-ledger workshop in 武进: verified jointly, confirmed, power cut ordered.
    site = (Enterprise.objects.filter(on_ledger=False, division__code__startswith="320412", furnaces__isnull=False)
            .order_by("pk").first())  # fmt: skip
    if site is not None:
        office = office_for(site.division_id)
        case = services.case_open(actor=office, title=f"巡查发现台账外感应炉：{site.name}", source=Case.Source.PATROL,
                                  division_code=site.division_id, enterprise=site, address=site.address,
                                  description="网格员巡查发现厂房内有中频炉及废钢堆放，未纳入台账。")  # fmt: skip
        services.case_transition(actor=office, case=case, to=S.VERIFYING, reason="组织联合核查")
        tasks = [services.task_assign(actor=office, case=case, aspect=Aspect.BUSINESS_REGISTRATION,
                                      department="market_regulation", due_date=due, owner=market),
                 services.task_assign(actor=office, case=case, aspect=Aspect.PROJECT_COMPLIANCE,
                                      department="power_company", due_date=due, owner=power)]  # fmt: skip
        services.task_complete(
            actor=market, task=tasks[0], findings="营业执照经营范围为五金加工，无铸造、冶炼项目。"
        )
        services.task_complete(
            actor=power,
            task=tasks[1],
            findings="夜间负荷与感应炉熔炼特征一致，变压器容量不足以支撑合法产能。",
        )
        services.case_transition(actor=office, case=case, to=S.CONFIRMED, reason="现场查实使用中频炉生产钢锭")
        services.case_transition(actor=office, case=case, to=S.ENFORCING, reason="依法取缔")
        # A power cut names the meter to cut; a workshop without one of its own gets its water cut.
        account = site.power_accounts.first()
        if account is not None:
            services.cut_order_issue(
                actor=office, case=case, kind="power", power_account=account, note="立即断电"
            )
        else:
            services.cut_order_issue(actor=office, case=case, kind="water", note="无独立电表，立即断水")
        made.append(case)

    # A press report found to be unfounded.
    foundry = Enterprise.objects.filter(is_foundry=True, status=Enterprise.Status.OPERATING,
                                        division__code__startswith="320411").order_by("pk").first()  # fmt: skip
    if foundry is not None:
        office = office_for(foundry.division_id)
        case = services.case_open(actor=office, title=f"媒体反映：{foundry.name} 疑似生产地条钢", source=Case.Source.PRESS,
                                  division_code=foundry.division_id, enterprise=foundry, address=foundry.address)  # fmt: skip
        services.case_transition(actor=office, case=case, to=S.VERIFYING, reason="核实媒体报道")
        services.case_transition(actor=office, case=case, to=S.UNFOUNDED,
                                 reason="现场核实：感应炉用于灰铸铁件熔炼，符合钢协〔2017〕23号，无钢坯钢锭")  # fmt: skip
        made.append(case)
    states = "、".join(f"#{c.pk} {Case.objects.get(pk=c.pk).get_state_display()}" for c in made)
    return f"{len(made)} 个案件（{states}）"


# --- tips -------------------------------------------------------------------------------------------------

TIP_TEXTS = [
    "厂房夜里十点以后一直有嗡嗡的轰鸣声，烟囱冒黄烟，半夜有货车拉废钢进出，白天却大门紧闭。",
    "村里一处租出去的旧厂房最近新拉了一根高压线，晚上灯火通明，怀疑在炼钢。",
    "这家厂以前被取缔过，最近又有人在里面干活，地上有铁水烧过的痕迹。",
    "工地上用的螺纹钢没有标牌，一掰就断，听说是附近小厂炼的。",
    "凌晨经常闻到刺鼻的焦糊味，院子里堆着很多废旧汽车零件。",
]


def tips_part(services, rng: random.Random, state: dict) -> str:
    from steelwatch.tips.models import Tip

    handler = _user("tips")
    places = list(Enterprise.objects.filter(division__code__startswith="320412").order_by("pk")[:400])
    targets = state.get("targets", {})
    suspects = [a.enterprise for a in PowerAccount.objects.filter(account_id__in=targets).select_related("enterprise")
                if a.enterprise and a.enterprise.division_id.startswith("320412")]  # fmt: skip
    sites = suspects[:1] + rng.sample(places, len(TIP_TEXTS) - len(suspects[:1]))
    made = []
    for i, (site, text) in enumerate(zip(sites, TIP_TEXTS, strict=False)):
        fields = {"content": text, "address": f"{site.address}附近", "division_code": site.division_id,
                  "latitude": site.latitude, "longitude": site.longitude}  # fmt: skip
        if i == 0:  # on the public page, with a phone number for the reward (encrypted at rest)
            tip, _key = services.tip_submit(channel=Tip.Channel.WEB, reporter={"name": "张先生", "phone": "13905190000"},
                                            **fields)  # fmt: skip
        elif i in (1, 2):
            tip, _key = services.tip_record(actor=handler, channel=[Tip.Channel.PHONE, Tip.Channel.WECHAT][i - 1],
                                            **fields)  # fmt: skip
        else:
            tip, _key = services.tip_submit(channel=Tip.Channel.WEB, **fields)
        made.append(tip)
    services.tip_accept(actor=handler, tip=made[0])
    services.tip_escalate(actor=handler, tip=made[0])
    services.tip_accept(actor=handler, tip=made[1])
    services.tip_verify(actor=handler, tip=made[2], result=Tip.Status.NOT_VERIFIED,
                        note="经现场核查，该厂房为正常机械加工，未发现感应炉。")  # fmt: skip
    statuses = "、".join(f"{t.receipt} {Tip.objects.get(pk=t.pk).get_status_display()}" for t in made)
    return f"{len(made)} 条举报（{statuses}）；第一条已立案"
