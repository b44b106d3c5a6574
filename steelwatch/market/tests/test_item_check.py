"""Issue #12 checked item by item: dates that cannot be (a service next year would push the objection window
out), a round drawn from the right fields, a lab row that contradicts its sampling record, the judge-samples
command using the record of a known sample, a rolling mill's monthly billet gap at a configurable share,
拒检 in the published table."""

import datetime
import io
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from steelwatch.cases.models import TraceNode
from steelwatch.geo.models import Division
from steelwatch.market import selectors, services
from steelwatch.market.lab_excel import LAB_SHEET_NAME
from steelwatch.market.models import RoundTarget, SupplyRecord
from steelwatch.market.services.trace import outside_area
from steelwatch.market.supply_excel import SUPPLY_SHEET_NAME, write_supply_template
from steelwatch.registry.models import Furnace, PowerAccount, ProductionLicence
from steelwatch.testing import api_client, make_enterprise, make_uscc

from .conftest import HEAT
from .test_done_means import RESULTS, SAMPLE

pytestmark = pytest.mark.django_db
JSON = "application/json"


def _loc(response) -> list[str]:
    assert response.status_code == 422, response.content
    return [item["loc"][-1] for item in response.json()["detail"]]


def test_days_in_the_future_or_before_the_step_they_follow_are_refused(officer, officer2, seller, incoming):
    api = api_client(officer)
    today = timezone.localdate()
    tomorrow = (today + datetime.timedelta(days=1)).isoformat()
    base = {**SAMPLE, "enterprise_uscc": seller.uscc, "officers": [officer2.username]}
    future = api.post("/api/v1/samples", {**base, "sampled_on": tomorrow}, content_type=JSON)
    assert _loc(future) == ["sampled_on"] and "晚于今天" in future.json()["detail"][0]["msg"]

    sample_id = api.post("/api/v1/samples", base, content_type=JSON).json()["id"]
    assert api.post(f"/api/v1/samples/{sample_id}/results", RESULTS, content_type=JSON).status_code == 200
    # served next year would open a window ending next year; served before sampling cannot be
    for served_on in (tomorrow, "2026-03-01"):
        response = api.post(f"/api/v1/samples/{sample_id}/serve", {"served_on": served_on}, content_type=JSON)
        assert _loc(response) == ["served_on"]
    assert api.get(f"/api/v1/samples/{sample_id}").json()["objection_deadline"] is None
    served = api.post(
        f"/api/v1/samples/{sample_id}/serve", {"served_on": today.isoformat()}, content_type=JSON
    ).json()
    assert served["objection_deadline"] == (today + datetime.timedelta(days=15)).isoformat()
    retest = api.post(
        f"/api/v1/samples/{sample_id}/retest",
        {"requested_on": tomorrow, "retest_body": "江苏省产品质量监督检验研究院"},
        content_type=JSON,
    )
    assert _loc(retest) == ["requested_on"]

    goods = api.post(
        "/api/v1/incoming-goods",
        {
            "seller_uscc": seller.uscc,
            "supplier_name": "常州顺达物资贸易有限公司",
            "heat_number": "25A0001",
            "tonnes": "3",
            "received_on": tomorrow,
        },
        content_type=JSON,
    )
    assert _loc(goods) == ["received_on"]


def test_a_goods_workbook_row_dated_tomorrow_is_refused_at_its_cell(officer, seller, tmp_path):
    path = write_supply_template(tmp_path / "goods.xlsx")
    workbook = load_workbook(path)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    workbook[SUPPLY_SHEET_NAME].append(
        ["进货记录", seller.uscc, "某物资公司", None, None, None, "XK05-001-1", None, "25A0103", None, None, None,
         5, tomorrow.isoformat(), None]
    )  # fmt: skip
    workbook.save(path)
    result = services.supply_import(path=path, actor=officer)
    assert not result.ok and SupplyRecord.objects.count() == 0
    (error,) = result.errors
    assert (error.sheet, error.row, error.column) == (SUPPLY_SHEET_NAME, 2, "进货日期")
    assert "晚于今天" in error.message


@pytest.fixture
def field_scene(officer, seller, incoming, township):
    """In 武进区: the seller with its goods record, a rolling mill declaring billets, a licensed producer,
    and an enterprise that neither sells steel nor produces it."""
    mill = make_enterprise(township.code, name="武进某轧钢厂", industry="钢压延加工")
    services.supply_record_create(
        actor=officer, holder=mill, kind="billets", supplier_name="某钢坯贸易公司", heat_number="B-1",
        tonnes="100", received_on=datetime.date(2026, 1, 5),
    )  # fmt: skip
    producer = make_enterprise(township.code, name="武进某钢铁有限公司", industry="炼钢")
    ProductionLicence.objects.create(
        enterprise=producer, number="XK05-001-20001", scope="钢筋混凝土用热轧带肋钢筋",
        valid_from=datetime.date(2023, 1, 1), valid_until=datetime.date(2027, 12, 31),
    )  # fmt: skip
    other = make_enterprise(township.code, name="武进某五金店", industry="五金")
    return {"seller": seller, "mill": mill, "producer": producer, "other": other}


def _plan(officer, kinds, *, random_draw=False, draw_count=5):
    return services.plan_create(
        actor=officer, title="2026年钢筋监督抽查", year=2026, division_code="320412", place_kinds=kinds,
        random_draw=random_draw, draw_count=draw_count,
    )  # fmt: skip


def test_a_round_drawn_on_the_page_takes_each_unit_in_its_own_field(client, officer, field_scene):
    plan = _plan(officer, ["producer", "seller", "site"])
    client.force_login(officer)
    page = client.get(reverse("market:round_new")).content.decode()
    assert "Select an option" not in page and "请选择" in page
    response = client.post(
        reverse("market:round_new"),
        {"plan": plan.pk, "name": "第一批", "starts_on": "2026-03-01", "ends_on": "2026-03-31",
         "candidates": "", "site_names": "武进区湖塘某安置房项目工地"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    targets = {
        (t.enterprise.name if t.enterprise else t.site_name): t.place_kind
        for t in RoundTarget.objects.select_related("enterprise")
    }
    assert targets == {
        field_scene["seller"].name: "seller",
        field_scene["mill"].name: "producer",
        field_scene["producer"].name: "producer",
        "武进区湖塘某安置房项目工地": "site",
    }
    round_page = client.get(response.url).content.decode()
    assert "生产企业：" in round_page and "建筑工地：" in round_page
    sellers = client.get(reverse("market:home")).content.decode().split('id="sellers"')[1]
    assert field_scene["producer"].name in sellers  # a drawn unit, no records of its own yet
    assert field_scene["other"].name not in sellers

    sellers_only = _plan(officer, ["seller"])
    names = {e.name for e in selectors.round_candidates(officer, sellers_only)}
    assert names == {field_scene["seller"].name}
    with pytest.raises(Exception, match="不抽查建筑工地"):
        services.round_create(
            actor=officer, plan=sellers_only, name="x", starts_on=datetime.date(2026, 3, 1),
            ends_on=datetime.date(2026, 3, 2), site_names=["某工地"],
        )  # fmt: skip


def test_a_random_draw_is_repeatable_from_its_seed(officer, field_scene):
    plan = _plan(officer, ["producer", "seller"], random_draw=True, draw_count=2)
    pool = list(selectors.round_candidates(officer, plan))
    assert len(pool) == 3

    def drawn(seed):
        sampling_round = services.round_create(
            actor=officer, plan=plan, name=seed, starts_on=datetime.date(2026, 3, 1),
            ends_on=datetime.date(2026, 3, 31), enterprises=pool, seed=seed,
        )  # fmt: skip
        assert sampling_round.draw_seed == seed
        return sorted(t.enterprise_id for t in sampling_round.targets.all())

    first = drawn("seed-a")
    assert len(first) == 2 and set(first) <= {e.pk for e in pool}
    assert drawn("seed-a") == first
    assert len({tuple(drawn(f"seed-{i}")) for i in range(8)}) > 1  # the seed decides, not the order


def _round_with_sample(officer, officer2, seller, **extra):
    plan = _plan(officer, ["seller"])
    sampling_round = services.round_create(
        actor=officer, plan=plan, name="第一批", starts_on=datetime.date(2026, 3, 1),
        ends_on=datetime.date(2026, 3, 31), enterprises=[seller],
    )  # fmt: skip
    sample = services.sample_create(
        actor=officer, officers=[officer2], place_kind="seller", enterprise=seller, product="hot_rolled_ribbed",
        grade="HRB400E", diameter_mm=Decimal(20), sampled_on=datetime.date(2026, 3, 2), heat_number=HEAT,
        sampling_round=sampling_round, **extra,
    )  # fmt: skip
    return sampling_round, sample


def _upload(client, sampling_round, workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.name = "results.xlsx"
    buffer.seek(0)
    response = client.post(reverse("market:round_lab_upload", args=[sampling_round.pk]), {"file": buffer})
    return response.url


def test_a_lab_row_must_repeat_the_grade_and_diameter_that_were_sampled(
    client, officer, officer2, seller, incoming
):
    sampling_round, sample = _round_with_sample(officer, officer2, seller)
    client.force_login(officer)
    template = client.get(reverse("market:round_lab_template", args=[sampling_round.pk]))
    workbook = load_workbook(io.BytesIO(template.content))
    sheet = workbook[LAB_SHEET_NAME]
    assert (sheet["B2"].value, sheet["C2"].value) == ("HRB400E", 20)
    # the lab typed HRB400 and 22 mm: judged so, the bar would pass on Agt 8.0 (400 needs 7.5, 400E 9.0)
    sheet["B2"], sheet["C2"], sheet["D2"], sheet["E2"], sheet["G2"] = "HRB400", 22, 455, 610, 8.0
    url = _upload(client, sampling_round, workbook)
    preview = client.get(url).content.decode()
    assert "抽样单记录的牌号为 HRB400E" in preview and "抽样单记录的公称直径为 20 mm" in preview
    assert "confirm-results" not in preview
    assert client.post(url).status_code == 200  # confirm refused: nothing recorded
    sample.refresh_from_db()
    assert sample.state == "sampled" and sample.verdict == ""

    sheet["B2"], sheet["C2"] = "HRB400E", 20
    url = _upload(client, sampling_round, workbook)
    assert client.post(url).status_code == 302
    sample.refresh_from_db()
    assert sample.verdict == "nonconforming" and [f["item"] for f in sample.failed] == ["agt"]


def test_judge_samples_uses_the_record_of_a_known_sample(tmp_path, officer, officer2, seller, incoming):
    _, sample = _round_with_sample(
        officer, officer2, seller, production_date=datetime.date(2024, 5, 1), licence_number="XK05-001-99999"
    )
    path = tmp_path / "lab.xlsx"
    call_command("sampling_template", str(path), stdout=StringIO())
    workbook = load_workbook(path)
    sheet = workbook[LAB_SHEET_NAME]
    sheet.append([sample.code, "HRB400E", 20, 455, 610, None, 6.1, -3.2, "合格", "合格",
                  0.23, 0.41, 1.38, 0.068, 0.031, 0.009, None])  # fmt: skip
    sheet.append(["LAB-ONLY-1", "HRB500", 25, 520, 660, 16, 8.0, -2.0, "合格", None,
                  0.22, 0.4, 1.4, 0.03, 0.02, 0.008, None])  # fmt: skip
    workbook.save(path)
    out = StringIO()
    call_command("judge_samples", str(path), "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["ok"] is True
    known, unknown = result["results"]
    assert known["failed"] == ["agt", "p"] and known["suspect"] is True
    # the record adds what the label said: licence XK05-001-99999 is not in the register
    assert any("XK05-001-99999 不在许可证登记中" in r for r in known["reasons"])
    assert unknown == {
        "row": 3, "sample": "LAB-ONLY-1", "verdict": "conforming", "failed": [], "suspect": False, "reasons": []
    }  # fmt: skip

    sheet["C2"] = 16
    workbook.save(path)
    out = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("judge_samples", str(path), "--json", stdout=out)
    assert refused.value.returncode == 1
    (error,) = json.loads(out.getvalue())["errors"]
    assert (error["sheet"], error["row"], error["column"]) == (LAB_SHEET_NAME, 2, "公称直径(mm)")


def test_a_mills_month_rolling_more_than_its_billets_is_flagged_at_the_configured_share(
    client, officer, outsider, field_scene
):
    mill = field_scene["mill"]  # 100 t of billets bought in January 2026
    services.supply_record_create(
        actor=officer, holder=mill, kind="billets", supplier_name="某钢坯贸易公司", heat_number="B-2",
        tonnes="100", received_on=datetime.date(2026, 2, 3),
    )  # fmt: skip
    client.force_login(officer)
    url = reverse("market:seller_detail", args=[mill.pk])
    for month, tonnes in (("2026-01-20", "105"), ("2026-02-11", "120")):
        assert client.post(url, {"month": month, "tonnes_rolled": tonnes}).status_code == 302
    rows = {row["month"]: row for row in selectors.billet_balance(mill)}
    january, february = rows[datetime.date(2026, 1, 1)], rows[datetime.date(2026, 2, 1)]
    assert (january["gap_t"], january["flagged"]) == (Decimal("5.000"), False)
    assert (february["gap_t"], february["flagged"]) == (Decimal("20.000"), True)
    page = client.get(url).content.decode()
    assert page.count('class="flagged"') == 1 and "来源不明" in page and "10%" in page

    with override_settings(MARKET_BILLET_GAP_SHARE=Decimal("0.25")):
        assert not any(row["flagged"] for row in selectors.billet_balance(mill))
        assert 'class="flagged"' not in client.get(url).content.decode()
    with override_settings(MARKET_BILLET_GAP_SHARE=Decimal("0")):
        assert all(row["flagged"] for row in selectors.billet_balance(mill))

    client.force_login(outsider)
    assert client.post(url, {"month": "2026-03-01", "tonnes_rolled": "1"}).status_code == 404


def test_a_refusal_is_published_as_refused_without_who_refused_or_why(client, officer, officer2, seller):
    plan = _plan(officer, ["seller"])
    sampling_round = services.round_create(
        actor=officer, plan=plan, name="第二批", starts_on=datetime.date(2026, 3, 1),
        ends_on=datetime.date(2026, 3, 31), enterprises=[seller],
    )  # fmt: skip
    services.sample_refusal_record(
        actor=officer, officers=[officer2], place_kind="seller", enterprise=seller, sampled_on=datetime.date(2026, 3, 4),
        reason="负责人张三拒绝在抽样单上签字并阻止抽样", sampling_round=sampling_round,
    )  # fmt: skip
    services.round_publish(actor=officer, sampling_round=sampling_round)
    client.force_login(officer)
    export = client.get(reverse("market:round_publication", args=[sampling_round.pk]))
    table = load_workbook(io.BytesIO(export.content))["抽查结果"]
    header = [c.value for c in table[1]]
    assert header == [
        "序号", "产品名称", "抽查领域", "被抽样单位", "统一社会信用代码", "标称生产企业", "生产日期/批号", "规格型号",
        "商标", "抽查结果", "不合格项目", "承检机构", "备注",
    ]  # fmt: skip
    row = dict(zip(header, [c.value for c in table[2]], strict=True))
    assert row["被抽样单位"] == seller.name and row["抽查领域"] == "流通领域" and row["备注"] == "拒检"
    client.logout()
    public = client.get(reverse("market_public:round", args=[sampling_round.pk])).content.decode()
    assert seller.name in public and "拒检" in public
    assert "张三" not in public and officer.username not in public and officer2.username not in public


def test_the_trace_follows_a_ledger_manufacturer_to_its_furnaces_power_and_billets(
    settings, officer, officer2, seller, township
):
    """A manufacturer on the ledger (溧阳, in the city): its furnace, power account and the billets of that heat
    join the graph; a manufacturer outside the region gets the transfer suggestion, one inside it does not."""

    settings.STEELWATCH_REGION = "320400"
    liyang = Division.objects.filter(parent_id="320481").order_by("code").first()
    maker = make_enterprise(liyang.code, name="溧阳某特钢有限公司", industry="炼钢")
    Furnace.objects.create(enterprise=maker, number="ZP-1", kind="medium_freq", capacity_t=5, rated_kw=3000)
    PowerAccount.objects.create(
        account_id="3204810001", enterprise=maker, division=liyang, contracted_kva=4000
    )
    services.supply_record_create(
        actor=officer, holder=seller, supplier_name="常州顺达物资贸易有限公司", supplier_uscc=make_uscc("320411"),
        manufacturer_name=maker.name, manufacturer_uscc=maker.uscc, licence_number="XK05-001-30001",
        heat_number="H2-0311", tonnes="12.5", received_on=datetime.date(2026, 2, 1),
    )  # fmt: skip
    SupplyRecord.objects.create(
        kind="billets", holder=maker, supplier_name="某废钢回收站", heat_number="H2-0311", tonnes="14",
        received_on=datetime.date(2026, 1, 20),
    )  # fmt: skip
    api = api_client(officer)
    sample = {**SAMPLE, "enterprise_uscc": seller.uscc, "officers": [officer2.username], "heat_number": "H2-0311",
              "manufacturer_name": maker.name, "manufacturer_uscc": maker.uscc}  # fmt: skip
    sample_id = api.post("/api/v1/samples", sample, content_type=JSON).json()["id"]
    body = api.post(f"/api/v1/samples/{sample_id}/results", RESULTS, content_type=JSON).json()
    assert any("中(工)频炉 1 台" in r for r in body["reasons"])
    trace = api.get(f"/api/v1/cases/{body['case_id']}/trace").json()
    kinds = {n["label"]: n["kind"] for n in trace["nodes"]}
    assert kinds == {
        seller.name: "buyer", "常州顺达物资贸易有限公司": "enterprise", maker.name: "source",
        f"{maker.name} ZP-1": "furnace", "电力户号 3204810001": "power_account", "某废钢回收站": "source",
    }  # fmt: skip
    ids = {n["label"]: n["id"] for n in trace["nodes"]}
    edges = {(e["source"], e["target"]): e["tonnes"] for e in trace["edges"]}
    assert Decimal(edges[ids["常州顺达物资贸易有限公司"], ids[seller.name]]) == Decimal("12.5")
    assert Decimal(edges[ids[maker.name], ids["常州顺达物资贸易有限公司"]]) == Decimal("12.5")
    assert Decimal(edges[ids["某废钢回收站"], ids[maker.name]]) == Decimal("14")
    assert (ids[f"{maker.name} ZP-1"], ids[maker.name]) in edges
    assert (ids["电力户号 3204810001"], ids[maker.name]) in edges
    assert "建议移交" not in TraceNode.objects.get(label=maker.name).note

    assert outside_area(make_uscc("320481")) is False  # in the city, merely not on the ledger
    far = outside_area(make_uscc("130500"))
    assert far is not False and far.code == "130500"
    settings.STEELWATCH_REGION = "320412"  # a district deployment: the next district is outside it
    assert outside_area(make_uscc("320481")).code == "320481"


def test_a_retest_of_some_items_leaves_the_others_failed_and_weight_as_first_measured(
    officer, officer2, seller, incoming
):
    """First test: P and Agt fail. The reserve sample is re-tested for P only (passes): Agt's failure, not
    re-tested, stands; a weight deviation sent with the re-test is not taken (never re-tested)."""
    api = api_client(officer)
    today = timezone.localdate()
    base = {**SAMPLE, "enterprise_uscc": seller.uscc, "officers": [officer2.username]}
    sample_id = api.post("/api/v1/samples", base, content_type=JSON).json()["id"]
    first = api.post(f"/api/v1/samples/{sample_id}/results", RESULTS, content_type=JSON).json()
    assert first["failed"] == ["agt", "p"]
    api.post(f"/api/v1/samples/{sample_id}/serve", {"served_on": today.isoformat()}, content_type=JSON)
    api.post(
        f"/api/v1/samples/{sample_id}/retest",
        {"requested_on": today.isoformat(), "retest_body": "江苏省产品质量监督检验研究院"},
        content_type=JSON,
    )
    final = api.post(
        f"/api/v1/samples/{sample_id}/retest-results",
        {"p": 0.041, "weight_deviation_pct": -9.0},
        content_type=JSON,
    ).json()
    assert final["verdict"] == "nonconforming" and final["failed"] == ["agt"]
    detail = api.get(f"/api/v1/samples/{sample_id}").json()
    assert detail["state"] == "final" and detail["failed"][0]["value"] == "6.1"
    assert "沿用初检结果" in detail["notes"][0] and "重量偏差" in detail["notes"][0]

    again = api.post("/api/v1/samples", base, content_type=JSON).json()["id"]
    api.post(f"/api/v1/samples/{again}/results", {**RESULTS, "agt_pct": 10.2}, content_type=JSON)
    api.post(f"/api/v1/samples/{again}/serve", {"served_on": today.isoformat()}, content_type=JSON)
    api.post(
        f"/api/v1/samples/{again}/retest",
        {"requested_on": today.isoformat(), "retest_body": "江苏省产品质量监督检验研究院"},
        content_type=JSON,
    )
    passed = api.post(f"/api/v1/samples/{again}/retest-results", {"p": 0.040}, content_type=JSON).json()
    assert passed["verdict"] == "conforming" and passed["failed"] == []


def _supply_cli(*args) -> tuple[int, dict]:
    out = StringIO()
    try:
        call_command("import_supply", *args, "--json", stdout=out)
        code = 0
    except CommandError as error:
        code = error.returncode
    return code, json.loads(out.getvalue())


def test_import_supply_on_the_command_line_screens_every_record(tmp_path, officer, seller, licence):
    path = tmp_path / "goods.xlsx"
    call_command("supply_template", str(path), stdout=StringIO())
    workbook = load_workbook(path)
    workbook[SUPPLY_SHEET_NAME].append(
        ["进货记录", seller.uscc, "常州顺达物资贸易有限公司", None, licence.enterprise.name, licence.enterprise.uscc,
         licence.number, "ZS-9", "25A0109", "热轧带肋钢筋", "HRB400E", 16, 20.5, "2026-02-20", None]
    )  # fmt: skip
    workbook.save(path)
    code, result = _supply_cli(str(path))
    assert code == 1 and result["ok"] is False and "--user" in result["errors"][0]["message"]
    assert _supply_cli(str(path), "--user", officer.username, "--dry-run") == (
        0, {"ok": True, "created": 1, "updated": 0, "errors": []}
    )  # fmt: skip
    assert SupplyRecord.objects.count() == 0
    code, result = _supply_cli(str(path), "--user", officer.username)
    assert code == 0 and result["created"] == 1
    record = SupplyRecord.objects.get()
    assert record.holder == seller and f"生产许可证 {licence.number} 已于 2024-02-28 过期" in record.findings


def test_a_manufacturer_on_the_credit_list_is_a_reason_for_suspicion(
    owner, officer, officer2, seller, incoming
):
    """The sample's nominal manufacturer is on the credit list (same USCC): a reason for the 地条钢 suspicion,
    kept apart from the verdict — a conforming bar stays 合格 and is suspected all the same."""
    from steelwatch.credit.tests.conftest import listed_entry

    entry = listed_entry(owner, name="常州市武进区鑫达特钢有限公司")
    api = api_client(officer)
    sample = {**SAMPLE, "enterprise_uscc": seller.uscc, "officers": [officer2.username],
              "manufacturer_name": entry.name, "manufacturer_uscc": entry.uscc}  # fmt: skip
    sample_id = api.post("/api/v1/samples", sample, content_type=JSON).json()["id"]
    good = {**RESULTS, "agt_pct": 10.5, "p": 0.03}
    body = api.post(f"/api/v1/samples/{sample_id}/results", good, content_type=JSON).json()
    assert body["verdict"] == "conforming" and body["failed"] == [] and body["case_id"] is None
    assert body["suspect"] is True
    assert any(r.startswith(f"标称生产企业{entry.name}") and "信用" in r for r in body["reasons"]), body[
        "reasons"
    ]


def test_a_ledger_units_sample_belongs_to_the_units_own_division(officer, officer2, seller, township):
    api = api_client(officer)
    base = {**SAMPLE, "enterprise_uscc": seller.uscc, "officers": [officer2.username]}
    elsewhere = Division.objects.filter(parent_id="320412").exclude(code=township.code).first()
    wrong = api.post("/api/v1/samples", {**base, "division_code": elsewhere.code}, content_type=JSON)
    assert _loc(wrong) == ["division_code"] and seller.name in wrong.json()["detail"][0]["msg"]
    sample_id = api.post("/api/v1/samples", {**base, "division_code": "320412"}, content_type=JSON).json()[
        "id"
    ]
    assert api.get(f"/api/v1/samples/{sample_id}").json()["division_code"] == seller.division_id


def test_a_label_naming_another_manufacturer_than_the_record_keeps_both_and_is_suspect(
    officer, officer2, seller, incoming
):
    """The incoming-goods record of the heat names 邢台某钢铁 (outside the region); the label names another,
    unknown mill: both are in the graph (the record's with the tonnes, the label's as 标称), and the mismatch
    is a reason for suspicion."""
    api = api_client(officer)
    sample = {**SAMPLE, "enterprise_uscc": seller.uscc, "officers": [officer2.username],
              "manufacturer_name": "无锡某某钢厂", "manufacturer_uscc": make_uscc("320205")}  # fmt: skip
    sample_id = api.post("/api/v1/samples", sample, content_type=JSON).json()["id"]
    body = api.post(f"/api/v1/samples/{sample_id}/results", RESULTS, content_type=JSON).json()
    assert any(
        "进货记录所载生产企业（邢台某钢铁有限公司）与标牌标称生产企业（无锡某某钢厂）不符" in r
        for r in body["reasons"]
    )
    trace = api.get(f"/api/v1/cases/{body['case_id']}/trace").json()
    ids = {n["label"]: n["id"] for n in trace["nodes"]}
    assert set(ids) == {seller.name, incoming.supplier_name, "邢台某钢铁有限公司", "无锡某某钢厂"}
    edges = {(e["source"], e["target"]): e["tonnes"] for e in trace["edges"]}
    assert Decimal(edges[ids["邢台某钢铁有限公司"], ids[incoming.supplier_name]]) == Decimal("32.5")
    assert edges[ids["无锡某某钢厂"], ids[seller.name]] is None
    notes = dict(TraceNode.objects.filter(case_id=body["case_id"]).values_list("label", "note"))
    assert "建议移交" in notes["邢台某钢铁有限公司"] and "与进货记录不符" in notes["无锡某某钢厂"]
