"""API v1 of the ledger: scoping by the token's jurisdiction, 401/404/422, audit, pagination."""

import json

import pytest
from django.test import Client

from steelwatch.core.audit import history_for
from steelwatch.geo.models import Division
from steelwatch.registry.models import (
    CapacityIncreaseRequest,
    Enterprise,
    Furnace,
    FurnaceStatusChange,
    PowerAccount,
)
from steelwatch.testing import api_client, make_enterprise, make_uscc

pytestmark = pytest.mark.django_db

OWNER_TOWNSHIP = "320412001"
OUTSIDER_TOWNSHIP = "320411003"


def body(response):
    return json.loads(response.content)


def post(client, url, data, method="post"):
    return getattr(client, method)(url, data=json.dumps(data), content_type="application/json")


def wrong_check(uscc: str) -> str:
    return uscc[:17] + ("0" if uscc[17] != "0" else "1")


@pytest.fixture
def two_districts(db):
    mine = make_enterprise(OWNER_TOWNSHIP, name="武进金属铸件厂")
    theirs = make_enterprise(OUTSIDER_TOWNSHIP, name="新北钢材加工厂")
    Furnace.objects.create(enterprise=theirs, number="F1", kind="medium_freq", capacity_t=5, rated_kw=3000)
    PowerAccount.objects.create(
        account_id="3204110001", enterprise=theirs, division_id=OUTSIDER_TOWNSHIP, contracted_kva=800
    )
    return mine, theirs


def test_no_token_or_a_bad_token_is_401(two_districts):
    mine, _ = two_districts
    assert Client().get("/api/v1/enterprises").status_code == 401
    bad = Client(headers={"Authorization": "Bearer sw_not-a-real-token"})
    for url in [
        "/api/v1/enterprises",
        f"/api/v1/enterprises/{mine.pk}",
        "/api/v1/furnaces",
        "/api/v1/power-accounts",
    ]:
        assert bad.get(url).status_code == 401, url
    assert post(Client(), "/api/v1/enterprises", {}).status_code == 401


def test_a_district_token_never_returns_another_districts_enterprise(owner, outsider, two_districts):
    mine, theirs = two_districts
    client = api_client(owner)
    listed = body(client.get("/api/v1/enterprises"))
    assert [e["uscc"] for e in listed["items"]] == [mine.uscc]
    assert body(client.get("/api/v1/enterprises", {"q": theirs.uscc}))["count"] == 0
    assert body(client.get("/api/v1/enterprises", {"division": "320411"}))["count"] == 0
    assert client.get(f"/api/v1/enterprises/{theirs.pk}").status_code == 404
    assert post(client, f"/api/v1/enterprises/{theirs.pk}", {"name": "改名"}, "patch").status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "新北钢材加工厂"
    # Furnaces and power accounts follow the same rule.
    furnace = theirs.furnaces.get()
    assert body(client.get("/api/v1/furnaces"))["count"] == 0
    assert client.get(f"/api/v1/furnaces/{furnace.pk}").status_code == 404
    assert post(client, f"/api/v1/furnaces/{furnace.pk}", {"status": "destroyed"}, "patch").status_code == 404
    assert (
        post(
            client,
            "/api/v1/furnaces",
            {
                "enterprise_id": theirs.pk,
                "number": "X",
                "kind": "medium_freq",
                "capacity_t": 1,
                "rated_kw": 500,
            },
        ).status_code
        == 404
    )
    assert client.get("/api/v1/power-accounts/3204110001").status_code == 404
    assert body(client.get("/api/v1/power-accounts"))["count"] == 0
    # …and the outsider sees theirs, never mine.
    other = api_client(outsider)
    assert [e["uscc"] for e in body(other.get("/api/v1/enterprises"))["items"]] == [theirs.uscc]
    assert other.get(f"/api/v1/enterprises/{mine.pk}").status_code == 404


def test_a_city_token_sees_both_districts(city_user, two_districts):
    mine, theirs = two_districts
    client = api_client(city_user)
    assert {e["uscc"] for e in body(client.get("/api/v1/enterprises"))["items"]} == {mine.uscc, theirs.uscc}
    assert body(client.get("/api/v1/enterprises", {"division": "320411"}))["items"][0]["uscc"] == theirs.uscc
    detail = body(client.get(f"/api/v1/enterprises/{theirs.pk}"))
    assert detail["division"] == OUTSIDER_TOWNSHIP
    assert [f["number"] for f in detail["furnaces"]] == ["F1"]
    assert detail["power_accounts"][0]["contracted_kva"] == 800


def test_create_is_audited_and_update_records_before_and_after(owner):
    client = api_client(owner)
    uscc = make_uscc("320412", authority="N2")  # a letter-led code
    response = post(
        client,
        "/api/v1/enterprises",
        {
            "uscc": uscc,
            "name": "武进特种合金厂",
            "division": OWNER_TOWNSHIP,
            "status": "operating",
            "is_special_steel": True,
        },
    )
    assert response.status_code == 201, response.content
    created = Enterprise.objects.get(uscc=uscc)
    assert body(response)["id"] == created.pk and body(response)["furnaces"] == []
    (record,) = history_for(created)
    assert record.action == "create" and record.actor == owner and record.after["name"] == "武进特种合金厂"

    response = post(
        client, f"/api/v1/enterprises/{created.pk}", {"status": "idle", "reason": "长期停产"}, "patch"
    )
    assert response.status_code == 200 and body(response)["status"] == "idle"
    latest = history_for(created).first()
    assert latest.action == "update" and latest.reason == "长期停产"
    assert (latest.before["status"], latest.after["status"]) == ("operating", "idle")
    assert (
        latest.before["name"] == latest.after["name"] == "武进特种合金厂"
    )  # fields not sent stay as they were


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"uscc": "BAD"}, "uscc"),
        ({"division": "999999"}, "division"),
        ({"division": OUTSIDER_TOWNSHIP}, "division"),  # exists, but outside the owner's jurisdiction
        ({"status": "zombie"}, "status"),
    ],
)
def test_validation_errors_are_422_naming_the_field(owner, payload, field):
    data = {"uscc": make_uscc("320412"), "name": "某厂", "division": OWNER_TOWNSHIP, **payload}
    if field == "uscc":
        data["uscc"] = wrong_check(make_uscc("320412"))
    response = post(api_client(owner), "/api/v1/enterprises", data)
    assert response.status_code == 422, response.content
    detail = body(response)["detail"]
    assert any(error["loc"][-1] == field for error in detail), detail
    assert Enterprise.objects.count() == 0


def test_bad_check_character_message_says_what_is_expected(owner):
    good = make_uscc("320412")
    response = post(
        api_client(owner),
        "/api/v1/enterprises",
        {"uscc": wrong_check(good), "name": "某厂", "division": OWNER_TOWNSHIP},
    )
    (error,) = body(response)["detail"]
    assert error["loc"] == ["body", "uscc"]
    assert f"校验码错误：第18位应为“{good[17]}”" in error["msg"]


def test_pagination_envelope(owner):
    for n in range(5):
        make_enterprise(OWNER_TOWNSHIP, name=f"分页测试厂{n}")
    client = api_client(owner)
    first = body(client.get("/api/v1/enterprises", {"page_size": 2, "q": "分页测试"}))
    assert (first["count"], first["offset"], first["limit"], len(first["items"])) == (5, 0, 2, 2)
    assert "q=" in first["next"] and "offset=2" in first["next"] and "limit=2" in first["next"]
    second = body(client.get(first["next"]))
    third = body(client.get(second["next"]))
    assert third["next"] is None and len(third["items"]) == 1
    names = [e["name"] for page in (first, second, third) for e in page["items"]]
    assert sorted(names) == [f"分页测试厂{n}" for n in range(5)]
    assert client.get("/api/v1/enterprises", {"page_size": 500}).status_code == 422
    by_offset = body(client.get("/api/v1/enterprises", {"limit": 2, "offset": 4, "q": "分页测试"}))
    assert (by_offset["count"], len(by_offset["items"]), by_offset["next"]) == (5, 1, None)
    assert by_offset["items"][0]["name"] == names[4]
    assert (
        body(client.get("/api/v1/enterprises", {"page": 2, "page_size": 2, "q": "分页测试"}))["offset"] == 2
    )


def test_flag_and_status_filters(owner):
    foundry = make_enterprise(OWNER_TOWNSHIP, is_foundry=True)
    user = make_enterprise(OWNER_TOWNSHIP, status="idle")
    Furnace.objects.create(enterprise=user, number="1", kind="power_freq", capacity_t=1, rated_kw=400)
    client = api_client(owner)
    assert [e["id"] for e in body(client.get("/api/v1/enterprises", {"flag": "foundry"}))["items"]] == [
        foundry.pk
    ]
    assert [e["id"] for e in body(client.get("/api/v1/enterprises", {"flag": "furnace_user"}))["items"]] == [
        user.pk
    ]
    assert [e["id"] for e in body(client.get("/api/v1/enterprises", {"status": "idle"}))["items"]] == [
        user.pk
    ]
    assert client.get("/api/v1/enterprises", {"flag": "nonsense"}).status_code == 422


def test_furnace_create_and_status_change_keeps_dated_history(owner, enterprise):
    client = api_client(owner)
    response = post(
        client,
        "/api/v1/furnaces",
        {
            "uscc": enterprise.uscc,
            "number": "ZP-01",
            "kind": "medium_freq",
            "capacity_t": "1.5",
            "rated_kw": "750",
            "purpose": "铸件熔炼",
        },
    )
    assert response.status_code == 201, response.content
    furnace_id = body(response)["id"]
    response = post(
        client,
        f"/api/v1/furnaces/{furnace_id}",
        {"status": "sealed", "status_date": "2026-01-05", "note": "贴封条"},
        "patch",
    )
    assert body(response)["status"] == "sealed"
    history = list(FurnaceStatusChange.objects.filter(furnace_id=furnace_id).order_by("id"))
    assert [(h.status, h.note) for h in history][-1] == ("sealed", "贴封条")
    assert str(history[-1].date) == "2026-01-05"
    listed = body(client.get("/api/v1/furnaces", {"enterprise_id": enterprise.pk, "status": "sealed"}))
    assert [f["number"] for f in listed["items"]] == ["ZP-01"]
    bad = post(
        client,
        "/api/v1/furnaces",
        {"enterprise_id": enterprise.pk, "number": "2", "kind": "arc", "capacity_t": 1, "rated_kw": 1},
    )
    assert bad.status_code == 422 and body(bad)["detail"][0]["loc"][-1] == "kind"


def test_power_account_with_capacity_requests(owner, outsider, enterprise):
    client = api_client(owner)
    response = post(
        client,
        "/api/v1/power-accounts",
        {
            "account_id": "3204120099",
            "enterprise_id": enterprise.pk,
            "division": enterprise.division_id,
            "contracted_kva": "630",
        },
    )
    assert response.status_code == 201, response.content
    account = PowerAccount.objects.get(account_id="3204120099")
    CapacityIncreaseRequest.objects.create(
        account=account, requested_on="2026-02-01", from_kva=630, to_kva=2000
    )
    detail = body(client.get("/api/v1/power-accounts/3204120099"))
    assert (
        detail["capacity_requests"][0]["to_kva"] == 2000
        and detail["capacity_requests"][0]["status"] == "pending"
    )
    response = post(
        client, "/api/v1/power-accounts/3204120099", {"contracted_kva": "800", "reason": "核定"}, "patch"
    )
    assert body(response)["contracted_kva"] == 800
    assert history_for(account).first().before["contracted_kva"] == "630.0"
    assert body(client.get("/api/v1/power-accounts", {"account_id": "0099"}))["count"] == 1
    # Outside the jurisdiction: not found, and a division outside it is refused by name.
    assert api_client(outsider).get("/api/v1/power-accounts/3204120099").status_code == 404
    refused = post(
        client,
        "/api/v1/power-accounts",
        {"account_id": "X1", "division": OUTSIDER_TOWNSHIP, "contracted_kva": 100},
    )
    assert refused.status_code == 422 and body(refused)["detail"][0]["loc"][-1] == "division"
    name = Division.objects.get(code=OUTSIDER_TOWNSHIP).name
    assert f"行政区划 {OUTSIDER_TOWNSHIP}（{name}） 不在您的管辖范围内" in body(refused)["detail"][0]["msg"]
