"""The tip list scales (#11 item 5): 30 to a page with the count, area filter, sorting; the home page's
figures are the list's counts (#11 item 6)."""

import pytest
from django.urls import reverse

from steelwatch.testing import client_for
from steelwatch.tips import services
from steelwatch.tips.models import Tip
from steelwatch.tips.selectors import dashboard_cards

pytestmark = pytest.mark.django_db


def _submit(code: str, n: int) -> list[Tip]:
    return [
        services.tip_submit(
            channel="web", content=f"有中频炉在生产地条钢{i}", address="某村厂房", division_code=code
        )[0]
        for i in range(n)
    ]


def test_pages_area_sorting_and_the_figures(handler, township):
    mine = _submit(township.code, 33)
    other_township = township.parent.children.exclude(code=township.code).order_by("code").first()
    _submit(other_township.code, 2)
    client = client_for(handler)
    url = reverse("tips:tip_list")
    first = client.get(url)
    assert first.context["page"].paginator.count == 35 and len(first.context["tips"]) == 30
    assert 'data-count="35"' in first.content.decode()
    assert len(client.get(url, {"page": 2}).context["tips"]) == 5
    assert client.get(url, {"division": township.code}).context["page"].paginator.count == 33
    assert client.get(url, {"sort": "old"}).context["tips"][0][0] == mine[0]
    checked = [card for card in dashboard_cards(handler) if card.get("url", "").startswith(url)]
    assert {c["title"] for c in checked} >= {"待交办举报", "核查中举报", "逾期举报"}
    for card in checked:
        assert client.get(card["url"]).context["page"].paginator.count == card["value"], card["title"]
    assert next(c["value"] for c in checked if c["title"] == "待交办举报") == 35
