"""The zombie list at scale: search by name or USCC, district filter, 30 to a page, and the zombie's own grid
officer (who has no cases.view) sees the zombies of their grid and nothing else."""

import pytest
from django.urls import reverse

from steelwatch.geo.models import Grid
from steelwatch.registry.models import Enterprise
from steelwatch.testing import client_for, make_enterprise, make_user

pytestmark = pytest.mark.django_db


def _ids(response) -> set[int]:
    return {site.pk for site in response.context["sites"]}


def test_zombie_list_searches_filters_and_pages(scene, owner):
    idle = Enterprise.Status.IDLE
    many = [make_enterprise(scene.township.code, status=idle, grid=scene.grid) for _ in range(32)]
    named = make_enterprise(scene.township.code, status=idle, name="青龙停产钢厂")
    elsewhere = make_enterprise("320411", status=idle, name="新北停产钢厂")
    office = client_for(make_user("city_office", "320400", username="city-z"))
    url = reverse("cases:zombie_list")

    first = office.get(url)
    assert first.context["page"].paginator.count == 34
    assert len(first.context["sites"]) == 30
    assert 'id="zombie-count"' in first.content.decode() and "page=2" in first.content.decode()
    second = office.get(url, {"page": 2})
    assert len(_ids(second)) == 4 and not (_ids(first) & _ids(second))

    assert _ids(office.get(url, {"q": "青龙"})) == {named.pk}
    assert _ids(office.get(url, {"q": named.uscc.lower()})) == {named.pk}
    assert _ids(office.get(url, {"division": "320411"})) == {elsewhere.pk}
    district = office.get(url, {"division": "320412", "page": 2})
    assert named.pk in {s.pk for s in district.context["page"].paginator.object_list}
    assert elsewhere.pk not in {s.pk for s in district.context["page"].paginator.object_list}
    assert "division=320412" in district.content.decode()  # the pager keeps the filter
    # The district office sees only its own district, whatever division it asks for.
    assert _ids(client_for(owner).get(url, {"division": "320411"})) == set()
    assert many[0].pk in {s.pk for s in client_for(owner).get(url).context["page"].paginator.object_list}


def test_grid_officer_sees_the_zombies_of_their_own_grid(scene):
    mine = make_enterprise(
        scene.township.code, status=Enterprise.Status.IDLE, grid=scene.grid, name="本网格停产厂"
    )
    other_grid = Grid.objects.create(code="WJ-002", name="二号网格", division=scene.township)
    theirs = make_enterprise(
        scene.township.code, status=Enterprise.Status.IDLE, grid=other_grid, name="邻网格停产厂"
    )
    officer = client_for(scene.grid_officer)

    listing = officer.get(reverse("cases:zombie_list"))
    assert listing.status_code == 200
    assert _ids(listing) == {mine.pk}
    assert officer.get(reverse("cases:zombie_detail", args=[mine.pk])).status_code == 200
    assert officer.get(reverse("cases:zombie_detail", args=[theirs.pk])).status_code == 404


def test_zombie_list_sorts_and_keeps_sites_with_a_restart_waiting(scene, owner):
    """#11 item 5: overdue first (the default), by name, by area; 仅有待审批复产申请 keeps the sites whose
    restart request waits."""
    import datetime

    from steelwatch.cases.models import RestartRequest, Revisit

    idle = Enterprise.Status.IDLE
    late = make_enterprise(scene.township.code, status=idle, name="丙停产厂")
    first = make_enterprise(scene.township.code, status=idle, name="甲停产厂")
    waiting = make_enterprise("320412", status=idle, name="乙停产厂")
    Revisit.objects.create(
        enterprise=late,
        division=late.division,
        kind=Revisit.Kind.PATROL,
        due_date=datetime.date.today() - datetime.timedelta(days=3),
    )
    RestartRequest.objects.create(enterprise=waiting, status=RestartRequest.Status.PENDING)
    office = client_for(owner)
    url = reverse("cases:zombie_list")

    def order(**params) -> list[int]:
        ids = [s.pk for s in office.get(url, params).context["sites"]]
        return [pk for pk in ids if pk in {late.pk, first.pk, waiting.pk}]

    by_name = sorted([late, first, waiting], key=lambda e: (e.name, e.pk))
    assert order() == [late.pk] + [e.pk for e in by_name if e != late]
    assert order(sort="name") == [e.pk for e in by_name]
    by_area = sorted([late, first, waiting], key=lambda e: (e.division_id, e.name, e.pk))
    assert order(sort="area") == [e.pk for e in by_area]
    assert order(sort="bogus") == order()
    assert _ids(office.get(url, {"restart": "1"})) == {waiting.pk}
    assert '<option value="name" selected>' in office.get(url, {"sort": "name"}).content.decode()
