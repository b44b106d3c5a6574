"""Any region: the public channel's cascade, routing and the reward office follow STEELWATCH_REGION —
a municipality (天津 120000), a county (双江 530925), a province (江苏 320000), or the whole tree."""

import json
import os
import re
import subprocess
import sys
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from steelwatch.core.models import Notification
from steelwatch.geo.models import Division
from steelwatch.testing import make_enterprise, make_user
from steelwatch.tips import services
from steelwatch.tips.models import Tip

from .conftest import receipt_and_key

pytestmark = pytest.mark.django_db
HEPING = "120101"  # 天津市和平区
SHUANGJIANG = "530925"  # 双江拉祜族佤族布朗族傣族自治县


def options(html: str, name: str) -> dict[str, str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no <select name={name}>"
    return dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1)))


def submit_page(client: Client, division_code: str, **extra):
    page = client.get("/public/tips/").content.decode()
    token = re.search(r'name="submission" value="([^"]+)"', page).group(1)
    data = {
        "content": "夜里有中频炉在炼钢，冒黑烟",
        "address": "某路某号厂房",
        "division_code": division_code,
        "submission": token,
        **extra,
    }
    return client.post("/public/tips/", data)


def test_municipality_tip_in_heping_reaches_its_handler(settings, django_capture_on_commit_callbacks):
    settings.STEELWATCH_REGION = "120000"
    handler = make_user("tip_handler", HEPING, username="heping_handler")
    elsewhere = make_user("tip_handler", "120102", username="hedong_handler")
    township = Division.objects.filter(parent_id=HEPING).order_by("code").first()
    client = Client()

    page = client.get("/public/tips/").content.decode()
    assert "天津市" in page and "area_1" not in page  # the municipality's districts are listed at once
    choices = options(page, "division_code")
    assert township.code in choices and HEPING in choices and "和平区" in choices[township.code]
    assert not any(code.startswith("3204") for code in choices)

    with django_capture_on_commit_callbacks(execute=True):
        response = submit_page(client, township.code)
    assert response.status_code == 201, response.content.decode()
    receipt, key = receipt_and_key(response.content.decode())
    tip = Tip.objects.get(receipt=receipt)
    assert tip.division_id == township.code and key
    assert Notification.objects.filter(recipient=handler, text__contains=receipt).exists()
    assert not Notification.objects.filter(recipient=elsewhere).exists()

    outside = submit_page(client, "320412001")  # a 常州 township is outside a 天津 deployment
    assert outside.status_code == 400
    api = client.post(
        "/api/v1/public/tips",
        json.dumps({"content": "有人炼地条钢", "address": "某地", "division_code": "320412"}),
        content_type="application/json",
    )
    assert api.status_code == 422 and "天津市" in json.dumps(api.json(), ensure_ascii=False)


def test_county_tip_for_a_township_reaches_the_county_handler(settings, django_capture_on_commit_callbacks):
    settings.STEELWATCH_REGION = SHUANGJIANG
    handler = make_user("tip_handler", SHUANGJIANG, username="shuangjiang_handler")
    mengku = Division.objects.get(code="530925101")  # 勐库镇
    client = Client()
    choices = options(client.get("/public/tips/").content.decode(), "division_code")
    townships = set(Division.objects.filter(parent_id=SHUANGJIANG).values_list("code", flat=True))
    assert set(choices) - {""} == townships | {SHUANGJIANG}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/public/tips",
            json.dumps(
                {"content": "茶厂后面有人炼钢", "address": "勐库镇某村", "division_code": mengku.code}
            ),
            content_type="application/json",
        )
    assert response.status_code == 201, response.content
    tip = Tip.objects.get(receipt=response.json()["receipt"])
    assert tip.division_id == mengku.code
    assert Notification.objects.filter(recipient=handler, text__contains=tip.receipt).exists()


def test_county_office_sets_the_reward_scale_in_a_county_deployment(settings):
    settings.STEELWATCH_REGION = SHUANGJIANG
    county_office = make_user("district_office", SHUANGJIANG, username="shuangjiang_office")
    township = make_user("district_office", "530925101", username="mengku_office")
    rule = services.reward_rule_save(
        actor=county_office, code="site", name="查实窝点", amount=Decimal("1000")
    )
    assert rule.amount == Decimal("1000")
    with pytest.raises(Exception, match="管辖全部服务范围"):
        services.reward_rule_save(actor=township, code="site", name="查实窝点", amount=Decimal("1"))


def test_whole_tree_cascade_goes_province_city_then_district(settings):
    settings.STEELWATCH_REGION = ""
    client = Client()
    first = client.get("/public/tips/").content.decode()
    provinces = options(first, "area_1")
    assert provinces["320000"] == "江苏省" and provinces["120000"] == "天津市" and len(provinces) > 30
    assert '<select name="division_code"' not in first  # no list of 40,000 places
    second = client.get("/public/tips/", {"area_1": "320000"}).content.decode()
    assert options(second, "area_2")["320400"] == "常州市"
    third = client.get("/public/tips/", {"area_1": "320000", "area_2": "320400"}).content.decode()
    assert "320412" in options(third, "division_code")
    municipality = client.get("/public/tips/", {"area_1": "120000"}).content.decode()
    assert "area_2" not in municipality and HEPING in options(municipality, "division_code")
    stale = client.get("/public/tips/", {"area_1": "120000", "area_2": "320400"}).content.decode()
    assert "3204" not in "".join(options(stale, "division_code"))  # a city of another province is ignored


def test_cascade_without_javascript_posts_the_step_and_keeps_what_was_typed(settings):
    settings.STEELWATCH_REGION = "320000"  # a province: pick the city first
    client = Client()
    first = client.get("/public/tips/").content.decode()
    assert options(first, "area_1")["320400"] == "常州市"
    response = client.post(
        "/public/tips/", {"pick": "1", "area_1": "320400", "content": "夜里炼钢的声音", "address": "某厂"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "夜里炼钢的声音" in page and "errorlist" not in page
    assert "320412" in options(page, "division_code")
    assert not Tip.objects.exists()


def test_a_complete_choice_is_accepted_without_the_cascade_steps(settings, township):
    settings.STEELWATCH_REGION = ""
    response = submit_page(Client(), township.code)  # no area_1/area_2 posted
    assert response.status_code == 201, response.content.decode()


def test_nearest_site_is_found_by_a_bounding_box_in_the_database(settings):
    settings.STEELWATCH_REGION = "120000"
    near = make_enterprise("120101001", latitude=Decimal("39.117000"), longitude=Decimal("117.200000"))
    make_enterprise("120101002", latitude=Decimal("39.150000"), longitude=Decimal("117.240000"))  # 5 km on
    make_enterprise(
        "320412001", latitude=Decimal("39.117100"), longitude=Decimal("117.200100")
    )  # out of region
    for i in range(30):  # far away in the region: never read
        make_enterprise("120116005", latitude=Decimal("38.9") - i, longitude=Decimal("117.6"))
    with CaptureQueriesContext(connection) as queries:
        found = services.nearest_enterprise(39.1175, 117.2005, 5000)
    assert found == near
    (sql,) = [q["sql"] for q in queries.captured_queries]
    assert "BETWEEN" in sql and "LIMIT" in sql and '"latitude"' in sql
    assert services.nearest_enterprise(39.5, 117.2, 5000) is None
    division, how = services.locate(latitude=Decimal("39.1175"), longitude=Decimal("117.2005"))
    assert division.code == "120101001" and how == Tip.Located.COORDINATES


def _check(region: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STEELWATCH_REGION")}
    env.update(STEELWATCH_REGION=region, STEELWATCH_DEV="true")
    return subprocess.run(
        [sys.executable, "-m", "steelwatch.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_an_unknown_region_refuses_to_start_naming_the_variable():
    refused = _check("999999")
    assert refused.returncode != 0 and "STEELWATCH_REGION" in refused.stderr and "999999" in refused.stderr
    assert _check(SHUANGJIANG).returncode == 0
