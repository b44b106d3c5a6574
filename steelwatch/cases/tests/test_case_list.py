"""The case list scales (#11 item 5): 30 to a page, area filter, every open case at once, sorting; and the
home page's figure is the list's count (#11 item 6)."""

import datetime

import pytest
from django.urls import reverse

from steelwatch.cases.models import Case
from steelwatch.cases.selectors import dashboard_cards
from steelwatch.testing import api_client, client_for

pytestmark = pytest.mark.django_db


def _open(n: int, division: str, state: str = "registered") -> list[Case]:
    return [
        Case.objects.create(title=f"案件{division}-{i}", source="manual", division_id=division, state=state)
        for i in range(n)
    ]


def test_pages_area_and_open_cases(owner, colleague):
    township = colleague.division_id
    _open(31, "320412")
    _open(4, township, state="enforcing")
    _open(2, township, state="closed")
    office = client_for(owner)
    url = reverse("cases:case_list")
    first = office.get(url)
    assert first.context["page"].paginator.count == 37 and len(first.context["cases"]) == 30
    assert 'data-count="37"' in first.content.decode()
    assert len(office.get(url, {"page": 2}).context["cases"]) == 7
    assert office.get(url, {"division": township}).context["page"].paginator.count == 6
    card = next(c for c in dashboard_cards(owner) if c["title"] == "办理中案件")
    listed = office.get(card["url"]).context["page"].paginator.count
    assert card["value"] == listed == 35
    assert (
        api_client(owner).get("/api/v1/cases", {"division": township, "state": "open"}).json()["count"] == 4
    )


def test_sorting(owner):
    early, late = _open(2, "320412", state="verifying")
    Case.objects.filter(pk=early.pk).update(verify_due=datetime.date(2026, 12, 10))
    Case.objects.filter(pk=late.pk).update(verify_due=datetime.date(2026, 12, 20))
    office = client_for(owner)
    url = reverse("cases:case_list")
    assert [c.pk for c in office.get(url).context["cases"]] == [late.pk, early.pk]
    assert [c.pk for c in office.get(url, {"sort": "old"}).context["cases"]] == [early.pk, late.pk]
    assert [c.pk for c in office.get(url, {"sort": "due"}).context["cases"]] == [early.pk, late.pk]
