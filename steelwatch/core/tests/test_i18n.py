"""English through Django i18n: the msgids are the Chinese strings, steelwatch/locale/en holds the English.

Chinese (zh-hans) is the default; a visitor who picks English (the switcher's cookie; not the browser's Accept-Language)
reads every page in English, while what is stored (notifications, case events) and the Excel contract stay
Chinese. The catalogue must be complete: every msgid translated, nothing fuzzy, the .mo compiled from the
.po, and no string in the code or templates missing from the .po (makemessages into a temporary copy).
"""

import datetime
import gettext as gnu_gettext
import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

LOCALE_DIR = Path(settings.BASE_DIR) / "steelwatch" / "locale"
PO = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
MO = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.mo"
CHINESE = re.compile(r"[\u4e00-\u9fff]")


# --- reading a .po file ------------------------------------------------------------------------------------


def _unquote(text: str) -> str:
    body = text.strip()[1:-1]
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(1)), body)


def read_po(path: Path) -> list[dict]:
    """Entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (list: one per plural form), flags."""
    entries, entry, key = [], None, None

    def close():
        if entry is not None and entry["msgid"] is not None:
            entries.append(entry)

    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            close()
            entry, key = None, None
            continue
        if entry is None:
            entry = {
                "msgctxt": None,
                "msgid": None,
                "msgid_plural": None,
                "msgstr": {},
                "flags": set(),
                "obsolete": False,
            }
        if line.startswith("#~"):
            entry["obsolete"] = True
            continue
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")$', line)
        if match:
            name, index, value = match.groups()
            if name == "msgstr":
                key = ("msgstr", int(index or 0))
                entry["msgstr"][key[1]] = _unquote(value)
            else:
                key = (name, None)
                entry[name] = _unquote(value)
        elif line.startswith('"') and key is not None:
            if key[0] == "msgstr":
                entry["msgstr"][key[1]] += _unquote(line)
            else:
                entry[key[0]] += _unquote(line)
    return [e for e in entries if not e["obsolete"]]


def _messages(path: Path) -> list[dict]:
    return [e for e in read_po(path) if e["msgid"]]  # the header has an empty msgid


# --- the catalogue -----------------------------------------------------------------------------------------


def test_settings_offer_chinese_and_english():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _name in settings.LANGUAGES] == ["zh-hans", "en"]
    assert "steelwatch.core.middleware.ChosenLanguageMiddleware" in settings.MIDDLEWARE
    assert LOCALE_DIR in [Path(p) for p in settings.LOCALE_PATHS]
    assert PO.is_file() and MO.is_file()


def test_every_message_is_translated_and_none_is_fuzzy():
    entries = _messages(PO)
    assert len(entries) > 1000
    header = read_po(PO)[0] if read_po(PO)[0]["msgid"] == "" else None
    assert header is None or "fuzzy" not in header["flags"]
    empty = [
        e["msgid"] for e in entries if not all(s.strip() for s in e["msgstr"].values()) or not e["msgstr"]
    ]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    # Chinese may stay only in quotes: the workbook's sheet names (企业, 设备) are Chinese by specification.
    still_chinese = [
        e["msgid"]
        for e in entries
        if any(CHINESE.search(re.sub(r"“[^”]*”", "", s)) for s in e["msgstr"].values())
    ]
    assert not empty, "msgids without an English msgstr in {}:\n{}".format(PO, "\n".join(empty))
    assert not fuzzy, "fuzzy entries in {} (check the translation, then drop the flag):\n{}".format(
        PO, "\n".join(fuzzy)
    )
    assert not still_chinese, "English msgstr that still contain Chinese:\n" + "\n".join(still_chinese)


def test_placeholders_survive_translation():
    placeholder = re.compile(r"%\(\w+\)[sd]|\{[^{}]*\}")
    wrong = [
        e["msgid"]
        for e in _messages(PO)
        for s in e["msgstr"].values()
        if sorted(placeholder.findall(e["msgid"])) != sorted(placeholder.findall(s))
    ]
    assert not wrong, "translations whose placeholders differ from the msgid:\n" + "\n".join(wrong)


def test_compiled_mo_matches_the_po():
    """The .mo is committed (the demo and CI need no gettext): it must be compiled from the current .po."""
    with MO.open("rb") as handle:
        catalog = gnu_gettext.GNUTranslations(handle)._catalog
    stale = []
    for entry in _messages(PO):
        key = entry["msgid"] if entry["msgctxt"] is None else f"{entry['msgctxt']}\x04{entry['msgid']}"
        if entry["msgid_plural"] is None:
            if catalog.get(key) != entry["msgstr"][0]:
                stale.append(entry["msgid"])
        elif any(catalog.get((key, i)) != s for i, s in entry["msgstr"].items()):
            stale.append(entry["msgid"])
    assert not stale, "the .mo is out of date with the .po — run `make messages`:\n" + "\n".join(stale[:20])


def test_no_string_in_the_code_is_missing_from_the_po(tmp_path, monkeypatch):
    """makemessages over a copy of the sources: every msgid it finds must be in the committed .po."""
    if shutil.which("xgettext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("GNU gettext (xgettext) is needed for this check: `make test` installs it")
        pytest.skip("GNU gettext (xgettext) is not installed")
    source = Path(settings.BASE_DIR) / "steelwatch"
    copy = tmp_path / "steelwatch"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("locale", "__pycache__", "*.pyc", "static"))
    (copy / "locale").mkdir()
    monkeypatch.chdir(tmp_path)
    with override_settings(LOCALE_PATHS=[copy / "locale"]):
        call_command("makemessages", locale=["en"], verbosity=0, ignore_patterns=["tests/*"])
    found = {e["msgid"] for e in _messages(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")}
    committed = {e["msgid"] for e in _messages(PO)}
    missing = sorted(found - committed)
    assert not missing, (
        "{} msgid(s) in the code or templates are missing from {} — run `make messages`, translate them "
        "and commit the .po and .mo:\n{}".format(
            len(missing), PO.relative_to(settings.BASE_DIR), "\n".join(missing)
        )
    )


# --- pages ------------------------------------------------------------------------------------------------


@pytest.fixture
def case_scene(db, owner, enterprise):
    from steelwatch.cases.services import case_open
    from steelwatch.power.models import Alert
    from steelwatch.registry.models import PowerAccount

    account = PowerAccount.objects.create(
        account_id="3204129999", enterprise=enterprise, division=enterprise.division, contracted_kva=2000
    )
    today = datetime.date(2026, 3, 1)
    alert = Alert.objects.create(
        account=account,
        score=0.93,
        level=Alert.Level.ALERT,
        reasons="夜间持续高负荷",
        period_start=today - datetime.timedelta(days=6),
        period_end=today,
    )
    case = case_open(
        actor=owner,
        title="用电异常核查：测试企业",
        source="power_alert",
        source_ref=f"alert:{alert.pk}",
        division_code=enterprise.division_id,
        enterprise=enterprise,
    )
    return {"enterprise": enterprise, "alert": alert, "case": case}


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _page(client, url, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def _assert_english(html: str, present: list[str], absent: list[str]) -> None:
    for word in present:
        assert word in html, f"expected the English {word!r} on the page"
    for word in absent:
        assert word not in html, f"the Chinese {word!r} is still on the English page"


def test_pages_are_chinese_by_default(client, owner, case_scene):
    html = _page(client, reverse("accounts:login"))
    assert '<html lang="zh-hans">' in html and "登录" in html and "用户名" in html and "Sign in" not in html
    client.force_login(owner)
    html = _page(client, reverse("core:home"))
    assert "工作台" in html and "首页" in html and "Home" not in html
    html = _page(client, reverse("cases:case_detail", args=[case_scene["case"].pk]))
    assert "办理过程" in html and "已登记" in html and "Case history" not in html


def test_a_browser_set_to_english_still_gets_chinese_until_english_is_chosen(client):
    html = _page(client, reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="zh-hans">' in html and "登录" in html and "Sign in" not in html
    html = _page(_english(client), reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="en">' in html
    _assert_english(
        html, ["Sign in", "Username", "Password", "SteelWatch"], ["登录", "用户名", "密码", "地条钢"]
    )


def test_login_page_in_english_by_cookie(client):
    html = _page(_english(client), reverse("accounts:login"))
    _assert_english(html, ["Sign in", "Username", "Password"], ["登录", "用户名", "密码"])


def test_home_page_in_english(client, owner, case_scene):
    client.force_login(owner)
    html = _page(_english(client), reverse("core:home"))
    _assert_english(
        html,
        [
            "District leading group office workspace",
            "Home",
            "Ledger",
            "Cases",
            "Open cases",
            "Sign out",
            "Notifications",
        ],
        ["工作台", "首页", "台账", "办理中案件", "退出", "区县领导小组办公室"],
    )


def test_ledger_list_in_english(client, owner, case_scene):
    client.force_login(owner)
    html = _page(_english(client), reverse("registry:enterprise_list"))
    _assert_english(
        html,
        ["Enterprise ledger", "Search", "Export to Excel", "Operating status", "Operating"],
        ["企业台账", "搜索", "导出 Excel", "经营状态", "在营"],
    )


def test_enterprise_page_in_english(client, owner, case_scene):
    client.force_login(owner)
    html = _page(_english(client), reverse("registry:enterprise_detail", args=[case_scene["enterprise"].pk]))
    _assert_english(
        html,
        ["Basic information", "Induction furnaces", "Power account", "Change history"],
        ["基本信息", "感应炉（中频炉/工频炉）", "变更历史", "统一社会信用代码"],
    )


def test_alert_list_in_english(client, owner, case_scene):
    client.force_login(owner)
    html = _page(_english(client), reverse("power:alert_list"))
    _assert_english(
        html, ["Sorted by anomaly score", "Score", "Alert"], ["按异常评分从高到低排列", "评分", "待处理"]
    )


def test_case_page_in_english(client, owner, case_scene):
    client.force_login(owner)
    html = _page(_english(client), reverse("cases:case_detail", args=[case_scene["case"].pk]))
    _assert_english(
        html,
        ["Case history", "Registered", "Closure inspection: the five checks", "Trace-back"],
        ["办理过程", "已登记", "取缔验收：五个彻底", "溯源"],
    )


def test_public_tip_page_in_english(client, db):
    chinese = _page(client, reverse("tips_public:submit"))
    assert (
        '<html lang="zh-hans">' in chinese and 'action="/i18n/setlang/"' in chinese
    )  # the reporter can switch
    html = _page(_english(client), reverse("tips_public:submit"))
    assert '<html lang="en">' in html
    _assert_english(
        html,
        ["Report illegal", "What you saw", "Submit the tip", "Use my location"],
        ["我要举报", "举报内容（看到了什么）", "提交举报", "使用当前位置"],
    )


def test_language_switcher_posts_to_set_language_and_keeps_the_page(client, owner):
    client.force_login(owner)
    url = reverse("registry:enterprise_list") + "?flag=watchlist"
    html = _page(client, url)
    assert f'action="{reverse("set_language")}"' in html
    assert 'name="next" type="hidden" value="/ledger/?flag=watchlist"' in html
    response = client.post(reverse("set_language"), {"language": "en", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Enterprise ledger" in _page(client, url)


def test_messages_and_validation_errors_follow_the_language(client, owner, case_scene):
    client.force_login(owner)
    _english(client)
    url = reverse("cases:case_transition", args=[case_scene["case"].pk])
    response = client.post(url, {"to": "confirmed", "reason": ""}, follow=True)
    html = response.content.decode()
    assert "The case is “Registered”: cannot move to “Confirmed”" in html
    assert "案件当前状态为" not in html


def test_django_builtin_strings_are_chinese_in_chinese_mode(client, owner):
    """Django's own messages (required field, invalid choice...) come from its zh_Hans catalogue."""
    client.force_login(owner)
    url = reverse("registry:enterprise_create")
    html = client.post(url, {"status": "nonsense"}).content.decode()
    assert "这个字段是必填项。" in html and "选择一个有效的选项" in html
    html = _english(client).post(url, {"status": "nonsense"}).content.decode()
    assert "This field is required." in html and "Select a valid choice" in html
    assert "这个字段是必填项" not in html


def test_stored_texts_stay_chinese_whoever_triggers_them(
    owner, case_scene, django_capture_on_commit_callbacks
):
    """Notifications and case events are kept in the database: written in Chinese under any language."""
    from steelwatch.cases.models import CaseEvent
    from steelwatch.cases.services import case_transition
    from steelwatch.core.models import Notification
    from steelwatch.testing import make_user

    colleague = make_user("district_office", "320412", username="office2")
    case = case_scene["case"]
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        case_transition(actor=owner, case=case, to="verifying")
    event = CaseEvent.objects.filter(case=case, kind="transition").latest("pk")
    assert event.text == "已登记 → 核查中"
    note = Notification.objects.filter(recipient=colleague).latest("pk")
    assert "已登记 → 核查中" in note.text and "Registered" not in note.text


def test_exported_workbooks_stay_chinese(owner, case_scene, tmp_path):
    from openpyxl import load_workbook

    from steelwatch.registry.ledger_excel import export_ledger
    from steelwatch.registry.models import Enterprise

    with translation.override("en"):
        export_ledger(tmp_path / "ledger.xlsx", Enterprise.objects.all())
    book = load_workbook(tmp_path / "ledger.xlsx")
    assert "企业" in book.sheetnames
    headers = [cell.value for cell in next(book["企业"].iter_rows(max_row=1))]
    assert "统一社会信用代码" in headers
