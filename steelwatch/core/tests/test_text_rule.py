"""One rule for text, in the three paths (forms, API, Excel import), and walks that keep it so: every form of
the project and every string an API operation accepts goes through it. Run on SQLite and on PostgreSQL
(where a NUL byte that reached the database would be a 500)."""

import importlib
import json
import pkgutil

import pytest
from django import forms
from openpyxl import Workbook

import steelwatch
from steelwatch.core.forms import Form, TextRuleMixin
from steelwatch.core.schemas import InputSchema, is_text_checked
from steelwatch.core.text import LINE_MAX_LENGTH, MULTILINE_MAX_LENGTH, clean_text, text_problem
from steelwatch.registry.imports import ledger_import
from steelwatch.registry.models import Enterprise
from steelwatch.testing import api_client, make_uscc

pytestmark = pytest.mark.django_db

NUL, BELL, RLO, LONE = "\x00", "\x07", "\u202e", "\ud800"


@pytest.mark.parametrize(
    ("value", "multiline", "problem"),
    [
        ("武进精密铸造有限公司", False, None),
        ("第一行\n第二行\t缩进", True, None),
        ("=1+2", False, None),  # a formula-like text is text: the exports protect it
        ("<img src=x onerror=alert(1)>", False, None),  # markup is text: the templates escape it
        (f"武进{NUL}铸造", False, "不可见的控制字符 U+0000（第3个字符）"),
        (f"武进{BELL}", False, "不可见的控制字符 U+0007（第3个字符）"),
        ("武进\x85", True, "不可见的控制字符 U+0085"),  # C1
        ("武进\x7f", True, "不可见的控制字符 U+007F"),
        (f"发票{RLO}gpj.exe", False, "改变文字方向的控制字符 U+202E"),
        ("a\u2066b", False, "改变文字方向的控制字符 U+2066"),
        (f"a{LONE}b", False, "无效的字符编码 U+D800"),
        ("第一行\n第二行", False, "只能填写一行"),
        ("a\tb", False, "只能填写一行"),
        ("x" * (LINE_MAX_LENGTH + 1), False, f"最多{LINE_MAX_LENGTH}个字"),
        ("x" * (MULTILINE_MAX_LENGTH + 1), True, f"最多{MULTILINE_MAX_LENGTH}个字"),
    ],
)
def test_the_rule(value, multiline, problem):
    found = text_problem(value, multiline=multiline)
    assert (found is None) if problem is None else (problem in found)


def test_normalised_and_named():
    assert clean_text("  Cafe\u0301\r\n第二行 ", label="名称", multiline=True) == "Café\n第二行"
    with pytest.raises(Exception) as refused:
        clean_text(f"武进{NUL}", label="企业名称")
    assert refused.value.messages == ["企业名称含有不可见的控制字符 U+0000（第3个字符），请删除后重试"]
    assert text_problem("一二三四", max_length=3) == "过长：最多3个字，实际4个字"


# --- the three paths -------------------------------------------------------------------------------


def test_a_web_form_refuses_control_characters_naming_the_field(owner, client):
    client.force_login(owner)
    response = client.post(
        "/cases/new/", {"title": f"夜间冶炼{BELL}", "source": "patrol", "division_code": "320412"}
    )
    assert response.status_code == 200
    assert "案件名称含有不可见的控制字符 U+0007（第5个字符）" in response.content.decode()
    response = client.post(
        "/cases/new/",
        {
            "title": "夜间冶炼",
            "source": "patrol",
            "division_code": "320412",
            "description": "第一行\r\n第二行",
        },
    )
    assert response.status_code == 302  # multi-line text (a Textarea) keeps its line breaks
    from steelwatch.cases.models import Case

    assert Case.objects.get(title="夜间冶炼").description == "第一行\n第二行"


def test_ledger_form_refuses_bidi_override(owner, client):
    client.force_login(owner)
    response = client.post(
        "/ledger/enterprises/new/",
        {
            "uscc": make_uscc("320412001"),
            "name": f"武进{RLO}司公限有",
            "division": "320412001",
            "status": "operating",
        },
    )
    assert "企业名称含有改变文字方向的控制字符 U+202E" in response.content.decode()
    assert not Enterprise.objects.filter(division_id="320412001").exists()


def _detail(response) -> list[dict]:
    assert response.status_code == 422, (response.status_code, response.content)
    return response.json()["detail"]


def test_api_refuses_nul_naming_the_field(owner):
    client = api_client(owner)
    payload = {"uscc": make_uscc("320412"), "name": f"武进{NUL}铸造", "division": "320412"}
    detail = _detail(client.post("/api/v1/enterprises", payload, content_type="application/json"))
    assert detail[0]["loc"][-1] == "name"
    assert detail[0]["msg"] == "企业名称含有不可见的控制字符 U+0000（第3个字符），请删除后重试"
    # in a query string and in a path too
    assert (
        "关键字含有不可见的控制字符" in _detail(client.get("/api/v1/enterprises", {"q": f"a{NUL}"}))[0]["msg"]
    )
    assert "电力户号含有" in _detail(client.get("/api/v1/power-accounts/A%00B"))[0]["msg"]
    assert "关键字" in _detail(client.get("/api/v1/cases", {"q": f"{RLO}x"}))[0]["msg"]


def test_api_patch_refuses_null_where_a_value_is_required(owner, enterprise):
    client = api_client(owner)
    url = f"/api/v1/enterprises/{enterprise.pk}"
    detail = _detail(client.patch(url, {"name": None}, content_type="application/json"))
    assert detail[0]["msg"] == "企业名称不能为空值（null）；不修改该项请省略"
    for field in ("status", "is_foundry", "address"):
        assert _detail(client.patch(url, {field: None}, content_type="application/json"))
    cleared = client.patch(url, {"longitude": None, "latitude": None}, content_type="application/json")
    assert cleared.status_code == 200, cleared.content  # coordinates may be cleared


def test_public_tip_api_refuses_nul(db):
    from django.test import Client

    body = {"content": f"夜里有中频炉{NUL}", "address": "湖塘镇", "reporter": {"name": f"张{NUL}"}}
    response = Client().post("/api/v1/public/tips", json.dumps(body), content_type="application/json")
    assert response.status_code == 422, response.content
    text = json.dumps(response.json(), ensure_ascii=False)
    assert "举报内容含有不可见的控制字符 U+0000" in text and "举报人姓名含有" in text
    multipart = Client().post("/api/v1/public/tips", {"content": "夜里冶炼", "address": f"湖塘{NUL}镇"})
    assert multipart.status_code == 422 and "地点含有" in json.dumps(multipart.json(), ensure_ascii=False)


def test_the_public_tip_form_refuses_nul(client):
    response = client.post("/public/tips/", {"content": f"夜里{NUL}冶炼", "address": "湖塘镇"})
    assert (
        response.status_code == 400
        and "举报内容（看到了什么）含有不可见的控制字符" in response.content.decode()
    )


def test_the_import_refuses_control_characters_naming_the_column(owner, tmp_path):
    from steelwatch.registry.ledger_excel import ENTERPRISE_SHEET, FURNACE_SHEET

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = ENTERPRISE_SHEET.name
    sheet.append([c.header for c in ENTERPRISE_SHEET.columns])
    row = {
        "uscc": make_uscc("320412001"),
        "name": "武进\u202e铸造",
        "division_id": "320412001",
        "status": "在营",
    }
    sheet.append([row.get(c.key, "") for c in ENTERPRISE_SHEET.columns])
    workbook.create_sheet(FURNACE_SHEET.name).append([c.header for c in FURNACE_SHEET.columns])
    path = tmp_path / "ledger.xlsx"
    workbook.save(path)
    result = ledger_import(path=path, actor=owner)
    assert not result.ok
    assert [str(e) for e in result.errors] == [
        "[企业] 第2行 企业名称：企业名称含有改变文字方向的控制字符 U+202E（第3个字符），请删除后重试（B列）"
    ]


# --- the walks: nothing new escapes the rule ---------------------------------------------------------


def _project_modules():
    for info in pkgutil.walk_packages(steelwatch.__path__, "steelwatch."):
        if ".tests" in info.name or ".migrations" in info.name or info.name.endswith(("cli", "wsgi")):
            continue
        importlib.import_module(info.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_form_of_the_project_applies_the_rule():
    _project_modules()
    project = [
        cls
        for cls in _subclasses(forms.BaseForm)
        if cls.__module__.startswith("steelwatch.") and ".tests" not in cls.__module__
    ]
    assert len(project) > 20
    assert [cls for cls in project if not issubclass(cls, TextRuleMixin)] == []


def test_every_text_field_of_a_form_is_ruled():
    class Sample(Form):
        name = forms.CharField(label="名称", max_length=10)
        note = forms.CharField(label="说明", widget=forms.Textarea, required=False)
        code = forms.RegexField(label="代码", regex=r"^\w*$", required=False)

    form = Sample({"name": "a\x00", "note": "第一行\n第二行", "code": "\u202e1"})
    assert not form.is_valid()
    assert form.errors["name"] == ["名称含有不可见的控制字符 U+0000（第2个字符），请删除后重试"]
    assert "note" not in form.errors
    assert "改变文字方向" in form.errors["code"][0]


def _string_fields(model, seen):
    """(model, field name) of every string-typed field reachable from a pydantic model."""
    if model in seen:
        return
    seen.add(model)
    for name, field in model.model_fields.items():
        for kind in _types(field.annotation):
            if kind is str:
                yield model, name
            elif isinstance(kind, type) and hasattr(kind, "model_fields"):
                yield from _string_fields(kind, seen)


def _types(annotation):
    import typing

    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is typing.Annotated:
        yield from _types(args[0])
    elif args:
        for arg in args:
            yield from _types(arg)
    else:
        yield annotation


def test_every_string_the_api_accepts_goes_through_the_rule():
    from steelwatch.api import api

    unruled, checked = [], 0
    for _prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                for params in operation.models:
                    for model, name in _string_fields(params, set()):
                        checked += 1
                        if not is_text_checked(model, name):
                            unruled.append(f"{operation.methods} {path}: {model.__name__}.{name}")
    assert checked > 40
    assert unruled == []


def test_every_request_schema_is_an_input_schema():
    """Bodies parsed by hand (the public tip) are not in the operations: their schemas are named *In."""
    from ninja import Schema

    _project_modules()
    named = [
        cls
        for cls in _subclasses(Schema)
        if cls.__module__.startswith("steelwatch.")
        and cls.__name__.endswith(("In", "Patch", "Filters", "Params"))
    ]
    assert len(named) > 15
    assert [cls.__name__ for cls in named if not issubclass(cls, InputSchema)] == []
