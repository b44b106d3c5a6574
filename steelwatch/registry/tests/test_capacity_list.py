"""Capacity-increase requests have a list (#11 item 5): the power company files and reviews them; search,
status, area, sorting and pages; nothing outside the caller's area."""

from decimal import Decimal

import pytest
from django.urls import reverse

from steelwatch.registry.models import CapacityIncreaseRequest, PowerAccount
from steelwatch.testing import client_for, make_enterprise, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def account():
    enterprise = make_enterprise("320412001", name="武进某铸造厂")
    return PowerAccount.objects.create(
        account_id="3204129001", enterprise=enterprise, division_id="320412001", contracted_kva=800
    )


def test_the_power_company_files_and_reviews_from_the_list(account):
    power = make_user("department_staff", "320412", department="power_company", username="power_wj")
    client = client_for(power)
    url = reverse("registry:capacity_request_list")
    page = client.get(url)
    assert page.status_code == 200 and 'id="capacity-file"' in page.content.decode()
    assert "增容申请" in client.get(reverse("core:home")).content.decode()  # in the menu
    start = client.get(url, {"account": account.account_id})
    assert start.status_code == 302 and start["Location"].endswith("?back=list")
    done = client.post(
        start["Location"],
        {"requested_on": "2026-11-20", "to_kva": "2500", "reason": "新上生产线"},
        follow=True,
    )
    assert done.status_code == 200
    request = CapacityIncreaseRequest.objects.get()
    assert (request.from_kva, request.to_kva, request.status) == (Decimal(800), Decimal(2500), "pending")
    listed = client.get(url, {"status": "pending", "q": "铸造"})
    assert listed.context["page"].paginator.count == 1 and 'data-count="1"' in listed.content.decode()
    assert client.get(url, {"status": "approved"}).context["page"].paginator.count == 0
    typed = account.enterprise.uscc.lower()  # a whole USCC is a key however it is typed (the ledger's rule)
    assert client.get(url, {"q": f" {typed} "}).context["page"].paginator.count == 1
    other = typed[:-1] + ("0" if typed[-1] != "0" else "1")  # another last character (a USCC may end in x)
    assert client.get(url, {"q": other}).context["page"].paginator.count == 0
    decided = client.post(
        reverse("registry:capacity_request_decide", args=[request.pk]), {"approve": "1", "reason": "核实产能"}
    )
    assert decided.status_code == 302 and decided["Location"] == url
    account.refresh_from_db()
    assert account.contracted_kva == Decimal(2500)


def test_the_list_keeps_to_the_callers_area_and_sorts(account):
    other = PowerAccount.objects.create(account_id="3204110001", division_id="320411", contracted_kva=100)
    for n, (acc, kva) in enumerate([(account, 900), (account, 3000), (other, 5000)]):
        CapacityIncreaseRequest.objects.create(
            account=acc, requested_on=f"2026-10-0{n + 1}", from_kva=acc.contracted_kva, to_kva=kva
        )
    power = make_user("department_staff", "320412", department="power_company", username="power_wj")
    client = client_for(power)
    url = reverse("registry:capacity_request_list")
    rows = client.get(url, {"sort": "kva"}).context["page"].object_list
    assert [r.to_kva for r in rows] == [Decimal(3000), Decimal(900)]
    assert [r.to_kva for r in client.get(url, {"sort": "old"}).context["page"].object_list] == [
        Decimal(900),
        Decimal(3000),
    ]
    assert client.get(url, {"account": other.account_id}).status_code == 404  # another district's account
    city = make_user("city_office", "320400", username="city_cap")
    assert client_for(city).get(url, {"division": "320411"}).context["page"].paginator.count == 1
    water = make_user("department_staff", "320412", department="water_utility", username="water_cap")
    assert (
        client_for(water)
        .get(reverse("registry:capacity_request_create", args=[account.account_id]))
        .status_code
        == 403
    )
