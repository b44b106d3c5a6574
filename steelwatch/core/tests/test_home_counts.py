"""Counts that agree (#11 item 6): for every demo login, every figure on the home page links to a list, and the
list it links to counts the same number (its `data-count` element) — read from the pages, not the selectors."""

import html
import io
import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from steelwatch.accounts.models import User
from steelwatch.demo.people import LOGINS

pytestmark = pytest.mark.django_db

CARD = re.compile(r"<a class=\"card[^\"]*\"\s*(?:href=\"([^\"]*)\")?\s*>(.*?)</a>", re.S)
VALUE = re.compile(r'<span class="card-value">([^<]*)</span>')
TITLE = re.compile(r'<span class="card-title">([^<]*)</span>')
COUNT = re.compile(r'<[a-z]+\b[^>]*\bid="([^"]+)"[^>]*\bdata-count="(\d+)"')


def home_cards(page: str) -> list[tuple[str, str, int]]:
    """(title, link, figure) of every card on the home page."""
    cards = []
    for href, body in CARD.findall(page):
        title, value = TITLE.search(body), VALUE.search(body)
        assert title and value, body  # every card shows a figure and its title
        figure = int(value.group(1).replace(",", "").strip())
        cards.append((html.unescape(title.group(1)), html.unescape(href), figure))
    return cards


def list_count(page: str, fragment: str) -> int | None:
    """The count a list page shows: the `data-count` of the element the link's #fragment names, otherwise of
    the page's one list count (`id="…-count"`); None when there is none or more than one."""
    counts = dict(COUNT.findall(page))
    if fragment:
        found = counts.get(fragment)
        return int(found) if found is not None else None
    listed = [int(n) for key, n in counts.items() if key.endswith("-count")]
    return listed[0] if len(listed) == 1 else None


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = io.StringIO()
    call_command("build_demo", enterprises=300, seed=7, stdout=out)
    assert "生成失败" not in out.getvalue(), out.getvalue()


def test_every_home_figure_equals_the_count_of_the_list_it_links_to_for_every_demo_login(demo):
    wrong, checked, nonzero = [], 0, 0
    for login in LOGINS:
        client = Client()
        client.force_login(User.objects.get(username=login.username))
        home = client.get("/")
        assert home.status_code == 200, login.username
        for title, link, figure in home_cards(home.content.decode()):
            who = f"{login.username} ({login.role} {login.department}) · {title}"
            if not link:
                wrong.append(f"{who}: the figure {figure} links to no list")
                continue
            url = urlsplit(link)
            response = client.get(url.path, dict(parse_qsl(url.query, keep_blank_values=True)))
            if response.status_code != 200:
                wrong.append(f"{who}: {link} answers {response.status_code}")
                continue
            shown = list_count(response.content.decode(), url.fragment)
            checked += 1
            nonzero += figure > 0
            if shown != figure:
                wrong.append(f"{who}: the home page says {figure}, {link} counts {shown}")
    assert not wrong, "home figures that disagree with their lists:\n" + "\n".join(wrong)
    assert checked >= 3 * len(LOGINS) // 2 and nonzero >= 10, (checked, nonzero)  # the demo's data is counted


def test_a_wrong_figure_is_caught_and_named():
    """The parser itself: a card whose list counts otherwise, or that links nowhere, is found."""
    page = (
        '<a class="card card-warn" href="/x/?a=1&amp;b=2">'
        '<span class="card-value">7</span><span class="card-title">甲</span></a>'
        '<a class="card" ><span class="card-value">3</span><span class="card-title">乙</span></a>'
    )
    assert home_cards(page) == [("甲", "/x/?a=1&b=2", 7), ("乙", "", 3)]
    listing = '<p id="inbox" data-count="2"></p><p class="muted" id="case-count" data-count="9">'
    assert list_count(listing, "") == 9 and list_count(listing, "inbox") == 2
    assert list_count("<p>共 9 件</p>", "") is None
