"""The public channel in a real browser, on a phone-size screen."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from steelwatch.tips.models import Tip

from .conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_submission_on_a_phone_then_follow_with_receipt_and_key(page, township, settings):
    settings.STEELWATCH_REGION = "320000"  # a province: the cascade asks for the city first
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{page.base_url}/public/tips/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    page.fill("#id_content", "村东头厂房每天夜里用中频炉炼钢，冒黑烟")
    page.fill("#id_address", "南夏墅街道某村东头")
    page.fill("#id_occurred", "最近一周夜里")
    assert page.locator("#id_division_code").count() == 0
    page.select_option("#id_area_1", "320400")  # 常州市: htmx redraws the cascade with its places
    page.wait_for_selector("#id_division_code")
    page.select_option("#id_division_code", township.code)
    page.fill("#id_reporter_phone", PHONE)
    page.screenshot(path=f"{settings.DATA_DIR}/tip-form-phone.png", full_page=True)
    page.click("#submit-tip")
    page.wait_for_selector("#key")
    receipt, key = page.inner_text("#receipt").strip(), page.inner_text("#key").strip()
    assert receipt.startswith("JB-") and re.fullmatch(r"([A-HJ-NP-Z2-9]{5}-){5}[A-HJ-NP-Z2-9]{5}", key)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.click("button[data-copy]")
    expect(page.locator("button[data-copy]")).to_have_text("已复制")
    assert page.evaluate("navigator.clipboard.readText()") == key
    page.screenshot(path=f"{settings.DATA_DIR}/tip-receipt-phone.png", full_page=True)
    assert Tip.objects.get(receipt=receipt).division_id == township.code

    page.click("text=查看举报进展")
    page.fill("#id_receipt", receipt)
    page.fill("#id_key", key[:-1] + ("B" if key[-1] == "A" else "A"))
    page.click("button[type=submit]")
    expect(page.locator("body")).to_contain_text("回执编号或查询密钥不正确")
    page.fill("#id_key", key.replace("-", " ").lower())  # as copied down by hand: any case, any spacing
    page.click("button[type=submit]")
    expect(page.locator("#status")).to_have_text("已受理")
    assert PHONE not in page.content()
    page.screenshot(path=f"{settings.DATA_DIR}/tip-status-phone.png", full_page=True)


def test_handler_takes_on_and_escalates_a_tip_in_the_browser(page, township, submitted):
    from conftest import login
    from steelwatch.testing import make_user

    make_user("tip_handler", "320412", username="handler_b")
    tip, _ = submitted
    login(page, "handler_b")
    page.goto(f"{page.base_url}/tips/")
    page.click(f"text={tip.receipt}")
    assert PHONE not in page.content()
    page.click("#accept")
    expect(page.locator("#tip-status")).to_have_text("核查中")
    page.click("#escalate")
    expect(page.locator("body")).to_contain_text("已立案")
    page.click("#act-reveal summary")  # the action's form is collapsed until chosen
    page.fill("#act-reveal input[name=reason]", "核实举报人身份")
    page.click("#reveal")
    expect(page.locator("#reporter-phone")).to_have_text(PHONE)
    page.go_back()
    page.screenshot(path=f"{settings.DATA_DIR}/tip-detail-staff.png", full_page=True)


def test_tip_page_shows_one_action_at_a_time_on_a_phone(browser, live_server, township, submitted):
    """#11 item 7: a handler's tip page at 390 px offers its actions collapsed; opening one closes another
    (a new tip, 4 Dec 2026: 2,063 px collapsed, 2,521 px with every form open)."""
    from conftest import action_page_heights, login, new_phone
    from steelwatch.testing import make_user

    make_user("tip_handler", "320412", username="handler_phone")
    tip, _ = submitted
    phone = new_phone(browser, live_server)
    try:
        login(phone, "handler_phone")
        collapsed, every_form = action_page_heights(phone, f"{live_server.url}/tips/{tip.pk}/", at_least=2)
    finally:
        phone.context.close()
    print(f"tip page at 390 px: {collapsed} px collapsed, {every_form} px with every form open")
    assert collapsed < every_form
