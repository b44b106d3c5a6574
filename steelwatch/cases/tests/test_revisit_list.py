"""The revisit list (#11 item 5): search by enterprise or case, area (subtree), status and due window, sorted by
due date, 30 to a page with its count, the same in the API ({"count", "items"}, 404 outside the jurisdiction),
and the home page's overdue figure is the list's count (#11 item 6)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from steelwatch.cases.models import Case, Revisit
from steelwatch.cases.selectors import dashboard_cards
from steelwatch.testing import api_client, client_for, make_enterprise, make_user

pytestmark = pytest.mark.django_db


def _revisit(case: Case, days: int, *, status=Revisit.Status.PENDING, assignee=None) -> Revisit:
    return Revisit.objects.create(
        case=case,
        enterprise=case.enterprise,
        division_id=case.division_id,
        due_date=timezone.localdate() + datetime.timedelta(days=days),
        status=status,
        assignee=assignee,
    )


@pytest.fixture
def revisits(colleague):
    township = colleague.division_id
    near = make_enterprise(township, name="湖塘某钢铁厂")
    far = make_enterprise("320412", name="武进另一铸造厂")
    case_near = Case.objects.create(
        title="湖塘回头看案件", source="manual", division_id=township, state="revisiting", enterprise=near
    )
    case_far = Case.objects.create(
        title="区级回头看案件", source="manual", division_id="320412", state="revisiting", enterprise=far
    )
    return {
        "late": _revisit(case_near, -3),
        "soon": _revisit(case_near, 5),
        "later": _revisit(case_far, 40),
        "done": _revisit(case_far, -10, status=Revisit.Status.DONE),
        "many": [_revisit(case_far, 100 + i) for i in range(30)],
        "case_near": case_near,
    }


def _ids(response) -> list[int]:
    return [r.pk for r in response.context["revisits"]]


def test_filters_search_sorting_and_pages(owner, colleague, revisits):
    office = client_for(owner)
    url = reverse("cases:revisit_list")
    first = office.get(url)
    assert first.status_code == 200 and first.context["page"].paginator.count == 34
    assert 'data-count="34"' in first.content.decode() and len(first.context["revisits"]) == 30
    assert _ids(first)[:3] == [revisits["done"].pk, revisits["late"].pk, revisits["soon"].pk]  # soonest first
    assert len(office.get(url, {"page": 2}).context["revisits"]) == 4
    assert _ids(office.get(url, {"sort": "due_desc"}))[0] == revisits["many"][-1].pk
    assert _ids(office.get(url, {"due": "overdue"})) == [revisits["late"].pk]  # the done one is not overdue
    assert _ids(office.get(url, {"due": "soon"})) == [revisits["soon"].pk]
    assert _ids(office.get(url, {"due": "soon", "within": "45"})) == [
        revisits["soon"].pk,
        revisits["later"].pk,
    ]
    assert _ids(office.get(url, {"status": "done"})) == [revisits["done"].pk]
    assert set(_ids(office.get(url, {"division": colleague.division_id}))) == {
        revisits["late"].pk,
        revisits["soon"].pk,
    }
    assert len(_ids(office.get(url, {"q": "湖塘某钢铁"}))) == 2
    assert len(_ids(office.get(url, {"q": f"#{revisits['case_near'].pk}"}))) == 2
    assert office.get(url, {"q": "区级回头看"}).context["page"].paginator.count == 32
    # A whole USCC is a key, found however it is typed (the ledger's rule: lower case, spaces).
    uscc = revisits["case_near"].enterprise.uscc
    typed = " ".join([uscc[:6], uscc[6:]]).lower()
    assert set(_ids(office.get(url, {"q": typed}))) == {revisits["late"].pk, revisits["soon"].pk}
    assert office.get(url, {"due": "nonsense"}).context["page"].paginator.count == 0
    card = next(c for c in dashboard_cards(owner) if c["url"].startswith(url))
    assert card["value"] == office.get(card["url"]).context["page"].paginator.count == 1


def test_outsiders_see_nothing_and_a_grid_officer_sees_only_their_own(owner, outsider, colleague, revisits):
    url = reverse("cases:revisit_list")
    assert client_for(outsider).get(url).context["page"].paginator.count == 0
    assert client_for(outsider).get(url, {"division": colleague.division_id}).status_code == 404
    officer = make_user("grid_officer", colleague.division_id)
    Revisit.objects.filter(pk=revisits["soon"].pk).update(assignee=officer)
    mine = client_for(officer).get(url)
    assert mine.status_code == 200 and _ids(mine) == [revisits["soon"].pk]


def test_api_list(owner, outsider, colleague, revisits):
    api = api_client(owner)
    body = api.get("/api/v1/revisits", {"due": "overdue"}).json()
    assert body["count"] == 1 and body["items"][0]["id"] == revisits["late"].pk
    assert body["items"][0]["overdue"] is True and body["items"][0]["case_title"] == "湖塘回头看案件"
    window = api.get("/api/v1/revisits", {"limit": 10, "offset": 30}).json()
    assert window["count"] == 34 and len(window["items"]) == 4
    assert api.get("/api/v1/revisits", {"division": colleague.division_id}).json()["count"] == 2
    assert (
        api_client(outsider).get("/api/v1/revisits", {"division": colleague.division_id}).status_code == 404
    )
    assert api_client(outsider).get("/api/v1/revisits").json()["count"] == 0
