"""Upload → preview → confirm → progress → done, in a real Chromium."""

import pytest
from django.conf import settings as django_settings

from conftest import login
from steelwatch.registry.models import Enterprise

from .ledger_files import LETTER_LED, enterprise_row, furnace_row, write_ledger_file, wrong_check

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("steelwatch.registry.tests.excel_urls"),
]


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def test_import_in_a_real_browser(page, owner, tmp_path):
    login(page, "owner")
    bad = write_ledger_file(
        tmp_path / "bad.xlsx",
        [enterprise_row(LETTER_LED[0], 1), enterprise_row(wrong_check("91320412MA0000099"), 2)],
    )
    page.goto(f"{page.base_url}/ledger/import/")
    page.set_input_files("input[type=file]", str(bad))
    page.click("button[type=submit]")
    marked = page.locator("td.cell-bad")
    assert marked.count() == 1 and "校验码错误" in marked.inner_text()
    assert page.locator("#confirm-import").count() == 0
    page.screenshot(path=f"{django_settings.DATA_DIR}/ledger-import-preview.png", full_page=True)

    good = write_ledger_file(
        tmp_path / "good.xlsx",
        [enterprise_row(c, i) for i, c in enumerate(LETTER_LED)],
        [furnace_row(LETTER_LED[0])],
    )
    page.goto(f"{page.base_url}/ledger/import/")
    page.set_input_files("input[type=file]", str(good))
    page.click("button[type=submit]")
    assert "将新增 5 条" in page.content()
    page.click("#confirm-import")
    page.wait_for_selector("progress")
    page.wait_for_selector(".job-status.job-done", timeout=15000)
    assert page.locator("progress").get_attribute("value") == "100"
    assert "导入完成：新增 5 条、更新 0 条" in page.content()
    page.screenshot(path=f"{django_settings.DATA_DIR}/ledger-import-done.png", full_page=True)
    assert Enterprise.objects.count() == 4
