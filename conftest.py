"""Fixtures for every test: three fixed users (owner, colleague, outsider), as in the architecture notes.

Owner and colleague work in 常州市武进区 (320412); the outsider works in 新北区 (320411) and must be
refused everywhere the owner is allowed.
"""

import os

import pytest


@pytest.fixture(autouse=True)
def _chinese_by_default():
    """Each test starts in Chinese: a test client request made in English leaves English active in the thread
    (LocaleMiddleware activates per request and never resets), which would leak into the next test."""
    from django.utils import translation

    translation.activate("zh-hans")
    yield
    translation.deactivate()


# The tables a transactional test's flush leaves alone: the division tree (42,000 rows the migration loads; no
# test changes it in a transactional test) would otherwise be reloaded after every such test (~3 s each).
KEPT_ON_FLUSH = {"geo_division"}


def pytest_configure(config):
    from django.core.management import sql
    from django.core.management.commands import flush

    def sql_flush(style, connection, reset_sequences=True, allow_cascade=False):
        tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
        return connection.ops.sql_flush(
            style,
            [table for table in tables if table not in KEPT_ON_FLUSH],
            reset_sequences=reset_sequences,
            allow_cascade=allow_cascade,
        )

    flush.sql_flush = sql_flush
    assert sql.sql_flush.__code__.co_varnames[:4] == (
        "style",
        "connection",
        "reset_sequences",
        "allow_cascade",
    )


@pytest.fixture(autouse=True)
def _division_tree(request):
    """A transactional test's flush keeps the division tree (KEPT_ON_FLUSH); should it be gone, put it back."""
    if request.node.get_closest_marker("django_db") is None and "db" not in request.fixturenames:
        return
    request.getfixturevalue("db") if "transactional_db" not in request.fixturenames else None
    from steelwatch.geo.divisions import load_divisions
    from steelwatch.geo.models import Division

    if not Division.objects.filter(code="320400").exists():
        load_divisions(Division)


OWNER_DIVISION = "320412"  # 武进区

OUTSIDER_DIVISION = "320411"  # 新北区


@pytest.fixture
def owner(db):
    from steelwatch.testing import make_user

    return make_user("district_office", OWNER_DIVISION, username="owner")


@pytest.fixture
def colleague(db):
    from steelwatch.geo.models import Division
    from steelwatch.testing import make_user

    township = Division.objects.filter(parent_id=OWNER_DIVISION).order_by("code").first()
    return make_user("township", township.code, username="colleague")


@pytest.fixture
def outsider(db):
    from steelwatch.testing import make_user

    return make_user("district_office", OUTSIDER_DIVISION, username="outsider")


@pytest.fixture
def city_user(db):
    from steelwatch.testing import make_user

    return make_user("city_office", "320400", username="city")


@pytest.fixture
def enterprise(db):
    from steelwatch.geo.models import Division
    from steelwatch.testing import make_enterprise

    township = Division.objects.filter(parent_id=OWNER_DIVISION).order_by("code").first()
    return make_enterprise(township.code)


# --- a real browser: Debian's Chromium driven by Playwright (never Playwright's own download) ---
CHROMIUM = os.environ.get("STEELWATCH_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")  # Playwright's sync API runs an event loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, answering one request at a time.

    The suite's SQLite database is in memory, so the server thread is handed the test's own connection. Django's
    default live server is threaded: a page that loads while its htmx fragment or chart data is still being answered
    has two threads on that one sqlite3 connection, and SQLite fails with "bad parameter or other API misuse" (seen in
    CI on the ledger edit page). A single-threaded server (as Django's own suite uses for this) keeps the connection
    to one thread; Django closes each HTTP connection after its response when the server is not threaded, so the
    browser's parallel requests queue instead of waiting on a kept-alive socket.
    """
    from django.core.servers.basehttp import WSGIServer
    from django.test.testcases import LiveServerThread, QuietWSGIRequestHandler
    from pytest_django.live_server_helper import LiveServer

    class SingleThreadedServerThread(LiveServerThread):
        def _create_server(self, connections_override=None):
            return WSGIServer((self.host, self.port), QuietWSGIRequestHandler, allow_reuse_address=False)

    class SingleThreadLiveServer(LiveServer):
        def __init__(self, addr: str) -> None:
            super().__init__(addr, start=False)
            self.thread.__class__ = SingleThreadedServerThread  # same state, the one-request-at-a-time server
            self.start()

    addr = (
        request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    )
    server = SingleThreadLiveServer(addr)
    yield server
    server.stop()


# Browser tests wait on conditions (`expect(...)`, `wait_for_selector`), never on fixed sleeps, and with room:
# they run next to another xdist worker on a 2-core machine, where a page that takes 0.3 s idle can take 10 s.
BROWSER_TIMEOUT_MS = int(os.environ.get("STEELWATCH_BROWSER_TIMEOUT_MS", "60000"))


def new_context(browser, **options):
    """A browser context with the suite's patient timeouts (phone-size contexts in tests use this too)."""
    from playwright.sync_api import expect

    expect.set_options(timeout=BROWSER_TIMEOUT_MS)
    context = browser.new_context(**{"locale": "zh-CN", **options})
    context.set_default_timeout(BROWSER_TIMEOUT_MS)
    context.set_default_navigation_timeout(BROWSER_TIMEOUT_MS)
    return context


def new_phone(browser, live_server, **options):
    """A phone-size page (390 × 844) on the live server, in a context of its own; close its `.context`."""
    context = new_context(browser, viewport={"width": 390, "height": 844}, is_mobile=True, **options)
    phone = context.new_page()
    phone.base_url = live_server.url
    return phone


# Every <details> open at once, as the case and tip pages were before one action at a time (an exclusive
# group's `name` removed first, or opening one would close the others).
OPEN_EVERY_FORM = (
    "document.querySelectorAll('details').forEach(d => { d.removeAttribute('name'); d.open = true; })"
)


def action_page_heights(phone, url: str, *, at_least: int) -> tuple[int, int]:
    """Open a page of actions on a phone: at least `at_least` actions offered, none open, opening two leaves one
    open, nothing scrolls sideways. Returns its height with the forms collapsed and with every form open."""
    from playwright.sync_api import expect

    phone.goto(url)
    actions = phone.locator("details.action")
    assert actions.count() >= at_least  # every action is offered…
    expect(phone.locator("details.action[open]")).to_have_count(0)  # …and none is open
    collapsed = phone.evaluate("document.documentElement.scrollHeight")
    actions.nth(0).locator("summary").click()
    actions.nth(1).locator("summary").click()
    expect(phone.locator("details.action[open]")).to_have_count(1)  # one at a time
    phone.evaluate(OPEN_EVERY_FORM)
    every_form = phone.evaluate("document.documentElement.scrollHeight")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    return collapsed, every_form


@pytest.fixture
def page(browser, live_server):
    """A fresh browser page; `page.base_url` is the live server. Log in with `login(page, user)`."""
    context = new_context(browser, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


def login(page, username: str, password: str = "Steel-Watch-2026") -> None:
    """Log in through the form and wait until the browser has left the login page (a refusal fails here)."""
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.wait_for_load_state("load")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (`--dist loadgroup`) the Spark tests share one worker, and so one JVM."""
    for item in items:
        if item.get_closest_marker("spark") is not None:
            item.add_marker(pytest.mark.xdist_group("spark"))
