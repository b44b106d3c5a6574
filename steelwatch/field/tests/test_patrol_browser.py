"""Done means, on a phone in a real browser (Debian chromium, 390 px): the grid officer checks in at the three
sites of her grid with the phone's position and photos taken in the page; one check-in goes out on a dead
connection and is kept in the phone across a reload until it is sent; the zombie site with production signs
raises an alert for the district in the same request; the grid's coverage shows the three visits."""

from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from conftest import login, new_phone
from steelwatch.field.models import CheckIn
from steelwatch.field.selectors import grid_coverage
from steelwatch.power.models import Alert
from steelwatch.testing import api_client

from .conftest import jpeg_with_exif

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill(card, image: Path, *, zombie: bool) -> None:
    card.locator("summary").click()
    expect(card.locator(".locate-status")).to_contain_text("已定位")  # opening the form asks for the position
    if zombie:
        card.locator('input[name=checklist][value="production_signs"]').check()
        card.locator('input[name=checklist][value="power_use"]').check()
        card.locator("select[name=finding]").select_option("production_signs")
        card.locator("textarea[name=note]").fill("炉体发热，有工人作业")
    card.locator("input[type=file]").set_input_files(str(image))


def test_officer_checks_in_at_three_sites_on_a_phone_with_a_weak_connection(
    browser, live_server, scene, owner
):
    grid_sites = scene["sites"]
    image = Path(settings.DATA_DIR) / "site.jpg"
    image.write_bytes(jpeg_with_exif(timezone.localtime()))
    phone = new_phone(
        browser, live_server, geolocation={"latitude": 31.7003, "longitude": 119.9501, "accuracy": 9},
        permissions=["geolocation"],
    )  # fmt: skip
    try:
        login(phone, scene["officer"].username)
        phone.goto(f"{phone.base_url}/field/patrol/")
        expect(phone.locator("article.site")).to_have_count(3)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390 + 1

        # 1. A plain check-in at the first site.
        first = phone.locator(f"#site-{grid_sites[0].pk}")
        _fill(first, image, zombie=False)
        first.locator("button[type=submit]").click()
        expect(first.locator(".send-status")).to_contain_text("已签到")

        # 2. The second one on a dead connection: kept in the phone, still there after a reload, then sent.
        phone.route("**/field/patrol/check-ins/", lambda route: route.abort("internetdisconnected"))
        second = phone.locator(f"#site-{grid_sites[1].pk}")
        _fill(second, image, zombie=False)
        second.locator("button[type=submit]").click()
        expect(phone.locator("#queue-count")).to_have_text("1")
        expect(phone.locator("#queue-list li")).to_contain_text(grid_sites[1].name)
        assert CheckIn.objects.count() == 1
        phone.reload()
        expect(phone.locator("#queue-count")).to_have_text("1")  # IndexedDB kept it, photo included
        phone.unroute("**/field/patrol/check-ins/")
        phone.click("#queue-send")
        expect(phone.locator("#queue")).to_be_hidden()
        assert CheckIn.objects.filter(enterprise=grid_sites[1]).get().photos.count() == 1

        # 3. The zombie site with production signs: an alert for the district within the same request.
        zombie = phone.locator(f"#site-{grid_sites[2].pk}")
        _fill(zombie, image, zombie=True)
        zombie.locator("button[type=submit]").click()
        expect(zombie.locator(".send-status")).to_contain_text("已生成告警")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390 + 1
        phone.screenshot(path=str(Path(settings.DATA_DIR) / "patrol_phone.png"), full_page=True)
    finally:
        phone.context.close()

    visits = CheckIn.objects.order_by("id")
    assert visits.count() == 3 and all(v.photos.count() == 1 for v in visits)
    assert all(float(v.accuracy_m) == 9 and v.coord_system == "wgs84" for v in visits)
    alert = Alert.objects.get(pk=visits.get(enterprise=grid_sites[2]).alert_id)
    listed = api_client(owner).get("/api/v1/power/alerts").json()
    assert alert.pk in [a["id"] for a in listed["items"]]
    coverage = grid_coverage(scene["grid"])
    assert (coverage["due"], coverage["on_time"], coverage["never"]) == (3, 3, 0)


def test_draw_pages_fit_a_phone(browser, live_server, scene, owner):
    from steelwatch.field.models import InspectionItem
    from steelwatch.field.services import draws
    from steelwatch.testing import make_user

    item = InspectionItem.objects.create(code="DTG-01", name="地条钢排查", kind="key", sampling_ratio=100)
    for n in range(2):
        person = make_user("department_staff", "320412", department="market_regulation", username=f"bi{n}")
        draws.inspector_enrol(actor=owner, user=person, department="市场监管")
    draw = draws.draw_freeze(actor=owner, item=item, division_code="320412", target_filter={}, targets=2)
    draw = draws.draw_publish(
        actor=owner, draw=draws.draw_run(actor=owner, draw=draw, announced_value="2026139")
    )
    phone = new_phone(browser, live_server)
    try:
        login(phone, owner.username)
        for url in (f"/field/draws/{draw.pk}/", "/public/draws/", "/field/coverage/", "/field/funds/"):
            phone.goto(f"{phone.base_url}{url}")
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 390 + 1, (url, width)
    finally:
        phone.context.close()
