"""Upload → preview → confirm → progress → done, in a real Chromium."""

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

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
    expect(marked).to_have_count(1)
    expect(marked).to_contain_text("校验码错误")
    expect(page.locator("#confirm-import")).to_have_count(0)
    page.screenshot(path=f"{django_settings.DATA_DIR}/ledger-import-preview.png", full_page=True)

    good = write_ledger_file(
        tmp_path / "good.xlsx",
        [enterprise_row(c, i) for i, c in enumerate(LETTER_LED)],
        [furnace_row(LETTER_LED[0])],
    )
    page.goto(f"{page.base_url}/ledger/import/")
    page.set_input_files("input[type=file]", str(good))
    page.click("button[type=submit]")
    expect(page.locator("body")).to_contain_text("将新增 5 条")
    page.click("#confirm-import")
    expect(page.locator(".job-status.job-done")).to_have_count(1)
    expect(page.locator("progress")).to_have_attribute("value", "100")
    expect(page.locator("body")).to_contain_text("导入完成：新增 5 条、更新 0 条")
    page.screenshot(path=f"{django_settings.DATA_DIR}/ledger-import-done.png", full_page=True)
    assert Enterprise.objects.count() == 4
