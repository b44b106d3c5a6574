"""The ledger in a real Chromium: log in, filter, open an enterprise, edit it; then the same pages at phone size."""

import re
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from conftest import login, new_context
from steelwatch.registry.models import Enterprise, Furnace
from steelwatch.testing import make_enterprise

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def township_ledger(owner):
    target = make_enterprise(
        "320412001",
        name="武进精密铸造有限公司",
        is_foundry=True,
        address="湖塘镇工业路8号",
        longitude=Decimal("119.958000"),
        latitude=Decimal("31.701000"),
    )
    Furnace.objects.create(enterprise=target, number="ZP-01", kind="medium_freq", capacity_t=2, rated_kw=1500)
    for n in range(12):
        make_enterprise(
            "320412001",
            name=f"武进邻近企业{n:02d}",
            longitude=Decimal(f"119.9{40 + n}000"),
            latitude=Decimal(f"31.6{90 + n % 7}000"),
        )
    make_enterprise("320412002", name="西湖街道停产钢厂", status="idle")
    return target


def test_filter_open_and_edit_an_enterprise(page, owner, township_ledger):
    login(page, "owner")
    page.goto(f"{page.base_url}/ledger/")
    expect(page.locator("table.ledger tbody tr")).to_have_count(14)
    page.fill("input[name=q]", "精密铸造")  # htmx refreshes the results as one types
    expect(page.locator("table.ledger tbody tr")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"[?&]q="))  # the filter is in the address: shared and reloaded
    page.select_option("select[name=status]", "operating")
    expect(page).to_have_url(re.compile(r"[?&]status=operating"))
    expect(page.locator("table.ledger tbody tr")).to_have_count(1)
    page.click("text=武进精密铸造有限公司")
    page.wait_for_selector("#enterprise-map canvas")
    expect(page.locator("body")).to_contain_text("ZP-01")
    expect(page.locator("body")).to_contain_text("离线部署无地图底图")

    page.click("#edit-enterprise")
    page.fill("input[name=name]", "武进精密铸造股份有限公司")
    page.fill("input[name=reason]", "企业改制更名")
    page.click("button[type=submit].primary")
    page.wait_for_selector("text=已保存")
    assert "企业名称</b>：武进精密铸造有限公司 → 武进精密铸造股份有限公司" in page.content()
    assert Enterprise.objects.get(pk=township_ledger.pk).name == "武进精密铸造股份有限公司"
    page.screenshot(path=f"{django_settings.DATA_DIR}/ledger-enterprise-desktop.png", full_page=True)


def test_phone_layout(browser, live_server, owner, township_ledger):
    context = new_context(
        browser,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    phone = context.new_page()
    phone.base_url = live_server.url
    try:
        login(phone, "owner")
        assert not phone.locator(".nav").is_visible()  # the menu is collapsed behind ☰
        phone.click(".nav-toggle")
        expect(phone.locator(".nav")).to_be_visible()
        phone.screenshot(path=f"{django_settings.DATA_DIR}/phone-menu.png")
        phone.goto(f"{phone.base_url}/ledger/")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the ledger page scrolls sideways on a phone ({width}px)"
        phone.screenshot(path=f"{django_settings.DATA_DIR}/phone-ledger.png", full_page=True)
        phone.goto(f"{phone.base_url}/ledger/enterprises/{township_ledger.pk}/")
        phone.wait_for_selector("#enterprise-map canvas")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.screenshot(path=f"{django_settings.DATA_DIR}/phone-enterprise.png", full_page=True)
    finally:
        context.close()
