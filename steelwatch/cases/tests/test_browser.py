"""The key steps in a real browser: evidence upload and sign-off on the case page, then the grid officer's
revisit on a phone-size screen with a photo."""

from pathlib import Path

import pytest
from django.conf import settings

from conftest import login
from steelwatch.cases import services
from steelwatch.cases.models import Case, ClosureCheck

from .conftest import jpeg_bytes, photo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_evidence_sign_off_and_revisit_in_the_browser(page, browser, live_server, scene, alert_case, owner):
    Case.objects.filter(pk=alert_case.pk).update(state="closing")
    alert_case.refresh_from_db()
    for item in ClosureCheck.values:
        if item != "plant_cleared":
            services.closure_evidence_add(
                actor=owner,
                case=alert_case,
                item=item,
                upload=photo(),
                furnace_ids=[f.pk for f in scene.furnaces] if item == "equipment_destroyed" else (),
            )
    image = Path(settings.DATA_DIR) / "cleared.jpg"
    image.write_bytes(jpeg_bytes())

    login(page, "owner")
    page.goto(f"{page.base_url}/cases/{alert_case.pk}/")
    page.select_option("#id_to", "revisiting")  # sign-off with one check lacking evidence
    page.click("#transition button[type=submit]")
    assert "“彻底清理厂房”缺少证据" in page.locator(".messages").inner_text()
    item = page.locator('.closure-item[data-item="plant_cleared"]')
    item.locator("input[type=file]").set_input_files(str(image))
    item.locator("input[name=note]").fill("除尘罩、操作平台、轨道已拆除")
    item.locator("button").click()
    assert "证据已上传" in page.locator(".messages").inner_text()
    assert page.locator('.closure-item[data-item="plant_cleared"] img').count() == 1
    page.select_option("#id_to", "revisiting")
    page.click("#transition button[type=submit]")
    assert page.locator("#case-state").inner_text() == "回头看"
    assert page.locator(".furnace").first.inner_text().startswith("1号炉 销毁")
    page.screenshot(path=str(Path(settings.DATA_DIR) / "case_page.png"), full_page=True)

    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    mobile = phone.new_page()
    mobile.base_url = live_server.url
    login(mobile, "grid1")
    mobile.goto(f"{live_server.url}/cases/mine/")
    cards = mobile.locator(".revisit")
    assert cards.count() == 4
    first = cards.first
    assert first.locator('input[type=file][capture="environment"]').count() == 1
    for box in first.locator("input[type=checkbox]").all():
        box.check()
    first.locator("input[type=file]").set_input_files(str(image))
    mobile.screenshot(path=str(Path(settings.DATA_DIR) / "my_tasks_phone.png"), full_page=True)
    first.locator("button").click()
    assert "检查已记录" in mobile.locator(".messages").inner_text()
    assert mobile.locator(".revisit").count() == 3
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # no sideways scrolling
    phone.close()


def test_zombie_patrol_on_a_phone_and_transfer_decline(
    page, browser, live_server, scene, alert_case, owner, outsider
):
    from steelwatch.registry.models import Enterprise
    from steelwatch.testing import make_enterprise

    zombie = make_enterprise(
        scene.township.code, status=Enterprise.Status.IDLE, grid=scene.grid, name="某停产铸造厂"
    )
    services.zombie_supervise(actor=owner, enterprise=zombie, supervisor=scene.grid_officer, patrols=2)
    image = Path(settings.DATA_DIR) / "patrol.jpg"
    image.write_bytes(jpeg_bytes())

    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    mobile = phone.new_page()
    mobile.base_url = live_server.url
    login(mobile, "grid1")
    mobile.goto(f"{live_server.url}/cases/mine/")
    mobile.locator(".revisit a", has_text="某停产铸造厂").first.click()
    form = mobile.locator("#next-patrol")
    for box in form.locator("input[type=checkbox]").all():
        box.check()
    form.locator("textarea").fill("厂房锁闭，电表静止")
    form.locator("input[type=file]").set_input_files(str(image))
    form.locator("button").click()
    assert "检查已记录" in mobile.locator(".messages").inner_text()
    assert mobile.locator('.patrol[data-status="done"] img').count() == 1
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    mobile.screenshot(path=str(Path(settings.DATA_DIR) / "zombie_phone.png"), full_page=True)
    phone.close()

    login(page, "owner")
    page.goto(f"{page.base_url}/cases/zombies/")
    assert page.locator(".zombie", has_text="某停产铸造厂").count() == 1
    page.goto(f"{page.base_url}/cases/{alert_case.pk}/")
    page.select_option("#id_to", "transferred")
    page.fill("#id_reason", "场所实属新北区")
    page.fill("#id_transfer_to", "320411")
    page.click("#transition button[type=submit]")
    assert page.locator("#case-state").inner_text() == "已移交"
    assert [o.get_attribute("value") for o in page.locator("#id_to option").all()] == ["", "recall"]
    page.context.clear_cookies()
    login(page, "outsider")
    page.goto(f"{page.base_url}/cases/")
    page.locator("#inbox summary").click()
    page.locator("#inbox textarea").fill("经核实场所位于武进区")
    page.locator("#inbox form button", has_text="退回移出地").click()
    assert page.locator("#inbox").count() == 0
    page.context.clear_cookies()
    login(page, "owner")
    page.goto(f"{page.base_url}/cases/")
    assert "经核实场所位于武进区" in page.locator("#returned").inner_text()
