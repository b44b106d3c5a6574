"""Every menu page fits a 390 px phone: no sideways scrolling (tables scroll inside their own box, long names
wrap). The menus of every demo login's role are walked; a page two roles share is measured once, for the first
role whose menu has it (the layout is the template's, the same for both)."""

import pytest

from conftest import login, new_phone
from steelwatch.demo.people import LOGINS
from steelwatch.testing import make_enterprise, make_user

from .test_menu import _links

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390


def test_menu_pages_fit_a_phone_for_every_role(browser, live_server):
    for n in range(3):  # rows in the lists, with long unbroken names
        make_enterprise(
            name="常州市武进区某某特种钢铁铸造有限责任公司" * 2 + str(n), division_code="320412001"
        )
    wide, measured = [], set()
    for spec in {(s.role, s.division_code, s.department): s for s in LOGINS}.values():
        user = make_user(
            spec.role, spec.division_code, department=spec.department, username=f"w_{spec.username}"
        )
        phone = new_phone(browser, live_server)
        try:
            login(phone, user.username)
            phone.goto(f"{phone.base_url}/")
            for url in dict.fromkeys(_links(phone.content(), "nav")):
                if url in measured:
                    continue
                measured.add(url)
                phone.goto(f"{phone.base_url}{url}")
                width = phone.evaluate("document.documentElement.scrollWidth")
                if width > PHONE_WIDTH + 1:
                    wide.append(f"{user.role} {url}: {width}px")
        finally:
            phone.context.close()
    assert len(measured) >= 15, sorted(measured)  # the walk reached the menus
    assert not wide, "pages that scroll sideways on a phone:\n" + "\n".join(wide)
