"""Divisions picked, not typed as codes (#11 item 2): opening a case and transferring one offer districts and
townships by name as one types, and a name typed whole (新北区) is taken for its code."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from conftest import login
from steelwatch.cases import services
from steelwatch.cases.models import Case
from steelwatch.geo.selectors import division_code_for
from steelwatch.testing import client_for, make_user


def _offers(client, q: str, scope: str = "") -> list[str]:
    params = {"field": "transfer_to", "transfer_to": q, **({"scope": scope} if scope else {})}
    html = client.get(reverse("geo:division_suggest"), params).content.decode()
    return re.findall(r'<option value="(\d+)">', html)


@pytest.mark.django_db
def test_offers_in_reach_or_in_the_region_and_names_resolve(owner, colleague, settings):
    settings.STEELWATCH_REGION = "320400"  # a 常州市 deployment
    office = client_for(owner)
    assert _offers(office, "新北") == []  # another district: not in the office's own area
    region = _offers(office, "新北", scope="region")  # … but a transfer may go there, within the region
    assert "320411" in region and all(code.startswith("3204") for code in region)
    assert _offers(office, "武进") == ["320412"]
    township = colleague.division
    assert township.code in _offers(office, township.name)
    assert _offers(client_for(colleague), "武进") == []  # a township sees below itself only
    assert division_code_for(owner, "新北区", scope="region") == "320411"
    assert division_code_for(owner, "新北区") == "新北区"  # not in reach: left for the service to refuse
    assert division_code_for(owner, "320412") == "320412"


@pytest.mark.django_db
def test_a_case_opened_and_transferred_by_name(owner, alert_case):
    office = client_for(owner)
    opened = office.post(
        reverse("cases:case_create"), {"title": "按名称立案", "source": "manual", "division_code": "武进区"}
    )
    assert opened.status_code == 302 and Case.objects.get(title="按名称立案").division_id == "320412"
    services.case_transition(actor=owner, case=alert_case, to="verifying")
    office.post(
        reverse("cases:case_transition", args=[alert_case.pk]),
        {"to": "transferred", "reason": "场所实属新北区", "transfer_to": "新北区"},
    )
    alert_case.refresh_from_db()
    assert alert_case.state == "transferred" and alert_case.transfer_to_id == "320411"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_typing_a_district_name_offers_it_in_the_browser(page, alert_case, owner):
    make_user("district_office", "320412", username="picker")
    services.case_transition(actor=owner, case=alert_case, to="verifying")
    login(page, "picker")
    page.goto(f"{page.base_url}/cases/{alert_case.pk}/")
    page.click("#act-case_transition summary")
    page.fill("#id_transfer_to", "新北")
    expect(page.locator('#id_transfer_to-options option[value="320411"]')).to_have_count(1)
