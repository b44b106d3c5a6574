"""Pickers instead of typed codes (#11 item 2): a case's source (an alert or a tip, offered by what names it with
its title beside the reference), a case to link (by title or number), a power account (by number or enterprise
name) — each offering only what the user may open."""

import datetime
import re

import pytest
from django.urls import reverse

from steelwatch.cases import services
from steelwatch.power.models import Alert
from steelwatch.testing import client_for
from steelwatch.tips.services import tip_submit

pytestmark = pytest.mark.django_db


def _offers(client, url_name: str, field: str, text: str) -> list[tuple[str, str]]:
    html = client.get(reverse(url_name), {"field": field, field: text}).content.decode()
    return re.findall(r'<option value="([^"]+)">([^<]*)</option>', html)


@pytest.fixture
def alert(scene):
    today = datetime.date.today()
    return Alert.objects.create(
        account=scene.account,
        score=0.93,
        level=Alert.Level.ALERT,
        reasons="夜间持续高负荷",
        period_start=today - datetime.timedelta(days=7),
        period_end=today,
    )


def test_the_source_picker_offers_alerts_and_tips_in_reach_with_their_titles(scene, owner, outsider, alert):
    tip, _key = tip_submit(
        channel="web",
        content="夜里有炉子响",
        address="南夏墅青龙村东头厂房",
        division_code=scene.township.code,
    )
    office = client_for(owner)
    assert _offers(office, "cases:source_suggest", "source_ref", "金属制品") == [
        (f"alert:{alert.pk}", f"#{alert.pk} 告警 · 3204120001 · 武进某金属制品厂")
    ]
    assert _offers(office, "cases:source_suggest", "source_ref", "3204120") == [
        (f"alert:{alert.pk}", f"#{alert.pk} 告警 · 3204120001 · 武进某金属制品厂")
    ]
    assert _offers(office, "cases:source_suggest", "source_ref", "青龙村") == [
        (f"tip:{tip.pk}", f"#{tip.pk} {tip.receipt} · 南夏墅青龙村东头厂房")
    ]
    assert _offers(client_for(outsider), "cases:source_suggest", "source_ref", "金属制品") == []
    assert _offers(office, "cases:source_suggest", "source_ref", "金") == []  # two characters at least
    form = office.get(reverse("cases:case_create")).content.decode()
    assert reverse("cases:source_suggest") in form and 'list="id_source_ref-options"' in form


def test_the_case_and_account_pickers_offer_what_is_in_reach(scene, owner, outsider, alert_case):
    office = client_for(owner)
    assert _offers(office, "cases:case_suggest", "case_id", "金属制品") == [
        (str(alert_case.pk), f"#{alert_case.pk} {alert_case.title} · 已登记")
    ]
    assert _offers(office, "cases:case_suggest", "case_id", f"#{alert_case.pk}")[0][0] == str(alert_case.pk)
    assert _offers(client_for(outsider), "cases:case_suggest", "case_id", "金属制品") == []
    accounts = _offers(office, "registry:account_suggest", "account_id", "金属制品")
    assert accounts == [("3204120001", "3204120001 · 武进某金属制品厂 · " + scene.account.division.area_name)]
    assert _offers(client_for(outsider), "registry:account_suggest", "account_id", "3204120001") == []
    page = office.get(reverse("cases:case_detail", args=[alert_case.pk])).content.decode()
    assert reverse("cases:case_suggest") in page and reverse("registry:account_suggest") in page
    # Picking an offer puts the number in the field, which links the case as before.
    other = services.case_open(actor=owner, title="另案：同一厂房", source="manual", division_code="320412")
    office.post(reverse("cases:case_link", args=[alert_case.pk]), {"case_id": str(other.pk)})
    assert list(alert_case.related_cases.all()) == [other]
    capacity = office.get(reverse("registry:capacity_request_list")).content.decode()
    assert 'id="capacity-account"' in capacity and reverse("registry:account_suggest") in capacity
