"""Grids and villages in the browser pages, the boundary check and the division picker's JSON."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from steelwatch.geo.boundary import boundary_clean
from steelwatch.geo.models import Division, Grid
from steelwatch.geo.services import grid_save
from steelwatch.testing import make_enterprise, make_user

pytestmark = pytest.mark.django_db

SQUARE = {"type": "Polygon", "coordinates": [[[119.9, 31.7], [120.0, 31.7], [120.0, 31.8], [119.9, 31.7]]]}


def _township(parent="320412") -> str:
    return Division.objects.filter(parent_id=parent).order_by("code").values_list("code", flat=True)[0]


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "bad",
    [
        "not json",
        {"type": "Point", "coordinates": [1, 2]},
        {"type": "Polygon", "coordinates": [[[119.9, 31.7], [120.0, 31.7], [120.0, 31.8], [119.0, 31.0]]]},
        {"type": "Polygon", "coordinates": [[[519.9, 31.7], [120.0, 31.7], [120.0, 31.8], [519.9, 31.7]]]},
        {"type": "Polygon", "coordinates": [[["a", 31.7], [120.0, 31.7], [120.0, 31.8], ["a", 31.7]]]},
    ],
)
def test_a_bad_boundary_is_refused_in_chinese(bad):
    with pytest.raises(ValidationError) as error:
        boundary_clean(bad)
    assert "boundary" in error.value.error_dict


def test_a_feature_is_stored_as_its_geometry():
    assert boundary_clean(json.dumps({"type": "Feature", "geometry": SQUARE})) == SQUARE


def test_office_creates_a_grid_with_villages_and_boundary(owner):
    township = _township()
    Division.objects.create(code=township + "201", name="测试村", level=5, parent_id=township)
    client = _client(owner)
    response = client.post(
        "/places/grids/new/",
        {
            "code": "WJ-01",
            "name": "测试网格",
            "division": township,
            "villages": [township + "201"],
            "boundary": json.dumps(SQUARE),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    grid = Grid.objects.get(code="WJ-01")
    assert grid.boundary == SQUARE and list(grid.villages.values_list("code", flat=True)) == [
        township + "201"
    ]
    # Without an officer it shows in the "no officer" list; assigning one takes it out.
    assert [g.code for g in client.get("/places/grids/?no_officer=1").context["page"]] == ["WJ-01"]
    officer = make_user("grid_officer", township, username="go1")
    assert client.post(f"/places/grids/{grid.pk}/officer/", {"officer": officer.pk}).status_code == 302
    officer.refresh_from_db()
    assert officer.grid_id == grid.pk
    assert list(client.get("/places/grids/?no_officer=1").context["page"]) == []


def test_bad_boundary_on_the_form_names_the_field(owner):
    response = _client(owner).post(
        "/places/grids/new/", {"code": "WJ-02", "name": "网格", "division": _township(), "boundary": "{oops"}
    )
    assert response.status_code == 200 and "boundary" in response.context["form"].errors


def test_grid_pages_are_scoped(owner, outsider):
    grid = grid_save(actor=None, code="WJ-03", name="网格三", division_code=_township(), village_codes=[])
    assert _client(owner).get(f"/places/grids/{grid.pk}/").status_code == 200
    assert _client(outsider).get(f"/places/grids/{grid.pk}/").status_code == 404
    assert _client(outsider).get("/places/grids/").context["page"].paginator.count == 0


def test_village_create_checks_its_township(owner, outsider):
    client = _client(owner)
    client.post("/places/villages/new/", {"code": _township() + "202", "name": "新村"})
    assert Division.objects.filter(code=_township() + "202", level=5).exists()
    _client(outsider).post("/places/villages/new/", {"code": _township() + "203", "name": "越界村"})
    assert not Division.objects.filter(code=_township() + "203").exists()


def test_division_picker_returns_children_within_scope(owner, outsider):
    items = _client(owner).get("/places/divisions/").json()["items"]
    assert [i["code"] for i in items] == ["320412"]
    children = _client(owner).get("/places/divisions/?parent=320412").json()["items"]
    assert children and all(i["code"].startswith("320412") for i in children)
    assert _client(owner).get("/places/divisions/?parent=320411").json()["items"] == []
    assert _client(outsider).get("/places/divisions/?q=新北").json()["items"][0]["code"] == "320411"


def test_ledger_lists_enterprises_without_a_grid(owner):
    grid = grid_save(actor=None, code="WJ-04", name="网格四", division_code=_township(), village_codes=[])
    loose = make_enterprise(_township())
    make_enterprise(_township(), grid=grid)
    page = _client(owner).get("/ledger/?flag=no_grid").context["page"]
    assert [e.pk for e in page] == [loose.pk]
