"""Downloads keep their Chinese file names in a real browser (#11 item 8): Chromium saves what the server's
Content-Disposition (Django's helper, through core/files) names — a template, a ledger export run as a background
job and fetched from its job page, and the tip statistics export."""

import pytest
from playwright.sync_api import expect

from conftest import login
from steelwatch.testing import make_enterprise

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _saved(page, click) -> tuple[str, bytes]:
    with page.expect_download() as info:
        click()
    download = info.value
    return download.suggested_filename, open(download.path(), "rb").read()


def test_downloads_keep_their_chinese_names(page, owner):
    import datetime

    make_enterprise("320412001", name="武进下载测试企业")
    login(page, owner.username)
    today = f"{datetime.date.today():%Y%m%d}"

    page.goto(f"{page.base_url}/ledger/import/")
    name, data = _saved(page, lambda: page.click("a[href$='template.xlsx']"))
    assert name == "台账导入模板.xlsx" and data[:2] == b"PK"  # a real xlsx (a zip)

    page.goto(f"{page.base_url}/ledger/")
    page.click("#ledger-export button")
    expect(page.locator("#job-download")).to_be_visible()  # the job page, once the export is done
    name, data = _saved(page, lambda: page.click("#job-download"))
    assert name == f"台账_320412_{today}.xlsx" and data[:2] == b"PK"

    page.goto(f"{page.base_url}/tips/stats/")
    page.click("#stats-export button")
    expect(page.locator("#job-download")).to_be_visible()
    name, data = _saved(page, lambda: page.click("#job-download"))
    assert name == f"举报统计_{today}.xlsx" and data[:2] == b"PK"
