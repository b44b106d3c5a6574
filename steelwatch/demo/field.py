"""The demo's field work: patrol plans for 武进's grids with visits by the printed grid officer (one at a
zombie site with production signs, which raises an alert), the item list, an inspector directory with a
declared interest, a published draw of 10 targets × 2 inspectors and a frozen one, the safety look-back (one
hazard open, one fixed, one past its six months and escalated to a closure case), cameras (one stale), the
expert panel with a consultation, a training with attendance, and the budget lines with spending."""

import datetime
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from steelwatch.accounts.models import User
from steelwatch.cases.models import Case
from steelwatch.field.models import (
    BudgetLine,
    Camera,
    CheckIn,
    Expert,
    Inspector,
    PatrolPlan,
    TrainingAttendance,
    TrainingSession,
)
from steelwatch.field.services.draws import (
    draw_freeze,
    draw_publish,
    draw_run,
    inspection_item_save,
    inspector_enrol,
    interest_declare,
)
from steelwatch.field.services.patrols import check_in_record, patrol_plan_save
from steelwatch.field.services.registers import (
    attendance_record,
    consultation_answer,
    consultation_request,
    register_save,
    spending_record,
)
from steelwatch.field.services.safety import hazard_record, hazard_reinspect, hazards_escalate_due
from steelwatch.field.services.support import cameras_mark_stale
from steelwatch.geo.models import Grid
from steelwatch.registry.models import Enterprise

from .people import LOGINS

EXPERTS = [
    ("周建国", "冶金工艺", "江苏省冶金设计院"),
    ("陈慧", "电力负荷分析", "国网常州供电公司"),
    ("刘志强", "安全生产", "常州市安全生产协会"),
    ("吴敏", "钢材质量检验", "常州市产品质量监督检验所"),
    ("孙立", "法律", "常州大学法学院"),
]


def _photo(when: datetime.datetime) -> SimpleUploadedFile:
    image = Image.new("RGB", (320, 240), (120, 110, 100))
    exif = Image.Exif()
    exif[0x0132] = timezone.localtime(when).strftime("%Y:%m:%d %H:%M:%S")
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return SimpleUploadedFile("site.jpg", out.getvalue(), content_type="image/jpeg")


def _patrols(user, as_of: datetime.date) -> tuple[int, int]:
    office, officer = user("wujin"), user(next(lg.username for lg in LOGINS if lg.grid_code))
    grids = Grid.objects.filter(division__code__startswith="320412").order_by("code")
    for grid in grids:
        for sites, every in (("zombie", 30), ("watchlist", 30), ("furnace_user", 90)):
            patrol_plan_save(actor=office, grid=grid, sites=sites, every_days=every)
    own = list(Enterprise.objects.filter(grid=officer.grid).order_by("uscc"))
    patrol_plan_save(actor=office, grid=officer.grid, sites="all", every_days=60)
    visits, alerts = 0, 0
    now = timezone.now()
    for n, site in enumerate(own[:6]):
        if site.latitude is None or site.longitude is None:
            continue
        when = now - datetime.timedelta(days=3 + 20 * n, hours=2)
        dead = site.status != Enterprise.Status.OPERATING
        signs = dead and site.power_accounts.exists() and alerts == 0
        check_in = check_in_record(
            actor=officer, enterprise=site, latitude=float(site.latitude) + 0.0003,
            longitude=float(site.longitude), accuracy_m=12.0, checked_at=when,
            checklist={"production_signs": True, "power_use": True} if signs else {},
            finding="production_signs" if signs else "normal",
            note="厂房内有炉体发热和作业声" if signs else "", photos=[_photo(when)],
        )  # fmt: skip
        visits += 1
        alerts += 1 if check_in.alert_id else 0
    return visits, alerts


def _draws(user, as_of: datetime.date) -> str:
    city, office = user("changzhou"), user("wujin")
    inspection_item_save(
        actor=city, code="GY-01", name="工业产品生产许可证企业监督检查", kind="general", sampling_ratio=5,
        basis="《工业产品生产许可证管理条例》",
    )  # fmt: skip
    key = inspection_item_save(
        actor=city, code="DTG-01", name="严防“地条钢”死灰复燃专项检查", kind="key", sampling_ratio=100,
        basis="国务院办公厅关于严防“地条钢”死灰复燃的通知",
    )  # fmt: skip
    for username, department in (
        ("market", "市场监管"),
        ("industry", "工业和信息化"),
        ("police", "公安"),
        ("wujin", "区领导小组办公室"),
    ):
        inspector_enrol(actor=city, user=user(username), department=department)
    target = (
        Enterprise.objects.filter(division__code__startswith="320412", on_ledger=True)
        .order_by("uscc")
        .first()
    )
    assert target is not None  # the ledger part built 武进's enterprises
    interest_declare(
        actor=office, inspector=Inspector.objects.get(user__username="market"), enterprise=target,
        reason="配偶在该企业任财务",
    )  # fmt: skip
    filters = {"status": "operating"}
    draw = draw_freeze(actor=office, item=key, division_code="320412", target_filter=filters, targets=10)
    draw = draw_run(actor=office, draw=draw, announced_value=f"福彩3D {as_of.year}第139期：3 7 2")
    draw_publish(actor=office, draw=draw)
    draw_freeze(actor=office, item=key, division_code="320412", target_filter={"watchlist": True}, targets=3)
    return f"双随机抽取 2 次（#{draw.pk} 已公示，10 户 × 2 人）"


def _lookback(user, as_of: datetime.date) -> int:
    office = user("wujin")
    plants = list(
        Enterprise.objects.filter(
            division__code__startswith="320412", industry__in=["铸造", "特钢"], on_ledger=True
        ).order_by("uscc")[:3]
    )
    if not plants:
        return 0
    hazards = ["fixed_hook", "gas_holder", "ladle_crane"]
    found = [
        as_of - datetime.timedelta(days=30),
        as_of - datetime.timedelta(days=100),
        as_of - datetime.timedelta(days=200),
    ]
    findings = [
        hazard_record(
            actor=office, enterprise=plant, hazard=hazard, found_on=day, note="安全生产回头看现场检查发现"
        )
        for plant, hazard, day in zip(plants, hazards, found, strict=False)
    ]
    if len(findings) > 1:
        hazard_reinspect(
            actor=office,
            finding=findings[1],
            fixed=True,
            on=as_of - datetime.timedelta(days=10),
            note="已更换固定式龙门钩",
        )
    return hazards_escalate_due(today=as_of)


def _registers(user, as_of: datetime.date) -> str:
    office, city = user("wujin"), user("changzhou")
    sites = list(
        Enterprise.objects.filter(division__code__startswith="320412")
        .exclude(status="operating")
        .order_by("uscc")[:3]
    )
    for n, site in enumerate(sites):
        register_save(
            actor=office, instance=Camera(), capability="field.manage", division_code=site.division_id, action="camera",
            values={"enterprise": site, "position": ["大门", "车间北侧", "变压器房"][n], "owner": "武进区公安分局（雪亮工程）",
                    "snapshot_url": f"https://video.example.invalid/wujin/{n + 1}.jpg",
                    "last_snapshot_at": timezone.now() - datetime.timedelta(hours=2 if n else 80)},
        )  # fmt: skip
    stale = cameras_mark_stale()
    for name, field, organisation in EXPERTS:
        register_save(
            actor=city, instance=Expert(), capability="experts.manage", division_code="", action="expert",
            values={"name": name, "field": field, "organisation": organisation, "contact": "0519-8600000"},
        )  # fmt: skip
    case = Case.objects.filter(division__code__startswith="320412").order_by("pk").first()
    if case is not None:
        consultation = consultation_request(
            actor=office,
            expert=Expert.objects.get(name="周建国"),
            case=case,
            question="现场设备是否为中频感应炉？",
        )
        consultation_answer(
            actor=office,
            consultation=consultation,
            opinion="从线圈和电容柜看为中频感应炉，建议拆除。",
            answered_on=as_of,
        )
    session = register_save(
        actor=office, instance=TrainingSession(), capability="field.manage", division_code="320412", action="training",
        values={"topic": "“地条钢”识别与网格巡查", "date": as_of - datetime.timedelta(days=14), "trainer": "周建国",
                "division": office.division},
    )  # fmt: skip
    people = list(User.objects.filter(username__in=["wujin", "hutang", "hutang_grid1"]))
    attendance_record(actor=office, session=session, present=people, absent=[])
    lines = {}
    for division, category, amount in (("320412", "rewards", 200_000), ("320412", "video", 500_000),
                                       ("320412", "grid_officers", 300_000), ("320400", "rewards", 500_000),
                                       ("320400", "experts_training", 120_000), ("320400", "publicity", 80_000)):  # fmt: skip
        lines[(division, category)] = register_save(
            actor=city if division == "320400" else office, instance=BudgetLine(), capability="field.manage",
            division_code=division, action="budget_line",
            values={"year": as_of.year, "division_id": division, "category": category, "amount": Decimal(amount)},
        )  # fmt: skip
    spending_record(
        actor=office, line=lines[("320412", "video")], date=as_of - datetime.timedelta(days=5), amount=Decimal("12800"),
        description="僵尸企业视频点位维护",
    )  # fmt: skip
    return f"视频监控点 {len(sites)} 个（{stale} 个画面未更新）、专家 {len(EXPERTS)} 名、培训 1 次、预算科目 {len(lines)} 个"


def field_part(module, user, as_of: datetime.date) -> str:
    visits, alerts = _patrols(user, as_of)
    drawn = _draws(user, as_of)
    escalated = _lookback(user, as_of)
    rest = _registers(user, as_of)
    return (
        f"巡查签到 {visits} 次（{alerts} 次发现生产迹象并告警）、{PatrolPlan.objects.count()} 个巡查计划，"
        f"{drawn}，回头看隐患 {escalated} 个逾期转关停案件，{rest}；{CheckIn.objects.count()} 次签到、"
        f"{TrainingAttendance.objects.count()} 人次培训"
    )
