"""Issue #11's Done-means, walked in a real Chromium as the city office (常州市):

create a township user and a grid officer, who then logs in on a phone (changing the temporary password) and
completes a due patrol — reporting production signs; be refused a restart approval after that patrol; transfer
a case to 新北区 by picking it; refer a case to the judiciary and still finish its closure; search the zombie
list by name on a phone. Only the starting records (the places, the sites, two cases, four of the five closure
proofs) are made by the services, as the ledger and earlier handling would have left them."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from conftest import login, new_phone
from steelwatch.accounts.models import User
from steelwatch.cases import services
from steelwatch.cases.models import Case, ClosureCheck, JudicialReferral, RestartRequest, Revisit
from steelwatch.registry.models import Enterprise
from steelwatch.testing import make_enterprise, make_user

from .conftest import jpeg_bytes, prove_closure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Grid-Officer-2026!"


def _file(name: str, data: bytes) -> str:
    path = Path(settings.DATA_DIR) / name
    path.write_bytes(data)
    return str(path)


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1


def _create_user(page, **fields) -> str:
    """Fill the user form as the office does; returns the temporary password shown once."""
    page.goto(f"{page.base_url}/accounts/users/new/")
    page.fill("#id_username", fields["username"])
    page.fill("#id_display_name", fields["display_name"])
    page.select_option("#id_role", fields["role"])
    page.select_option("#id_division", fields["division"])
    if "grid" in fields:
        page.select_option("#id_grid", str(fields["grid"]))
    page.click("form.form button[type=submit]")
    expect(page.locator("#temporary-password")).to_be_visible()
    return page.locator("#temporary-password").inner_text().strip()


def test_the_city_office_runs_the_issue_11_chain_in_the_browser(
    page, browser, live_server, scene, alert_case
):
    city = make_user("city_office", "320400", username="changzhou_office")
    zombie = make_enterprise(
        scene.township.code, status=Enterprise.Status.IDLE, grid=scene.grid, name="青龙停产铸钢厂"
    )
    for n in range(3):  # other idle sites, so that the search has something to leave out
        make_enterprise(scene.township.code, status=Enterprise.Status.IDLE, name=f"其他停产厂{n}")
    services.case_transition(actor=city, case=alert_case, to="verifying")
    judicial = services.case_open(
        actor=None,
        title="非法冶炼：青龙村无证中频炉",
        source="manual",
        division_code=scene.township.code,
        enterprise=scene.enterprise,
    )
    Case.objects.filter(pk=judicial.pk).update(state=Case.State.CLOSING)
    judicial.refresh_from_db()
    last = ClosureCheck.values[-1]
    prove_closure(city, judicial, scene.furnaces, leave_out=(last,))  # the fifth is uploaded in the browser
    site_photo = _file("done-means-site.jpg", jpeg_bytes())
    report_pdf = _file("安全评估报告.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

    # 1. People: a township user and a grid officer of the zombie's grid, created in the browser.
    login(page, city.username)
    township_password = _create_user(
        page,
        username="qinglong_town",
        display_name="青龙街道李干事",
        role="township",
        division=scene.township.code,
    )
    officer_password = _create_user(
        page,
        username="qinglong_grid",
        display_name="青龙网格王网格员",
        role="grid_officer",
        division=scene.township.code,
        grid=scene.grid.pk,
    )
    assert len(township_password) >= 8 and User.objects.get(username="qinglong_town").must_change_password
    officer = User.objects.get(username="qinglong_grid")

    # 2. The city office makes the new officer the zombie's supervisor, a patrol due tomorrow (window open).
    page.goto(f"{page.base_url}/cases/zombies/{zombie.pk}/")
    supervise = page.locator("#supervise")
    if supervise.get_attribute("open") is None:
        supervise.locator("summary").click()
    page.select_option("#id_supervisor", str(officer.pk))
    page.fill("#id_patrol_every_days", "1")
    page.fill("#id_patrols", "2")
    supervise.locator("button[type=submit]").click()
    expect(page.locator("#supervisor")).to_contain_text("青龙网格王网格员")

    # 3. The grid officer logs in on a phone, changes the temporary password, completes the due patrol and
    #    reports production signs (无人员、车辆进出 left unticked).
    phone = new_phone(browser, live_server)
    try:
        login(phone, "qinglong_grid", officer_password)
        expect(phone).to_have_url(re.compile(r"/accounts/password/"))
        phone.fill("input[name=old_password]", officer_password)
        phone.fill("input[name=new_password1]", NEW_PASSWORD)
        phone.fill("input[name=new_password2]", NEW_PASSWORD)
        phone.locator("main form button[type=submit], form button[type=submit]").last.click()
        phone.wait_for_url(lambda url: "/accounts/password/" not in url)
        phone.goto(f"{live_server.url}/cases/mine/")
        phone.locator(".revisit a", has_text="青龙停产铸钢厂").first.click()
        form = phone.locator("#next-patrol")
        for box in form.locator("input[type=checkbox]").all():
            if box.get_attribute("name") != "check_no_activity":
                box.check()
        form.locator("textarea").fill("厂房内有人员走动，门口停有货车")
        form.locator("input[type=file]").set_input_files(site_photo)
        form.locator("button").click()
        expect(phone.locator(".messages")).to_contain_text("检查已记录")
        expect(phone.locator('.patrol[data-status="done"]')).to_contain_text("发现生产迹象")
        _no_sideways_scroll(phone)
    finally:
        phone.context.close()
    done = Revisit.objects.get(enterprise=zombie, status=Revisit.Status.DONE)
    assert done.done_by == officer and done.activity_found

    # 4. A restart request after that patrol: its approval is refused without a recorded override.
    page.goto(f"{page.base_url}/cases/zombies/{zombie.pk}/")
    page.click("#restart-form summary")
    page.fill("#restart-form input[name=safety_assessor]", "江苏某安全评价有限公司")
    page.set_input_files("#restart-form input[type=file]", report_pdf)
    page.click("#restart-form button[type=submit]")
    expect(page.locator("#restart-blocked")).to_be_visible()
    request_card = page.locator(".restart-request[data-status=pending]")
    request_card.locator("select[name=decision]").select_option("approve")
    request_card.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("生产迹象")
    assert RestartRequest.objects.get(enterprise=zombie).status == RestartRequest.Status.PENDING
    zombie.refresh_from_db()
    assert zombie.status == Enterprise.Status.IDLE

    # 5. Transfer a case to 新北区 by picking it from the offers (no code typed).
    page.goto(f"{page.base_url}/cases/{alert_case.pk}/")
    page.click("#act-case_transition summary")
    page.select_option("#id_to", "transferred")
    page.fill("#id_reason", "场所实属新北区")
    page.fill("#id_transfer_to", "新北")
    offer = page.locator("#id_transfer_to-options option", has_text="新北区").first
    expect(offer).to_have_attribute("value", "320411")
    page.fill("#id_transfer_to", offer.get_attribute("value"))  # what picking the offer puts in the field
    page.click("#transition button[type=submit]")
    expect(page.locator("#case-state")).to_have_text("已移交")
    alert_case.refresh_from_db()
    assert alert_case.transfer_to_id == "320411"

    # 6. Refer a case to the judiciary, then still finish its closure (the fifth proof, then the sign-off).
    page.goto(f"{page.base_url}/cases/{judicial.pk}/")
    page.click("#act-case_attachment summary")
    page.set_input_files("#act-case_attachment input[type=file]", report_pdf)
    page.select_option("#act-case_attachment select[name=purpose]", "referral")
    page.click("#act-case_attachment button")
    page.click("#act-judicial_refer summary")
    page.fill("#form-judicial-refer input[name=organ]", "常州市公安局武进分局")
    page.fill("#form-judicial-refer input[name=charge]", "涉嫌非法经营罪")
    page.click("#form-judicial-refer button")
    expect(page.locator("#referral")).to_contain_text("常州市公安局武进分局")
    item = page.locator(f'.closure-item[data-item="{last}"]')
    item.locator("summary").first.click()
    item.locator("input[type=file]").set_input_files(_file("done-means-last.jpg", jpeg_bytes()))
    item.locator("input[name=note]").fill("现场已恢复原状")
    item.locator("button").last.click()
    expect(page.locator(".messages")).to_contain_text("证据已上传")
    page.click("#act-case_transition summary")
    page.select_option("#id_to", "revisiting")
    page.click("#transition button[type=submit]")
    expect(page.locator("#case-state")).to_have_text("回头看")
    expect(page.locator("#referral")).to_be_visible()  # the judicial track stays beside it
    judicial.refresh_from_db()
    assert (
        judicial.state == Case.State.REVISITING
        and judicial.referral.status == JudicialReferral.Status.REFERRED
    )

    # 7. Search the zombie list by name on a phone.
    phone = new_phone(browser, live_server)
    try:
        login(phone, city.username)
        phone.goto(f"{live_server.url}/cases/zombies/")
        phone.fill("#zombie-filters input[name=q]", "青龙停产")
        phone.click("#zombie-filters button")
        expect(phone.locator("#zombie-count")).to_have_attribute("data-count", "1")
        expect(phone.locator(".zombie")).to_have_count(1)
        expect(phone.locator(".zombie")).to_contain_text("青龙停产铸钢厂")
        _no_sideways_scroll(phone)
        phone.screenshot(path=str(Path(settings.DATA_DIR) / "done_means_zombie_search.png"), full_page=True)
    finally:
        phone.context.close()
