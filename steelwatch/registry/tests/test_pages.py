"""Ledger pages through Django's test client, as the owner, a colleague, a viewer and the outsider."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from steelwatch.core.audit import history_for
from steelwatch.registry import services
from steelwatch.registry.models import (
    CapacityIncreaseRequest,
    Enterprise,
    Furnace,
    PowerAccount,
    ProductionLicence,
)
from steelwatch.testing import make_enterprise, make_user

pytestmark = pytest.mark.django_db


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def ledger(enterprise):
    """The `enterprise` fixture (武进区) with a furnace, a power account with a pending request, two licences."""
    furnace = services.furnace_create(
        actor=None,
        enterprise=enterprise,
        number="ZP-01",
        kind="medium_freq",
        capacity_t=2,
        rated_kw=1500,
        purpose="铸件",
    )
    account = PowerAccount.objects.create(
        account_id="3204129001",
        enterprise=enterprise,
        division_id=enterprise.division_id,
        contracted_kva=630,
        transformer="S11-630",
    )
    request = CapacityIncreaseRequest.objects.create(
        account=account, requested_on=datetime.date(2026, 1, 10), from_kva=630, to_kva=2500, reason="扩产"
    )
    expired = ProductionLicence.objects.create(
        enterprise=enterprise,
        number="XK05-001-00001",
        scope="钢筋混凝土用热轧带肋钢筋",
        valid_from=datetime.date(2018, 1, 1),
        valid_until=datetime.date(2023, 1, 1),
    )
    return {
        "enterprise": enterprise,
        "furnace": furnace,
        "account": account,
        "request": request,
        "licence": expired,
    }


def object_urls(ledger) -> list[str]:
    e = ledger["enterprise"]
    return [
        reverse("registry:enterprise_detail", args=[e.pk]),
        reverse("registry:enterprise_edit", args=[e.pk]),
        reverse("registry:furnace_create", args=[e.pk]),
        reverse("registry:power_account_create", args=[e.pk]),
        reverse("registry:licence_create", args=[e.pk]),
        reverse("registry:enterprise_by_uscc", args=[e.uscc]),
        reverse("registry:furnace_edit", args=[ledger["furnace"].pk]),
        reverse("registry:power_account_edit", args=[ledger["account"].account_id]),
        reverse("registry:capacity_request_create", args=[ledger["account"].account_id]),
        reverse("registry:capacity_request_decide", args=[ledger["request"].pk]),
        reverse("registry:licence_edit", args=[ledger["licence"].pk]),
    ]


def test_outsider_gets_404_on_every_ledger_object(client, outsider, ledger):
    client.force_login(outsider)
    for url in object_urls(ledger):
        assert client.get(url).status_code == 404, url
    e = ledger["enterprise"]
    for name in ("watchlist_add", "watchlist_remove", "supervisor_assign"):
        assert client.post(reverse(f"registry:{name}", args=[e.pk]), {"reason": "x"}).status_code == 404, name
    assert client.post(reverse("registry:enterprise_edit", args=[e.pk]), {"name": "改"}).status_code == 404
    e.refresh_from_db()
    assert e.name.startswith("测试金属制品厂")


def test_outsider_list_does_not_show_another_districts_enterprise(client, outsider, ledger):
    client.force_login(outsider)
    page = html(client.get(reverse("registry:enterprise_list")))
    assert ledger["enterprise"].name not in page and "共 0 家企业" in page
    page = html(client.get(reverse("registry:enterprise_list"), {"q": ledger["enterprise"].uscc}))
    assert ledger["enterprise"].name not in page
    # Its drop-down offers only its own district's townships.
    assert "新北区" in page and "武进区" not in page.split("<main")[1]


def test_owner_and_colleague_see_the_enterprise_page(client, owner, colleague, ledger):
    e = ledger["enterprise"]
    for user in (owner, colleague):
        client.force_login(user)
        page = html(client.get(reverse("registry:enterprise_detail", args=[e.pk])))
        assert e.name in page and e.uscc in page
        assert "ZP-01" in page and "中频炉" in page and "登记" in page  # furnace with its status history
        assert "3204129001" in page and "630.0 kVA" in page and "630.0 → 2500.0" in page and "待审核" in page
        assert 'class="expired"' in page and "已过期" in page  # the licence ran out in 2023
        assert 'id="enterprise-map"' not in page and "未登记坐标" in page
        assert 'id="edit-enterprise"' in page  # both roles may edit the ledger


def test_viewer_sees_no_edit_buttons_and_cannot_edit(client, ledger):
    viewer = make_user("viewer", "320412")
    client.force_login(viewer)
    e = ledger["enterprise"]
    page = html(client.get(reverse("registry:enterprise_detail", args=[e.pk])))
    assert e.name in page and 'id="edit-enterprise"' not in page and "编辑/变更状态" not in page
    assert "新增企业" not in html(client.get(reverse("registry:enterprise_list")))
    assert client.get(reverse("registry:enterprise_edit", args=[e.pk])).status_code == 403
    assert (
        client.post(
            reverse("registry:watchlist_add", args=[e.pk]), {"criterion": "power", "reason": "x"}
        ).status_code
        == 403
    )


def test_ledger_search_filters_and_saved_views(client, owner):
    township = "320412001"
    other_township = "320412002"
    foundry = make_enterprise(
        township, name="常州精密铸造有限公司", is_foundry=True, address="湖塘镇工业路8号"
    )
    idle = make_enterprise(
        other_township,
        name="武进闲置钢铁厂",
        status="idle",
        on_watchlist=True,
        watchlist_reason="电力容量和用电量：夜间用电",
    )
    off = make_enterprise(township, name="排查发现小作坊", on_ledger=False)
    Furnace.objects.create(enterprise=idle, number="1", kind="power_freq", capacity_t=1, rated_kw=500)
    client.force_login(owner)
    url = reverse("registry:enterprise_list")

    def names(**params) -> set[str]:
        page = html(client.get(url, params))
        return {e.name for e in (foundry, idle, off) if e.name in page}

    assert names() == {foundry.name, idle.name, off.name}
    assert names(q="精密") == {foundry.name}
    assert names(q=idle.uscc) == {idle.name}
    # A whole code is looked up as a key, however it was typed (lower case, spaces); a wrong one finds nothing.
    assert names(q=f" {idle.uscc[:6].lower()} {idle.uscc[6:]} ") == {idle.name}
    assert names(q=idle.uscc[:17] + ("0" if idle.uscc[17] != "0" else "1")) == set()
    assert names(q="工业路") == {foundry.name}
    assert names(status="idle") == {idle.name}
    assert names(flag="foundry") == {foundry.name}
    assert names(division=other_township) == {idle.name}
    assert names(division="320412") == {foundry.name, idle.name, off.name}

    furnace_users = html(client.get(reverse("registry:enterprise_view", args=["furnace-users"])))
    assert (
        "中(工)频炉使用企业清单" in furnace_users
        and idle.name in furnace_users
        and foundry.name not in furnace_users
    )
    watchlist = html(client.get(reverse("registry:enterprise_view", args=["watchlist"])))
    assert "重点监控企业清单" in watchlist and "列入标准" in watchlist and "大型变压器分布" in watchlist
    assert idle.name in watchlist and foundry.name not in watchlist
    off_ledger = html(client.get(reverse("registry:enterprise_view", args=["off-ledger"])))
    assert "台账外企业（待清零）" in off_ledger and off.name in off_ledger and foundry.name not in off_ledger
    assert client.get(reverse("registry:enterprise_view", args=["nonsense"])).status_code == 404
    # htmx asks for the results only.
    partial = client.get(url, {"q": "精密"}, headers={"HX-Request": "true"}).content.decode()
    assert foundry.name in partial and "<html" not in partial
    # The export form posts the division filter to the Excel export.
    listed = html(client.get(url, {"division": township}))
    assert f'action="{reverse("ledger_excel:export")}"' in listed
    assert f'<input type="hidden" name="division" value="{township}">' in listed


def test_ledger_pagination_and_query_count(client, owner, django_assert_max_num_queries):
    for n in range(35):
        make_enterprise("320412001", name=f"分页企业{n:02d}")
    client.force_login(owner)
    url = reverse("registry:enterprise_list")
    with django_assert_max_num_queries(15):
        first = html(client.get(url, {"q": "分页"}))
    assert "第 1 / 2 页" in first and "q=%E5%88%86%E9%A1%B5&amp;page=2" in first
    second = html(client.get(url, {"q": "分页", "page": 2}))
    assert second.count("分页企业") == 5


def test_enterprise_edit_checks_like_the_import_and_is_audited(client, owner, enterprise):
    client.force_login(owner)
    url = reverse("registry:enterprise_edit", args=[enterprise.pk])
    form = html(client.get(url))
    assert enterprise.name in form and "统一社会信用代码" in form
    data = {
        "uscc": enterprise.uscc,
        "name": enterprise.name,
        "division": enterprise.division_id,
        "status": "operating",
        "address": enterprise.address,
        "industry": enterprise.industry,
        "on_ledger": "on",
    }

    bad_check = enterprise.uscc[:17] + ("0" if enterprise.uscc[17] != "0" else "1")
    page = html(client.post(url, {**data, "uscc": bad_check}))
    assert "校验码错误" in page
    page = html(client.post(url, {**data, "division": "320411003"}))
    assert "不在您的管辖范围内" in page
    page = html(client.post(url, {**data, "division": "320412999"}))
    assert "不存在" in page
    enterprise.refresh_from_db()
    assert enterprise.uscc != bad_check and enterprise.division_id == "320412001"

    response = client.post(url, {**data, "name": "武进新名称铸造厂", "status": "idle", "reason": "更名"})
    assert response.status_code == 302
    latest = history_for(enterprise).first()
    assert (latest.actor, latest.reason, latest.before["name"], latest.after["name"]) == (
        owner,
        "更名",
        enterprise.name,
        "武进新名称铸造厂",
    )
    page = html(client.get(response.url))
    assert "企业名称</b>：" + enterprise.name + " → 武进新名称铸造厂" in page
    assert "经营状态</b>：在营 → 停产" in page and "owner" in page


def test_enterprise_create_page(client, owner):
    client.force_login(owner)
    from steelwatch.testing import make_uscc

    uscc = make_uscc("320412", authority="Y1")
    response = client.post(
        reverse("registry:enterprise_create"),
        {
            "uscc": uscc,
            "name": "新登记企业",
            "division": "320412002",
            "status": "operating",
            "on_ledger": "on",
        },
    )
    assert response.status_code == 302
    created = Enterprise.objects.get(uscc=uscc)
    assert created.division_id == "320412002" and history_for(created).get().action == "create"


def test_furnace_status_change_writes_dated_history(client, colleague, ledger):
    client.force_login(colleague)
    furnace = ledger["furnace"]
    url = reverse("registry:furnace_edit", args=[furnace.pk])
    data = {
        "number": furnace.number,
        "kind": furnace.kind,
        "capacity_t": "2.00",
        "rated_kw": "1500.0",
        "status": "sealed",
        "status_date": "2026-03-01",
        "reason": "封条编号 WJ-0301",
    }
    assert client.post(url, data).status_code == 302
    latest = furnace.status_history.order_by("-id").first()
    assert (latest.status, str(latest.date), latest.note, latest.recorded_by) == (
        "sealed",
        "2026-03-01",
        "封条编号 WJ-0301",
        colleague,
    )
    page = html(client.get(reverse("registry:enterprise_detail", args=[furnace.enterprise_id])))
    assert "2026-03-01 封存（封条编号 WJ-0301）" in page


def test_watchlist_add_and_remove_need_a_reason(client, owner, enterprise):
    client.force_login(owner)
    add = reverse("registry:watchlist_add", args=[enterprise.pk])
    detail = reverse("registry:enterprise_detail", args=[enterprise.pk])
    response = client.post(add, {"criterion": "power", "reason": ""}, follow=True)
    assert "这个字段是必填项" in response.content.decode() or "必填" in response.content.decode()
    enterprise.refresh_from_db()
    assert not enterprise.on_watchlist
    assert client.post(add, {"criterion": "power", "reason": "夜间用电是白天的3倍"}).url == detail
    enterprise.refresh_from_db()
    assert enterprise.on_watchlist and enterprise.watchlist_reason == "电力容量和用电量：夜间用电是白天的3倍"
    assert (
        client.post(reverse("registry:watchlist_remove", args=[enterprise.pk]), {"reason": "核查无异常"}).url
        == detail
    )
    enterprise.refresh_from_db()
    assert not enterprise.on_watchlist
    assert history_for(enterprise).first().reason == "核查无异常"


def test_supervisor_for_a_zombie(client, owner, colleague, outsider, enterprise):
    client.force_login(owner)
    url = reverse("registry:supervisor_assign", args=[enterprise.pk])
    client.post(url, {"supervisor": colleague.pk}, follow=True)
    enterprise.refresh_from_db()
    assert enterprise.supervisor is None  # only idle (zombie) enterprises get one
    Enterprise.objects.filter(pk=enterprise.pk).update(status="idle")
    reader = make_user("viewer", enterprise.division_id, username="reader")
    handler = make_user("tip_handler", enterprise.division_id, username="tiphandler")
    page = html(client.get(reverse("registry:enterprise_detail", args=[enterprise.pk])))
    assert "僵尸企业监管责任人" in page and "colleague" in page and "outsider" not in page
    assert (
        "reader" not in page and "tiphandler" not in page
    )  # read-only users and tip handlers keep no ledger
    for stranger in (outsider, reader, handler):  # not candidates: refused
        client.post(url, {"supervisor": stranger.pk})
        enterprise.refresh_from_db()
        assert enterprise.supervisor is None
    client.post(url, {"supervisor": colleague.pk, "reason": "包片负责"})
    enterprise.refresh_from_db()
    assert enterprise.supervisor == colleague


def test_capacity_request_and_decision(client, owner, ledger):
    client.force_login(owner)
    account = ledger["account"]
    url = reverse("registry:capacity_request_create", args=[account.account_id])
    assert "应大于现有合同容量" in html(client.post(url, {"requested_on": "2026-02-01", "to_kva": "500"}))
    decide = reverse("registry:capacity_request_decide", args=[ledger["request"].pk])
    assert client.post(decide, {"approve": "1", "reason": "符合铸造用途"}).status_code == 302
    account.refresh_from_db()
    ledger["request"].refresh_from_db()
    assert ledger["request"].status == "approved" and account.contracted_kva == 2500
    assert "已处理" in html(client.post(decide, {"approve": "0"}))


def test_licence_and_power_account_forms(client, owner, enterprise):
    client.force_login(
        make_user("department_staff", "320412", department="market_regulation", username="market_wj")
    )
    response = client.post(
        reverse("registry:licence_create", args=[enterprise.pk]),
        {
            "number": "XK05-001-00099",
            "scope": "热轧带肋钢筋",
            "valid_from": "2025-01-01",
            "valid_until": "2024-01-01",
            "status": "valid",
        },
    )
    assert "有效期至不能早于有效期起" in html(response)
    client.force_login(owner)
    response = client.post(
        reverse("registry:power_account_create", args=[enterprise.pk]),
        {"account_id": "3204120777", "division": "320411003", "contracted_kva": "400"},
    )
    assert "不在您的管辖范围内" in html(response)
    response = client.post(
        reverse("registry:power_account_create", args=[enterprise.pk]),
        {"account_id": "3204120777", "division": enterprise.division_id, "contracted_kva": "400"},
    )
    assert response.status_code == 302
    assert PowerAccount.objects.get(account_id="3204120777").enterprise == enterprise


def test_licences_are_edited_by_market_regulation_staff_in_their_jurisdiction_only(
    client, owner, colleague, ledger
):
    """The explicit licence rule (registry.services.licence_create): `licences.edit`, held by market_regulation
    department staff; offices, townships and grid officers (ledger.edit) may not; outside the jurisdiction the
    licence is not found."""
    e, licence = ledger["enterprise"], ledger["licence"]
    create = reverse("registry:licence_create", args=[e.pk])
    edit = reverse("registry:licence_edit", args=[licence.pk])
    detail = reverse("registry:enterprise_detail", args=[e.pk])
    market = make_user("department_staff", "320412", department="market_regulation", username="market_wj")
    client.force_login(market)
    assert html(client.get(create)) and html(client.get(edit))
    page = html(client.get(detail))
    assert create in page and edit in page
    response = client.post(
        edit,
        {
            "number": licence.number,
            "scope": licence.scope,
            "valid_from": "2023-01-02",
            "valid_until": "2028-01-01",
            "status": "valid",
            "reason": "换证",
        },
    )
    assert response.status_code == 302
    licence.refresh_from_db()
    assert licence.valid_until == datetime.date(2028, 1, 1)

    grid = make_user("grid_officer", colleague.division_id, username="grid_wj")
    for user in (
        owner,
        colleague,
        grid,
        make_user("viewer", "320412", username="viewer_wj"),
        make_user("department_staff", "320412", department="police", username="police_wj"),
    ):
        client.force_login(user)
        assert client.get(create).status_code == 403, user.username
        assert client.get(edit).status_code == 403, user.username
        assert client.post(edit, {"number": "X"}).status_code == 403, user.username
        page = html(client.get(detail))
        assert create not in page and edit not in page, user.username

    # The market regulator of another district: not found, like any outsider.
    client.force_login(
        make_user("department_staff", "320411", department="market_regulation", username="market_xb")
    )
    assert client.get(create).status_code == 404 and client.get(edit).status_code == 404
    licence.refresh_from_db()
    assert licence.number == "XK05-001-00001"
    with pytest.raises(PermissionDenied):
        services.licence_update(actor=owner, licence=licence, number="X")


def test_enterprise_address_is_shown_once(client, owner, ledger):
    """A power account at the enterprise's own address does not repeat it."""
    e, account = ledger["enterprise"], ledger["account"]
    account.address = e.address
    account.save()
    client.force_login(owner)
    page = html(client.get(reverse("registry:enterprise_detail", args=[e.pk]))).split("<main", 1)[1]
    assert page.count(e.address) == 1 and "同企业详细地址" in page


def test_list_area_column_names_district_and_township(
    client, owner, enterprise, django_assert_max_num_queries
):
    client.force_login(owner)
    township = enterprise.division
    with django_assert_max_num_queries(12):  # the parent chain is joined, not fetched per row
        page = html(client.get(reverse("registry:enterprise_list")))
    assert f"武进区 / {township.name}" in page
    assert township.area_name == f"武进区 / {township.name}" and township.parent.area_name == "武进区"


def test_enterprise_map_shows_the_nearest_neighbours_only(client, owner, monkeypatch):
    """A township of thousands would make the page heavy: the map shows the nearest MAP_NEIGHBOURS others."""
    import json
    from decimal import Decimal

    from steelwatch.registry import selectors

    monkeypatch.setattr(selectors.township_points, "__defaults__", (3,))  # MAP_NEIGHBOURS, bound at def time
    here = make_enterprise("320412001", name="中心企业", longitude=Decimal("120.0"), latitude=Decimal("31.7"))
    for step in [5, 1, 4, 2, 3]:
        make_enterprise(
            "320412001",
            name=f"邻居{step}",
            longitude=Decimal("120.0") + Decimal(step) / 100,
            latitude=Decimal("31.7"),
        )
    make_enterprise("320412002", name="别镇企业", longitude=Decimal("120.0001"), latitude=Decimal("31.7"))
    client.force_login(owner)
    page = html(client.get(reverse("registry:enterprise_detail", args=[here.pk])))
    points = json.loads(page.split('id="map-points" type="application/json">', 1)[1].split("</script>", 1)[0])
    assert points["here"][0][2] == "中心企业"
    assert [name for _lng, _lat, name in points["others"]] == ["邻居1", "邻居2", "邻居3"]
    assert "距离最近的 3 家企业" in page


def test_an_enterprise_is_placed_in_a_village_picked_by_name(client, owner):
    """#11 item 2: the ledger's division field offers villages too (a district office could only pick down to
    townships); a village's name typed whole is taken for its code; the edit form names the division."""
    import re

    from steelwatch.geo.models import Division
    from steelwatch.testing import make_uscc

    Division.objects.create(code="320412001201", name="青龙测试村", level=5, parent_id="320412001")
    client.force_login(owner)
    form = html(client.get(reverse("registry:enterprise_create")))
    assert 'name="division"' in form and "deepest=village" in form and '<select name="division"' not in form
    offers = html(
        client.get(
            reverse("geo:division_suggest"),
            {"field": "division", "division": "青龙测试", "deepest": "village"},
        )
    )
    assert re.findall(r'<option value="(\d+)">', offers) == ["320412001201"]
    without = html(client.get(reverse("geo:division_suggest"), {"field": "division", "division": "青龙测试"}))
    assert "320412001201" not in without  # a case's 属地 stays at township level
    uscc = make_uscc("320412")
    created = client.post(
        reverse("registry:enterprise_create"),
        {
            "uscc": uscc,
            "name": "村里的企业",
            "division": "青龙测试村",
            "status": "operating",
            "on_ledger": "on",
        },
    )
    assert created.status_code == 302
    enterprise = Enterprise.objects.get(uscc=uscc)
    assert enterprise.division_id == "320412001201"
    edit = html(client.get(reverse("registry:enterprise_edit", args=[enterprise.pk])))
    assert "当前：" in edit and "青龙测试村（320412001201）" in edit
