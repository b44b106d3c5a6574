"""Hostile names in a real Chromium under the Content-Security-Policy: an enterprise and a case named like an
HTML payload are created through the pages, their charts are hovered, and the payload shows as text and never
runs; every menu page (and the chart pages) loads without a single CSP violation or script error."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from conftest import login
from steelwatch.cases.models import Case
from steelwatch.cases.services import trace_node_add
from steelwatch.registry.models import Enterprise
from steelwatch.testing import make_enterprise, make_uscc

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAYLOAD = "<img src=x onerror=window.__xss=1>"

# Recorded in every document before any of its scripts run: CSP violations and uncaught errors.
WATCH = """
window.__csp = []; window.__errors = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || "") + ":" + e.lineNumber);
});
window.addEventListener("error", function (e) { window.__errors.push(String(e.message)); });
"""


@pytest.fixture
def watched(page):
    """The page, with CSP violations and script errors recorded (also those the console reports)."""
    page.add_init_script(WATCH)
    page.console_reports = []
    page.on(
        "console",
        lambda m: (
            page.console_reports.append(m.text)
            if m.type == "error" and re.search(r"Content.Security.Policy|Refused to", m.text)
            else None
        ),
    )
    page.on("pageerror", lambda e: page.console_reports.append(str(e)))
    return page


def assert_clean(page, where: str) -> None:
    state = page.evaluate("({csp: window.__csp, errors: window.__errors, xss: typeof window.__xss})")
    assert state["xss"] == "undefined", f"the payload ran on {where}"
    assert state["csp"] == [], (where, state["csp"])
    assert state["errors"] == [], (where, state["errors"])
    assert page.console_reports == [], (where, page.console_reports)


def hover_point(page, chart_id: str, series: int, value: list[float]) -> str:
    """Move the mouse onto a chart point and return the tooltip's text."""
    chart = page.locator(f"#{chart_id}")
    chart.scroll_into_view_if_needed()
    page.wait_for_selector(f"#{chart_id} canvas")
    tooltip = page.locator(f"#{chart_id} .chart-tooltip")
    for _attempt in range(20):  # the points grow in with an animation: move again until the tooltip shows
        # Sections loaded after the page (htmx) can move the chart: find the point afresh each time.
        x, y = page.evaluate(
            "([id, s, v]) => echarts.getInstanceByDom(document.getElementById(id)).convertToPixel({seriesIndex: s}, v)",
            [chart_id, series, value],
        )
        box = chart.bounding_box()
        page.mouse.move(box["x"] + x - 20, box["y"] + y - 20)
        page.mouse.move(box["x"] + x, box["y"] + y, steps=4)
        if tooltip.count() and tooltip.first.is_visible():
            break
        page.wait_for_timeout(250)
    tooltip.wait_for(state="visible", timeout=2000)
    return tooltip.inner_text()


def test_a_hostile_name_shows_as_text_in_pages_and_charts(watched, owner):
    page = watched
    township = "320412001"
    for n in range(3):  # neighbours in the township, for the enterprise's location plot
        make_enterprise(township, name=f"武进邻近企业{n}", longitude=f"119.95{n}", latitude=f"31.70{n}")
    login(page, "owner")

    page.goto(f"{page.base_url}/ledger/enterprises/new/")
    page.fill("input[name=uscc]", make_uscc(township))
    page.fill("input[name=name]", PAYLOAD)
    page.fill("input[name=address]", PAYLOAD)
    page.fill("input[name=longitude]", "119.958")
    page.fill("input[name=latitude]", "31.701")
    page.fill("input[name=division]", township)
    page.click("button[type=submit].primary")
    page.wait_for_selector("#enterprise-map canvas")
    enterprise = Enterprise.objects.get(name=PAYLOAD)
    assert page.locator("h1").first.inner_text().startswith(PAYLOAD)
    assert PAYLOAD in hover_point(page, "enterprise-map", 1, [119.958, 31.701])
    assert_clean(page, "the enterprise page")

    page.goto(f"{page.base_url}/cases/new/")
    page.fill("input[name=title]", PAYLOAD)
    page.select_option("select[name=source]", "patrol")
    page.fill("input[name=division_code]", township)
    page.fill("input[name=longitude]", "119.961")
    page.fill("input[name=latitude]", "31.703")
    page.fill("textarea[name=description]", PAYLOAD + "\n第二行")
    page.click("form.form button[type=submit]")
    page.wait_for_selector("#case-state")
    case = Case.objects.get(title=PAYLOAD)
    trace_node_add(actor=owner, case=case, kind="source", label=PAYLOAD)
    page.reload()
    assert PAYLOAD in page.locator("h1").inner_text()
    assert PAYLOAD in hover_point(page, "map", 0, [119.961, 31.703])
    node = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('trace-graph')).getOption().series[0].data[0].name"
    )
    assert node == PAYLOAD
    assert_clean(page, "the case page")

    page.goto(f"{page.base_url}/ledger/?q=img")
    assert PAYLOAD in page.locator("table.ledger").inner_text()
    page.goto(f"{page.base_url}/cases/")
    assert PAYLOAD in page.locator("main").inner_text()
    assert_clean(page, "the lists")
    assert enterprise.pk and page.locator("img[src=x]").count() == 0


def test_the_alert_charts_under_the_csp(watched, owner, settings, tmp_path):
    """The alert page's load curve and daily bars draw, and their axis tooltips build, under the CSP."""
    from steelwatch.power.models import Alert
    from steelwatch.power.services import detection_run_execute, readings_submit
    from steelwatch.power.tests.conftest import FURNACE, build_readings
    from steelwatch.registry.models import PowerAccount
    from steelwatch.testing import make_user

    settings.READINGS_DIR = tmp_path / "readings"
    settings.UPLOAD_DIR = tmp_path / "uploads"
    shop = make_enterprise("320412001", name=PAYLOAD, address=PAYLOAD)
    PowerAccount.objects.create(
        account_id=FURNACE, enterprise=shop, division_id="320412001", contracted_kva=2000, address=PAYLOAD
    )
    source = tmp_path / "readings.parquet"
    build_readings().write_parquet(source)
    staff = make_user("department_staff", "320412", department="power_company", username="power_wj")
    detection_run_execute(run=readings_submit(actor=staff, via="cli", source=source))
    alert = Alert.objects.get(account__account_id=FURNACE)

    page = watched
    login(page, "owner")
    page.goto(f"{page.base_url}/power/alerts/{alert.pk}/")
    page.wait_for_selector("#load-chart canvas")
    page.wait_for_selector("#daily-chart canvas")
    assert PAYLOAD in page.locator("h1").inner_text()
    first_day = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('daily-chart')).getOption().xAxis[0].data[0]"
    )
    assert datetime.date.fromisoformat(first_day)
    text = hover_point(page, "daily-chart", 0, [first_day, 0])
    assert "日电量" in text
    assert_clean(page, "the alert page")


def test_every_menu_page_works_under_the_csp(watched, city_user, enterprise):
    """Every menu link for the city office (the widest menu) and the pages its dashboard links to."""
    page = watched
    login(page, "city")
    assert_clean(page, "the home page")
    menu = page.eval_on_selector_all("nav.nav a", "links => links.map(a => a.getAttribute('href'))")
    assert len(menu) >= 5
    pages = list(dict.fromkeys(menu + [f"/ledger/enterprises/{enterprise.pk}/", "/tips/stats/"]))
    for url in pages:
        page.goto(f"{page.base_url}{url}")
        page.wait_for_load_state("networkidle")
        assert_clean(page, url)
    page.set_viewport_size({"width": 390, "height": 844})  # the phone menu's toggle (was an inline onclick)
    page.click(".nav-toggle")
    assert page.locator(".nav").is_visible()
    page.select_option(".lang select", "en")  # the language switcher (was an inline onchange)
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    assert_clean(page, "the language switch")


def test_the_public_tip_page_under_the_csp(watched, live_server):
    page = watched
    page.goto(f"{page.base_url}/public/tips/")
    page.wait_for_load_state("networkidle")
    page.click("#locate")  # no geolocation permission: the script still answers
    expect(page.locator("#locate-status")).not_to_be_empty()
    assert_clean(page, "the public tip page")
