"""Staff pages found wanting in QA: linking a tip by USCC, the enterprise page's tip fragment, list filters."""

import pytest
from django.test import Client
from django.urls import reverse

from steelwatch.testing import make_enterprise
from steelwatch.tips import services

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def submit(township, **extra):
    fields = {
        "channel": "web",
        "content": "夜里有中频炉在生产",
        "address": "某村厂房",
        "division_code": township.code,
    }
    return services.tip_submit(**{**fields, **extra})[0]


def test_a_handler_links_a_tip_by_uscc_and_a_wrong_code_is_refused_by_name(handler, township):
    tip = submit(township)
    shop = make_enterprise(township.code)
    elsewhere = make_enterprise("320411")
    client = login(handler)
    link = reverse("tips:tip_action", args=[tip.pk, "link"])

    page = client.post(link, {"enterprise": elsewhere.uscc}, follow=True).content.decode()
    assert f"统一社会信用代码 {elsewhere.uscc} 不在您管辖范围的台账中" in page
    tip.refresh_from_db()
    assert tip.enterprise_id is None

    client.post(link, {"enterprise": f"  {shop.uscc.lower()} "})
    tip.refresh_from_db()
    assert tip.enterprise_id == shop.pk
    detail = client.get(reverse("tips:tip_detail", args=[tip.pk])).content.decode()
    assert reverse("registry:enterprise_detail", args=[shop.pk]) in detail  # the page links to the enterprise

    client.post(link, {"enterprise": ""})  # an empty code unlinks
    tip.refresh_from_db()
    assert tip.enterprise_id is None
    # The fields are pickers (offers as one types), and a township is reassigned by its name.
    assert 'list="tip-enterprise-options"' in detail and 'list="tip-division-options"' in detail
    other = township.parent.children.exclude(code=township.code).order_by("code").first()
    client.post(link, {"enterprise": "", "division_code": other.name})
    tip.refresh_from_db()
    assert tip.division_id == other.code


def test_the_enterprise_page_fragment_lists_its_tips_only_to_those_who_may_see_them(
    handler, township, owner, outsider
):
    shop = make_enterprise(township.code)
    tip = submit(township)
    services.tip_update(actor=handler, tip=tip, enterprise_id=shop.pk)
    submit(township, content="另一条未关联企业的举报")
    url = reverse("tips:enterprise_tips", args=[shop.pk])

    page = login(owner).get(url).content.decode()
    assert tip.receipt in page and page.count("JB-") == 1
    assert login(outsider).get(url).status_code == 404
    empty = login(owner).get(reverse("tips:enterprise_tips", args=[make_enterprise(township.code).pk]))
    assert "没有关联到该企业的举报" in empty.content.decode()


def test_the_list_keeps_the_reward_filter_and_explains_an_empty_result(handler, township, owner):
    submit(township)
    client = login(owner)
    page = client.get(reverse("tips:tip_list"), {"reward": "proposed"}).content.decode()
    assert 'name="reward" value="proposed"' in page  # the filter form does not drop it
    assert "没有符合条件的举报" in page
