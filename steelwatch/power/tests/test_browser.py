"""Upload in a real Chromium, follow the job, open the alert and see the load curve drawn by ECharts."""

import re

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from conftest import login
from steelwatch.power.models import Alert

from .conftest import FURNACE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def test_upload_then_the_alert_page_draws_the_load_curve(page, power_staff, ledger, parquet_file):
    login(page, "power_wj")
    page.goto(f"{page.base_url}/power/readings/upload/")
    page.set_input_files("input[type=file]", str(parquet_file))
    page.click("button[type=submit]")
    page.wait_for_selector("#run-status")
    page.reload()
    expect(page.locator("body")).to_contain_text("检测完成：3 户，告警 2 户")
    expect(page.locator("#quality")).to_contain_text("数据质量")

    alert = Alert.objects.get(account__account_id=FURNACE)
    page.goto(f"{page.base_url}/power/alerts/")
    expect(page.locator("#alert-table tbody tr")).to_have_count(2)
    page.screenshot(path=f"{django_settings.DATA_DIR}/power-alert-list.png", full_page=True)
    page.click(f"#alert-table tr:has-text('{FURNACE}') td:first-child a")  # the score opens the alert
    page.wait_for_selector("#load-chart canvas")
    page.wait_for_selector("#daily-chart canvas")
    option = page.evaluate("""() => {
        const o = echarts.getInstanceByDom(document.getElementById('load-chart')).getOption();
        return {areas: o.series[0].markArea.data.length, lines: o.series[0].markLine.data.length,
                points: o.series[0].data.length};
    }""")
    assert option["areas"] >= 12 and option["lines"] == 1 and option["points"] == 14 * 96
    expect(page.locator("#alert-reasons")).to_contain_text(alert.reasons)
    page.screenshot(path=f"{django_settings.DATA_DIR}/power-alert.png", full_page=True)

    page.fill("textarea[name=reason]", "")
    page.click("#dismiss")
    expect(page.locator("body")).to_contain_text("请填写排除理由")
    page.click("#escalate")
    expect(page.locator("body")).to_contain_text("已转为核查案件")
    expect(page.locator("#alert-case")).to_contain_text("#")


def test_run_page_refreshes_its_details_when_the_run_finishes(page, power_staff, ledger, parquet_file):
    """While a run works the page polls its whole details block; when the run is done the counts and the
    alerts it created appear without a reload, and the polling stops."""
    from steelwatch.power.services import detection_run_execute, readings_submit

    run = readings_submit(actor=power_staff, via="cli", source=parquet_file)  # queued, no worker
    login(page, "power_wj")
    page.goto(f"{page.base_url}/power/runs/{run.pk}/")
    assert page.locator("#run-details").get_attribute("hx-trigger") == "every 1s"
    expect(page.locator("#run-alerts")).to_have_text(re.compile(r"^\s*0 / 0"))
    page.evaluate("window.notReloaded = true")

    detection_run_execute(run=run)
    expect(page.locator('#run-details[data-status="done"]')).to_have_count(1)
    assert page.evaluate("window.notReloaded") is True  # the same page, refreshed by htmx
    expect(page.locator("#run-accounts")).to_have_text("3")
    expect(page.locator("#run-alerts")).to_have_text(re.compile(r"^\s*2 / 0"))
    expect(page.locator("#quality")).to_contain_text("数据质量")
    expect(page.locator("#run-details")).not_to_have_attribute("hx-trigger", re.compile(".*"))
