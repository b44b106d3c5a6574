import pytest
from playwright.sync_api import expect

from conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_in_a_real_browser_shows_the_role_home(page, owner):
    login(page, "owner")
    expect(page.locator("body")).to_contain_text("区县领导小组办公室工作台")
    page.screenshot(path=f"{__import__('django.conf').conf.settings.DATA_DIR}/login.png")
