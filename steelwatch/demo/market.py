"""Demo market supervision in 武进区: three steel traders of the ledger with incoming-goods records, a rolling mill
with billet sources and a month whose output exceeds its billets, a 2026 sampling plan and round with four
samples — the issue's failure (P 0.068, Agt 6.1 on HRB400E, case opened and served), a conforming one, an
underweight one and a refusal (拒检) — and a licence under rectification. Deterministic by the seed."""

import datetime
import random
from decimal import Decimal

from steelwatch.accounts.models import User
from steelwatch.accounts.roles import Department, Role
from steelwatch.accounts.services import user_create
from steelwatch.registry.licences import licence_rectification_order, licence_reminders
from steelwatch.registry.models import Enterprise, ProductionLicence
from steelwatch.registry.uscc import uscc_check_char

from .people import demo_password

TOWN = "320412100"  # 湖塘镇: the building site sampled
OUT_OF_AREA = "130500"  # 河北省邢台市: a manufacturer no user of the demo city covers
HEAT = "24B0711"


def _uscc(division: str, n: int) -> str:
    body = f"92{division[:6]}MA{n:07d}" if n < 50 else f"91{division[:6]}MA{n:07d}"
    return body + uscc_check_char(body)


def _second_officer(seed: int) -> User:
    existing = User.objects.filter(username="market2").first()
    return existing or user_create(
        username="market2",
        role=Role.DEPARTMENT_STAFF,
        division_code="320412",
        department=Department.MARKET_REGULATION,
        password=demo_password("market2", seed),
    )


def market_part(module, rng: random.Random, seed: int, as_of: datetime.date) -> str:
    services = module
    officer = User.objects.get(username="market")
    colleague = _second_officer(seed)
    traders = Enterprise.objects.filter(
        division__code__startswith="320412", status=Enterprise.Status.OPERATING, on_ledger=True
    ).order_by("division_id", "uscc")
    sellers = list(traders.filter(industry="钢材贸易")[:3])
    sellers += list(
        traders.exclude(pk__in=[e.pk for e in sellers]).filter(furnaces__isnull=True)[: 3 - len(sellers)]
    )
    licences = list(
        ProductionLicence.objects.filter(status=ProductionLicence.Status.VALID, valid_until__gte=as_of)
        .select_related("enterprise")
        .order_by("number")[:2]
    )
    expired = (
        ProductionLicence.objects.filter(valid_until__lt=as_of)
        .select_related("enterprise")
        .order_by("number")
        .first()
    )
    mill = licences[0].enterprise if licences else None
    far_name, far_uscc = "邢台某钢铁有限公司", _uscc(OUT_OF_AREA, 88)
    supplier, supplier_uscc = "常州顺达物资贸易有限公司", _uscc("320411", 77)
    records = [
        (sellers[0], dict(supplier_name=supplier, supplier_uscc=supplier_uscc, manufacturer_name=far_name,
                          manufacturer_uscc=far_uscc, licence_number="(冀)XK05-001-99999", heat_number=HEAT,
                          grade="HRB400E", diameter_mm=Decimal(20), tonnes=Decimal("32.5")))
    ]  # fmt: skip
    for i, licence in enumerate(licences):
        records.append(
            (sellers[1 + i % 2], dict(supplier_name=licence.enterprise.name, supplier_uscc=licence.enterprise.uscc,
                                      manufacturer_name=licence.enterprise.name, manufacturer_uscc=licence.enterprise.uscc,
                                      licence_number=licence.number, heat_number=f"25A0{rng.randint(100, 999)}",
                                      grade="HRB400E", diameter_mm=Decimal(rng.choice([12, 16, 20, 25])),
                                      tonnes=Decimal(rng.randint(15, 60))))
        )  # fmt: skip
    if expired:
        records.append(
            (sellers[2], dict(supplier_name=supplier, supplier_uscc=supplier_uscc, manufacturer_name=expired.enterprise.name,
                              manufacturer_uscc=expired.enterprise.uscc, licence_number=expired.number,
                              heat_number="23C0456", grade="HRB400", diameter_mm=Decimal(16), tonnes=Decimal("21.4")))
        )  # fmt: skip
    for i, (holder, fields) in enumerate(records):
        services.supply_record_create(
            actor=officer, holder=holder, product="hot_rolled_ribbed", certificate_number=f"ZB{as_of.year}{i + 1:04d}",
            received_on=as_of - datetime.timedelta(days=40 + 7 * i), **fields,
        )  # fmt: skip
    billets = 0
    if mill is not None:
        month = (as_of.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
        for i, tonnes in enumerate((Decimal(420), Decimal(380))):
            services.supply_record_create(
                actor=officer, holder=mill, kind="billets", supplier_name="江苏某钢铁集团有限公司",
                supplier_uscc=_uscc("320200", 66), heat_number=f"B{month:%y%m}{i + 1:02d}", tonnes=tonnes,
                certificate_number=f"GP{month:%Y%m}{i + 1:02d}", received_on=month + datetime.timedelta(days=5 + 10 * i),
            )  # fmt: skip
            billets += 1
        services.mill_output_record(actor=officer, mill=mill, month=month, tonnes_rolled=Decimal(1150))

    plan = services.plan_create(
        actor=officer, title=f"{as_of.year}年武进区建筑用钢筋产品质量监督抽查", year=as_of.year,
        division_code="320412", place_kinds=["seller", "site"], draw_count=2,
        sampling_body="武进区市场监督管理局", testing_body="常州市产品质量监督检验所",
    )  # fmt: skip
    sampling_round = services.round_create(
        actor=officer, plan=plan, name=f"{as_of.year}年第一批（流通领域）", starts_on=as_of - datetime.timedelta(days=30),
        ends_on=as_of + datetime.timedelta(days=30), enterprises=sellers, site_names=["武进区湖塘某安置房项目工地"],
        seed=f"demo-{seed}",
    )  # fmt: skip
    sampled_on = as_of - datetime.timedelta(days=21)
    common = dict(actor=officer, officers=[colleague], sampling_round=sampling_round, sampled_on=sampled_on,
                  product="hot_rolled_ribbed")  # fmt: skip
    failed = services.sample_create(
        place_kind="seller", enterprise=sellers[0], grade="HRB400E", diameter_mm=20, heat_number=HEAT,
        manufacturer_name=far_name, manufacturer_uscc=far_uscc, production_date=sampled_on - datetime.timedelta(days=50),
        quantity_t=Decimal("18.6"), seal_number="WJ-FY-0031", trademark="XT", **common,
    )  # fmt: skip
    services.sample_receive(
        actor=colleague, sample=failed, received_on=sampled_on + datetime.timedelta(days=1)
    )
    services.sample_results_record(
        actor=colleague, sample=failed, tested_on=sampled_on + datetime.timedelta(days=8),
        measured={"rel": "455", "rm": "610", "agt": "6.1", "weight_deviation": "-3.2", "bend": "pass",
                  "reverse_bend": "pass", "c": "0.23", "si": "0.41", "mn": "1.38", "p": "0.068", "s": "0.031", "n": "0.009"},
    )  # fmt: skip
    services.sample_serve(actor=officer, sample=failed, served_on=as_of - datetime.timedelta(days=5))
    good = None
    if licences:
        good = services.sample_create(
            place_kind="seller", enterprise=sellers[1], grade="HRB400E", diameter_mm=16, heat_number="25A0312",
            manufacturer_name=licences[0].enterprise.name, manufacturer_uscc=licences[0].enterprise.uscc,
            licence_number=licences[0].number, seal_number="WJ-FY-0032", **common,
        )  # fmt: skip
        services.sample_results_record(
            actor=colleague, sample=good, tested_on=sampled_on + datetime.timedelta(days=8),
            measured={"rel": "445", "rm": "600", "agt": "11.2", "weight_deviation": "-2.0", "bend": "pass",
                      "reverse_bend": "pass", "c": "0.21", "si": "0.45", "mn": "1.35", "p": "0.025", "s": "0.018", "ceq": "0.47"},
        )  # fmt: skip
    light = services.sample_create(
        place_kind="site", site_name="武进区湖塘某安置房项目工地", division_code=TOWN, grade="HRB400", diameter_mm=12,
        heat_number="24D0918", manufacturer_name="无标称生产企业", seal_number="WJ-FY-0033", **common,
    )  # fmt: skip
    services.sample_results_record(
        actor=colleague, sample=light, tested_on=sampled_on + datetime.timedelta(days=9),
        measured={"rel": "430", "rm": "585", "a": "19", "agt": "9.5", "weight_deviation": "-8.7", "bend": "pass"},
    )  # fmt: skip
    services.sample_refusal_record(
        actor=officer, place_kind="seller", enterprise=sellers[2], reason="经营者以负责人不在为由拒绝抽样，已告知拒检后果",
        sampled_on=sampled_on, officers=[colleague], sampling_round=sampling_round,
    )  # fmt: skip
    if licences[1:]:
        licence_rectification_order(
            actor=officer, licence=licences[1], ordered_on=as_of - datetime.timedelta(days=10),
            deadline=as_of + datetime.timedelta(days=20), requirement="出厂检验记录不全，限期补齐并完善质量管理制度",
            document=f"武市监责改〔{as_of.year}〕3号",
        )  # fmt: skip
    warned = licence_reminders(today=as_of)
    return (
        f"抽查计划 1 个、批次 1 个、样品 {3 + bool(good)} 个（其中不合格 2 个并立案，拒检 1 个），"
        f"进货记录 {len(records)} 条、钢坯来源 {billets} 条；许可证提醒 {warned['renewal'] + warned['expired']} 条；"
        f"第二名抽样人员 market2（密码 {demo_password('market2', seed)}）"
    )
