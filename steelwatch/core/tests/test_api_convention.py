"""API v1's one convention: request-validation 422s in Chinese naming the field (loc kept), list endpoints with
the {count, limit, offset, next, items} envelope, and the interactive docs served from the platform itself."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from steelwatch.api import api
from steelwatch.core.api import validation_message
from steelwatch.testing import api_client

pytestmark = pytest.mark.django_db
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def test_a_missing_field_is_named_in_chinese(owner):
    response = api_client(owner).post(
        "/api/v1/enterprises", {"name": "某厂"}, content_type="application/json"
    )
    assert response.status_code == 422
    detail = {tuple(d["loc"]): d for d in response.json()["detail"]}
    uscc = next(d for loc, d in detail.items() if loc[0] == "body" and loc[-1] == "uscc")
    assert uscc["type"] == "missing" and uscc["msg"] == "“uscc”为必填项"
    assert all(CHINESE.search(d["msg"]) and "Field required" not in d["msg"] for d in detail.values())


def test_a_word_where_a_number_belongs_is_named_in_chinese(owner):
    response = api_client(owner).get("/api/v1/enterprises", {"limit": "many", "offset": "-1"})
    assert response.status_code == 422
    messages = {d["loc"][-1]: d["msg"] for d in response.json()["detail"]}
    assert messages == {"limit": "“limit”应为整数", "offset": "“offset”应不小于 0"}
    assert [d["loc"][0] for d in response.json()["detail"]] == ["query", "query"]


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (
            {"type": "string_too_long", "loc": ("body", "payload", "name"), "ctx": {"max_length": 200}},
            "“name”最多 200 个字符",
        ),
        (
            {"type": "literal_error", "loc": ("body", "kind"), "ctx": {"expected": "'a', 'b' or 'c'"}},
            "“kind”应为以下之一：'a'、'b'、'c'",
        ),
        ({"type": "float_parsing", "loc": ("rows", 3, "kw")}, "“rows[3].kw”应为数字"),
        (
            {"type": "value_error", "loc": ("code",), "ctx": {"error": "Value error, 校验码错误"}},
            "“code”校验码错误",
        ),
        ({"type": "value_error", "loc": ("code",), "ctx": {"error": "bad thing"}}, "“code”取值无效"),
        ({"type": "some_future_type", "loc": ("body",)}, "“请求体”取值无效"),
    ],
)
def test_pydantic_errors_in_chinese(error, message):
    assert validation_message(error) == message


def test_the_docs_page_loads_swagger_from_the_platform_itself():
    page = Client().get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and not [a for a in assets if re.match(r"^(https?:)?//", a)], assets
    assert not re.search(r"https?://", html.replace(page.wsgi_request.build_absolute_uri("/"), ""))
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), f"{asset} is not a local static file"
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)


def _list_operations():
    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        get = operations.get("get")
        if get and "{" not in path.rsplit("/", 1)[-1]:
            yield path, get


def test_every_list_endpoint_answers_the_page_envelope():
    """A GET on a collection (no trailing {id}) takes limit/offset and answers {count, limit, offset, next, items}."""
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    checked = []
    for path, get in _list_operations():
        response = get["responses"][200]["content"]["application/json"]["schema"]
        ref = response.get("$ref", "")
        body = components.get(ref.rsplit("/", 1)[-1], response)
        if body.get("type") == "array" or "items" in body.get("properties", {}):
            params = {p["name"] for p in get.get("parameters", [])}
            assert {"limit", "offset"} <= params, f"{path}: list without limit/offset"
            assert set(body.get("properties", {})) >= {"count", "limit", "offset", "next", "items"}, (
                f"{path}: a list answers the Page envelope (steelwatch/core/api.py), not a bare array"
            )
            checked.append(path)
    assert "/api/v1/enterprises" in checked and len(checked) >= 5


def test_every_endpoint_declares_its_response_schema():
    schema = api.get_openapi_schema()
    bare = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {}).get("application/json", {}).get("schema")
                status = str(status)
                if status.startswith("2") and status != "204" and not _declared(content, schema):
                    bare.append(f"{method.upper()} {path} → {status}")
    assert bare == [], "endpoints without a response schema: " + "; ".join(bare)


def _declared(content, schema) -> bool:
    """A real schema: a $ref, or an object/array with its properties/items spelled out (not a bare dict)."""
    if not content:
        return False
    if "$ref" in content:
        name = content["$ref"].rsplit("/", 1)[-1]
        return _declared(schema["components"]["schemas"][name], schema) if name else False
    if content.get("type") == "array":
        return _declared(content.get("items"), schema)
    if content.get("type") == "object" or "properties" in content:
        return bool(content.get("properties"))
    return bool(content.get("type") or content.get("anyOf") or content.get("allOf"))


@pytest.mark.parametrize("debug", [False, True])
def test_multipart_without_a_boundary_is_a_400_not_a_500(owner, settings, debug):
    settings.DEBUG = debug  # in DEBUG ninja itself would answer a 500 with the traceback
    for path in ("/api/v1/power/readings", "/api/v1/public/tips"):
        response = api_client(owner).post(path, b"--x\r\n", content_type="multipart/form-data")
        assert response.status_code == 400, (path, response.content[:200])
        assert "boundary" in response.json()["detail"]
