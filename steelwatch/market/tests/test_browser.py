"""The phone sample form in a real Chromium at 390 px: a sampling officer records a sample with a colleague
and a photo, then enters the lab results on the sample page; nothing scrolls sideways."""

import io

import pytest
from django.conf import settings as django_settings
from PIL import Image

from conftest import login
from steelwatch.market.models import Sample

from .conftest import HEAT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "gray").save(out, "JPEG")
    return out.getvalue()


def test_phone_sample_form(browser, live_server, officer, officer2, seller, incoming):
    context = browser.new_context(
        locale="zh-CN",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    phone = context.new_page()
    phone.base_url = live_server.url
    try:
        login(phone, officer.username)
        phone.goto(f"{phone.base_url}/market/")
        phone.click("#new-sample")
        phone.wait_for_selector("#sample-form")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.select_option("select[name=place_kind]", "seller")
        phone.fill("input[name=enterprise_uscc]", seller.uscc)
        phone.check(f"input[name=officers][value='{officer2.pk}']")
        phone.select_option("select[name=grade]", "HRB400E")
        phone.fill("input[name=diameter_mm]", "20")
        phone.fill("input[name=heat_number]", HEAT)
        phone.fill("input[name=manufacturer_name]", "邢台某钢铁有限公司")
        phone.fill("input[name=seal_number]", "FY-2026-0031")
        phone.set_input_files(
            "input[name=photos]", files=[{"name": "seal.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}]
        )
        phone.screenshot(path=f"{django_settings.DATA_DIR}/phone-sample-form.png", full_page=True)
        phone.click("#sample-form button.primary")
        phone.wait_for_load_state("networkidle")
        errors = phone.locator(".has-error").all_inner_texts()
        assert not errors, errors
        phone.wait_for_selector("#sample-state")
        sample = Sample.objects.get()
        assert sample.officers.count() == 2 and sample.photos.count() == 1
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.click("#step-results summary")
        phone.fill("#step-results input[name=rel]", "455")
        phone.fill("#step-results input[name=rm]", "610")
        phone.fill("#step-results input[name=agt]", "6.1")
        phone.fill("#step-results input[name=p]", "0.068")
        phone.click("#step-results button.primary")
        phone.wait_for_selector("#failed-items")
        content = phone.content()
        assert "磷 P" in content and "最大力总延伸率 Agt" in content and "suspicion" in content
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.screenshot(path=f"{django_settings.DATA_DIR}/phone-sample-verdict.png", full_page=True)
        sample.refresh_from_db()
        assert sample.verdict == "nonconforming" and sample.case_id
    finally:
        context.close()


def test_a_market_officers_pages_fit_a_phone_with_their_rows(
    browser, live_server, officer, officer2, seller, incoming
):
    """The market-regulation user's pages with data in them — home (rounds, samples, deadlines, sellers), a
    round, a failed sample, a mill's billet balance, the licence list — scroll only inside their tables."""
    import datetime

    from conftest import new_phone
    from steelwatch.market import services
    from steelwatch.registry.models import ProductionLicence
    from steelwatch.testing import make_enterprise

    plan = services.plan_create(
        actor=officer, title="2026年武进区建筑用钢筋产品质量监督抽查（流通领域）", year=2026, division_code="320412",
        place_kinds=["seller", "producer"], testing_body="常州市产品质量监督检验所",
    )  # fmt: skip
    mill = make_enterprise(seller.division_id, name="常州市武进区某某特种钢铁轧钢有限责任公司" * 2)
    services.supply_record_create(
        actor=officer, holder=mill, kind="billets", supplier_name="某某再生资源回收利用有限公司" * 3,
        heat_number="B-2026-000000000001", tonnes="100", received_on=datetime.date(2026, 1, 5),
    )  # fmt: skip
    services.mill_output_record(
        actor=officer, mill=mill, month=datetime.date(2026, 1, 1), tonnes_rolled="140"
    )
    ProductionLicence.objects.create(
        enterprise=mill, number="XK05-001-000000000009", scope="钢筋混凝土用热轧带肋钢筋（HRB400E、HRB500E）",
        valid_from=datetime.date(2021, 1, 1), valid_until=datetime.date(2025, 12, 31),
    )  # fmt: skip
    sampling_round = services.round_create(
        actor=officer, plan=plan, name="第一批", starts_on=datetime.date(2026, 3, 1),
        ends_on=datetime.date(2026, 3, 31), enterprises=[seller, mill],
    )  # fmt: skip
    sample = services.sample_create(
        actor=officer, officers=[officer2], place_kind="seller", enterprise=seller, product="hot_rolled_ribbed",
        grade="HRB400E", diameter_mm=20, sampled_on=datetime.date(2026, 3, 2), heat_number=HEAT,
        manufacturer_name="邢台某某钢铁集团特种钢筋制造有限责任公司", sampling_round=sampling_round,
    )  # fmt: skip
    services.sample_results_record(
        actor=officer, sample=sample, measured={"rel": 455, "rm": 610, "agt": 6.1, "p": 0.068, "weight_deviation": -7},
        tested_on=datetime.date(2026, 3, 10),
    )  # fmt: skip
    services.sample_serve(actor=officer, sample=sample, served_on=datetime.date.today())
    phone = new_phone(browser, live_server)
    wide = []
    try:
        login(phone, officer.username)
        for url in (
            "/market/", "/market/samples/", f"/market/samples/{sample.pk}/", f"/market/rounds/{sampling_round.pk}/",
            "/market/rounds/", "/market/goods/", f"/market/sellers/{mill.pk}/", f"/market/sellers/{seller.pk}/",
            "/ledger/licences/", "/market/goods/new/", "/market/samples/refusal/",
        ):  # fmt: skip
            response = phone.goto(f"{phone.base_url}{url}")
            assert response.status == 200, url
            if (width := phone.evaluate("document.documentElement.scrollWidth")) > 391:
                wide.append(f"{url}: {width}px")
        phone.goto(f"{phone.base_url}/market/")
        deadlines = phone.locator("#deadlines").inner_text()
        deadline = datetime.date.today() + datetime.timedelta(days=15)
        assert deadlines.count(sample.code) == 1 and deadline.isoformat() in deadlines, deadlines
    finally:
        phone.context.close()
    assert not wide, "pages that scroll sideways on a phone:\n" + "\n".join(wide)
