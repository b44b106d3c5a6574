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
