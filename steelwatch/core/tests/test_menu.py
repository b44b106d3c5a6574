"""The menu shows each role only what it can open: every menu link (and every link on the pages it leads
to) opens for every demo login's role and department, and for every department of department staff."""

import re

import pytest
from django.test import Client

from steelwatch.accounts.roles import Department, Role
from steelwatch.demo.people import LOGINS
from steelwatch.testing import make_user

pytestmark = pytest.mark.django_db

# Files and actions, not pages: downloads are checked by their own tests, POST-only URLs are not linked.
SKIP = re.compile(r"/(attachments|files)/|\.(xlsx|csv|pdf|jpg|png)$|^/(static|media|i18n)/|/logout/")


def _people():
    """One user per demo login (same role, department and division), plus staff of every department."""
    people = [
        make_user(
            login.role, login.division_code, department=login.department, username=f"m_{login.username}"
        )
        for login in LOGINS
    ]
    shown = {login.department for login in LOGINS if login.department}
    people += [
        make_user(Role.DEPARTMENT_STAFF, "320412", department=dept, username=f"m_{dept}")
        for dept in Department.values
        if dept not in shown
    ]
    return people


def _links(html: str, part: str) -> list[str]:
    if part == "nav":
        html = re.search(r'<nav class="nav">(.*?)</nav>', html, re.S).group(1)
    else:
        html = html.split("<main", 1)[1]
    return [
        href for href in re.findall(r'href="(/[^"#]*)', html.replace("&amp;", "&")) if not SKIP.search(href)
    ]


def _walk_menu(user) -> str:
    """Open every menu link and every link on the pages it leads to; returns the home page."""
    client = Client()
    client.force_login(user)
    home = client.get("/")
    assert home.status_code == 200, user.username
    menu = _links(home.content.decode(), "nav")
    assert menu and menu[0] == "/", user.username
    pages = set(_links(home.content.decode(), "main"))  # the dashboard cards
    for url in menu:
        response = client.get(url)
        assert response.status_code == 200, (
            user.username,
            user.role,
            user.department,
            url,
            response.status_code,
        )
        pages |= set(_links(response.content.decode(), "main"))
    for url in sorted(pages):
        status = client.get(url).status_code
        assert status in (200, 302), (user.username, user.role, user.department, url, status)
    return home.content.decode()


def test_every_menu_link_opens_for_every_role(enterprise):
    roles_seen = set()
    for user in _people():
        roles_seen.add(user.role)
        _walk_menu(user)
    assert roles_seen == set(Role.values)


@pytest.mark.parametrize(
    ("region", "name", "office", "district", "township"),
    [
        ("120000", "天津市", "120000", "120101", "120101001"),  # a municipality: 和平区, 劝业场街道
        ("530925", "双江拉祜族佤族布朗族傣族自治县", "530925", "530925", "530925101"),  # a county: 勐库镇
    ],
)
def test_menu_of_a_municipality_and_a_county_deployment(settings, region, name, office, district, township):
    """Every role of another place's deployment opens its menu; the header names the place."""
    from steelwatch.testing import make_enterprise

    settings.STEELWATCH_REGION = region
    make_enterprise(township, latitude=None, longitude=None)
    people = [
        make_user(Role.CITY_OFFICE, office, username=f"r_{region}_city"),
        make_user(Role.DISTRICT_OFFICE, district, username=f"r_{region}_district"),
        make_user(Role.TOWNSHIP, township, username=f"r_{region}_township"),
        make_user(Role.TIP_HANDLER, district, username=f"r_{region}_tips"),
        make_user(Role.VIEWER, office, username=f"r_{region}_viewer"),
        make_user(
            Role.DEPARTMENT_STAFF, district, department=Department.POWER_COMPANY, username=f"r_{region}_p"
        ),
    ]
    for user in people:
        home = _walk_menu(user)
        assert f'<span class="region">{name}</span>' in home
        assert "常州" not in home and "武进" not in home


def test_viewer_menu_is_read_only():
    viewer = make_user(Role.VIEWER, "320400", username="m_viewer")
    client = Client()
    client.force_login(viewer)
    menu = _links(client.get("/").content.decode(), "nav")
    assert menu == [
        "/",
        "/ledger/",
        "/power/alerts/",
        "/cases/",
        "/cases/revisits/",
        "/cases/zombies/",
        "/market/",
        "/credit/",
        "/tips/stats/",
        "/oversight/",
        "/field/",
        "/public/draws/",
    ]
    for url in (
        "/ledger/import/",
        "/ledger/consolidation/",
        "/cases/mine/",
        "/tips/",
        "/power/readings/upload/",
        "/cases/new/",
        "/ledger/enterprises/new/",
        "/credit/new/",
        "/credit/screen/",
    ):
        assert client.get(url).status_code in (403, 404), url
