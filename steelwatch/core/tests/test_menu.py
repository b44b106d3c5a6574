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


def test_every_menu_link_opens_for_every_role(enterprise):
    roles_seen = set()
    for user in _people():
        roles_seen.add(user.role)
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
    assert roles_seen == set(Role.values)


def test_viewer_menu_is_read_only():
    viewer = make_user(Role.VIEWER, "320400", username="m_viewer")
    client = Client()
    client.force_login(viewer)
    menu = _links(client.get("/").content.decode(), "nav")
    assert menu == ["/", "/ledger/", "/power/alerts/", "/cases/", "/cases/zombies/", "/tips/stats/", "/oversight/"]
    for url in (
        "/ledger/import/",
        "/ledger/consolidation/",
        "/cases/mine/",
        "/tips/",
        "/power/readings/upload/",
        "/cases/new/",
        "/ledger/enterprises/new/",
    ):
        assert client.get(url).status_code in (403, 404), url
