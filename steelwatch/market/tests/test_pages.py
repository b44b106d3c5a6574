"""The market pages through the browser's HTTP: the phone sample form, the steps, a round's lab workbook
(preview → confirm), the publication export and public page, the supply import; outsiders get 404."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from steelwatch.cases.tests.conftest import photo
from steelwatch.market import services
from steelwatch.market.models import Sample, SupplyRecord
from steelwatch.market.supply_excel import SUPPLY_SHEET_NAME, write_supply_template
from steelwatch.registry.models import ProductionLicence
from steelwatch.testing import make_enterprise

from .conftest import HEAT, OUT_OF_AREA_USCC

pytestmark = pytest.mark.django_db


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def scene(officer, officer2, seller, incoming):
    plan = services.plan_create(
        actor=officer, title="2026年钢筋监督抽查", year=2026, division_code="320412", place_kinds=["seller"],
        draw_count=3, testing_body="常州市产品质量监督检验所",
    )  # fmt: skip
    sampling_round = services.round_create(
        actor=officer, plan=plan, name="第一批", starts_on=datetime.date(2026, 3, 1), ends_on=datetime.date(2026, 3, 31),
        enterprises=[seller], seed="fixed",
    )  # fmt: skip
    return {"plan": plan, "round": sampling_round}


def test_phone_sample_form_records_a_sample_with_photo(client, officer, officer2, seller, scene):
    client.force_login(officer)
    page = html(client.get(reverse("market:sample_new")))
    assert 'capture="environment"' in page and officer2.username in page
    response = client.post(
        reverse("market:sample_new"),
        {
            "place_kind": "seller", "enterprise_uscc": seller.uscc, "sampled_on": "2026-03-02", "officers": [officer2.pk],
            "round_id": scene["round"].pk, "product": "hot_rolled_ribbed", "grade": "HRB400E", "diameter_mm": "20",
            "heat_number": HEAT, "manufacturer_name": "邢台某钢铁有限公司", "manufacturer_uscc": OUT_OF_AREA_USCC,
            "seal_number": "FY-1", "photos": [photo()],
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    sample = Sample.objects.get()
    assert sample.round == scene["round"] and sample.photos.count() == 1 and sample.officers.count() == 2
    detail = html(client.get(response.url))
    assert sample.code in detail and "step-results" in detail
    assert client.get(reverse("market:sample_photo", args=[sample.photos.get().pk])).status_code == 200


def test_refusal_without_a_second_officer_is_refused_then_recorded(client, officer, officer2, seller):
    client.force_login(officer)
    data = {
        "place_kind": "seller",
        "enterprise_uscc": seller.uscc,
        "sampled_on": "2026-03-02",
        "reason": "经营者拒绝抽样",
    }
    assert "officers" in html(client.post(reverse("market:refusal_new"), data))
    response = client.post(reverse("market:refusal_new"), {**data, "officers": [officer2.pk]})
    assert response.status_code == 302
    assert Sample.objects.get().state == "refused"


def _sample(officer, officer2, seller, sampling_round) -> Sample:
    return services.sample_create(
        actor=officer, place_kind="seller", enterprise=seller, product="hot_rolled_ribbed", grade="HRB400E",
        diameter_mm=20, sampled_on=datetime.date(2026, 3, 2), officers=[officer2], heat_number=HEAT,
        manufacturer_name="邢台某钢铁有限公司", manufacturer_uscc=OUT_OF_AREA_USCC, sampling_round=sampling_round,
        seal_number="FY-2026-0099",
    )  # fmt: skip


def test_round_lab_workbook_preview_confirm_then_publish(client, officer, officer2, outsider, seller, scene):
    sampling_round = scene["round"]
    sample = _sample(officer, officer2, seller, sampling_round)
    client.force_login(officer)
    template = client.get(reverse("market:round_lab_template", args=[sampling_round.pk]))
    workbook = load_workbook(io.BytesIO(template.content))
    sheet = workbook["检验结果"]
    assert sheet["A2"].value == sample.code
    for column, value in zip(
        "DEGHIJKLMNOP",
        [455, 610, 6.1, -3.2, "合格", "合格", 0.23, 0.41, 1.38, 0.068, 0.03, 0.009],
        strict=True,
    ):
        sheet[f"{column}2"] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.name = "results.xlsx"
    buffer.seek(0)
    response = client.post(reverse("market:round_lab_upload", args=[sampling_round.pk]), {"file": buffer})
    assert response.status_code == 302
    preview = html(client.get(response.url))
    assert "confirm-results" in preview and "磷 P 0.068" in preview
    assert client.post(response.url).status_code == 302
    sample.refresh_from_db()
    assert sample.verdict == "nonconforming" and sample.case_id
    round_page = html(client.get(reverse("market:round_detail", args=[sampling_round.pk])))
    assert sample.code in round_page

    client.force_login(outsider)
    for name in ("market:round_detail", "market:round_lab_template", "market:round_publication"):
        assert client.get(reverse(name, args=[sampling_round.pk])).status_code == 404
    assert client.get(reverse("market:sample_detail", args=[sample.pk])).status_code == 404

    client.force_login(officer)
    assert client.post(reverse("market:round_publish", args=[sampling_round.pk])).status_code == 302
    assert sampling_round.__class__.objects.get(pk=sampling_round.pk).state == "open"  # verdict not final yet
    services.sample_serve(actor=officer, sample=sample, served_on=datetime.date(2026, 3, 5))
    services.sample_finalize(actor=officer, sample=sample, today=datetime.date(2026, 3, 30))
    client.post(reverse("market:round_publish", args=[sampling_round.pk]))
    export = client.get(reverse("market:round_publication", args=[sampling_round.pk]))
    table = load_workbook(io.BytesIO(export.content))["抽查结果"]
    assert [c.value for c in table[1]][:4] == ["序号", "产品名称", "抽查领域", "被抽样单位"]
    assert table["J2"].value == "不合格" and "磷" in table["K2"].value
    client.logout()
    public = html(client.get(reverse("market_public:round", args=[sampling_round.pk])))
    assert (
        seller.name in public
        and "不合格" in public
        and officer.username not in public
        and sample.seal_number not in public
    )
    assert sampling_round.name in html(client.get(reverse("market_public:rounds")))


def test_round_lab_workbook_with_a_sample_not_in_the_round(
    client, officer, officer2, seller, scene, tmp_path
):
    _sample(officer, officer2, seller, scene["round"])
    client.force_login(officer)
    template = client.get(reverse("market:round_lab_template", args=[scene["round"].pk]))
    workbook = load_workbook(io.BytesIO(template.content))
    workbook["检验结果"]["A2"] = "CJ2026999999"
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.name = "r.xlsx"
    buffer.seek(0)
    response = client.post(reverse("market:round_lab_upload", args=[scene["round"].pk]), {"file": buffer})
    assert "不属于本批次" in html(client.get(response.url))


def test_supply_import_preview_confirm_and_seller_page(client, officer, outsider, seller, licence, tmp_path):
    path = write_supply_template(tmp_path / "goods.xlsx")
    workbook = load_workbook(path)
    sheet = workbook[SUPPLY_SHEET_NAME]
    sheet.append(
        [
            "进货记录",
            seller.uscc,
            "常州顺达物资贸易有限公司",
            None,
            licence.enterprise.name,
            licence.enterprise.uscc,
            licence.number,
            "ZS-001",
            "25A0102",
            "热轧带肋钢筋",
            "HRB400E",
            16,
            18.2,
            "2026-02-20",
            "苏D12345",
        ]
    )
    sheet.append(["进货记录", seller.uscc, "某物资公司", None, None, None, "XK-NONE", None, "25A0103", None, None, None,
                  "十吨", "2026-02-21", None])  # fmt: skip
    workbook.save(path)
    client.force_login(officer)
    with path.open("rb") as stream:
        response = client.post(reverse("market:supply_import"), {"file": stream})
    preview = html(client.get(response.url))
    assert "第3行" in preview and "数量(吨)" in preview and "应为数字" in preview
    sheet.delete_rows(3)
    workbook.save(path)
    with path.open("rb") as stream:
        response = client.post(reverse("market:supply_import"), {"file": stream})
    assert "confirm-import" in html(client.get(response.url))
    assert client.post(response.url).status_code == 302
    record = SupplyRecord.objects.get()
    assert any("已于 2024-02-28 过期" in f for f in record.findings)
    page = html(client.get(reverse("market:seller_detail", args=[seller.pk])))
    assert "已于 2024-02-28 过期" in page
    assert "已于 2024-02-28 过期" in html(client.get(reverse("market:supply_list") + "?flagged=1"))
    client.force_login(outsider)
    assert client.get(reverse("market:seller_detail", args=[seller.pk])).status_code == 404


def test_market_home_for_the_department_and_licence_board(
    client, officer, owner, outsider, seller, incoming, licence
):
    client.force_login(officer)
    assert (
        client.get(reverse("registry:licence_detail", args=[licence.pk])).status_code == 404
    )  # 溧阳: not ours
    licence = ProductionLicence.objects.create(
        enterprise=make_enterprise(seller.division_id), number="XK05-001-00777", scope="热轧带肋钢筋",
        valid_from=datetime.date(2020, 1, 1), valid_until=datetime.date(2024, 12, 31),
    )  # fmt: skip
    home = html(client.get(reverse("market:home")))
    assert seller.name in home and "deadlines" in home
    board = html(client.get(reverse("registry:licence_board")))
    assert "licences-expired" in board
    detail = html(client.get(reverse("registry:licence_detail", args=[licence.pk])))
    assert "已过期" in detail
    response = client.post(
        reverse("registry:licence_action", args=[licence.pk, "rectification"]),
        {
            "ordered_on": "2026-03-01",
            "deadline": "2026-04-01",
            "requirement": "补齐检验记录",
            "document": "武市监〔2026〕5号",
        },
    )
    assert response.status_code == 302 and licence.rectifications.count() == 1
    client.force_login(owner)
    assert html(client.get(reverse("market:home")))
    client.force_login(outsider)
    assert client.get(reverse("registry:licence_detail", args=[licence.pk])).status_code == 404
