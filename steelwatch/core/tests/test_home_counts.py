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


# Every card a provider can show (core/dashboard.CARD_PROVIDERS). Some show only when their figure is not zero;
# the test makes each of those non-zero for someone before comparing, so that no card goes unchecked.
EVERY_CARD = {
    "台账企业",
    "中(工)频炉使用企业",
    "重点监控企业",
    "台账外企业（待清零）",
    "待处理用电告警",
    "待处理用电关注",
    "办理中案件",
    "核查超期案件",
    "巡查超期的僵尸企业",
    "超期未做的回头看",
    "待接收移交案件",
    "我的待办任务",
    "举报总数",
    "待交办举报",
    "核查中举报",
    "逾期举报",
    "待审批举报奖励",
    "抽检不合格样品",
    "异议期内样品",
    "信用名单：列入中",
    "信用名单：待办",
}


def _show_the_conditional_cards() -> None:
    """An overdue zombie patrol and an overdue revisit, and a case handed to 新北区 — test setup
    written straight to the rows, as the days passing and a transfer would leave them."""
    import datetime

    from steelwatch.cases.models import Case, Revisit
    from steelwatch.cases.services import zombie_supervise
    from steelwatch.registry.models import Enterprise

    past = datetime.date.today() - datetime.timedelta(days=5)
    office = User.objects.get(username="wujin")
    site = Enterprise.objects.filter(
        status=Enterprise.Status.IDLE, division__code__startswith="320412"
    ).first()
    assert site is not None, "the demo has an idle site in 武进区"
    officer = User.objects.filter(role="grid_officer", division__code__startswith=site.division_id).first()
    assert officer is not None, "the demo has a grid officer where that site is"
    patrol = zombie_supervise(actor=office, enterprise=site, supervisor=officer, patrols=1)[0]
    Revisit.objects.filter(pk=patrol.pk).update(due_date=past)
    signed_off = Case.objects.filter(enterprise__isnull=False).order_by("pk").first()
    assert signed_off is not None
    Revisit.objects.create(
        kind=Revisit.Kind.REVISIT,
        case=signed_off,
        enterprise=signed_off.enterprise,
        division=signed_off.division,
        due_date=past,
    )  # as the sign-off schedules them
    case = (
        Case.objects.filter(state__in=Case.OPEN_STATES)
        .exclude(division__code__startswith="320411")
        .order_by("pk")
        .first()
    )
    assert case is not None
    Case.objects.filter(pk=case.pk).update(state=Case.State.TRANSFERRED, transfer_to_id="320411")


def test_every_home_figure_equals_the_count_of_the_list_it_links_to_for_every_demo_login(demo):
    _show_the_conditional_cards()
    wrong, checked, nonzero, seen = [], 0, 0, set()
    for login in LOGINS:
        client = Client()
        client.force_login(User.objects.get(username=login.username))
        home = client.get("/")
        assert home.status_code == 200, login.username
        for title, link, figure in home_cards(home.content.decode()):
            seen.add(title)
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
    assert seen == EVERY_CARD, (EVERY_CARD - seen, seen - EVERY_CARD)  # every card checked; a new one listed


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
