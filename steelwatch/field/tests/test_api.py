"""Field API details: flags on a check-in (far, GCJ-02 converted, no photo), a 422 naming the field in
Chinese, the interests list envelope, a draw outside the jurisdiction = 404, a draw runs once."""

import json

import pytest
from django.utils import timezone

from steelwatch.field.geometry import distance_m, wgs84_to_gcj02
from steelwatch.field.models import InspectionItem, Inspector
from steelwatch.testing import api_client, make_enterprise, make_user

pytestmark = pytest.mark.django_db


def _check_in(client, site, **extra):
    data = {"enterprise_id": site.pk, "latitude": float(site.latitude), "longitude": float(site.longitude),
            "accuracy_m": 10, "checked_at": timezone.now().isoformat(), "finding": "normal", **extra}  # fmt: skip
    return client.post("/api/v1/patrols/check-ins", data)


def test_check_in_flags_and_errors(scene):
    phone = api_client(scene["officer"])
    site = scene["sites"][0]
    far = _check_in(phone, site, latitude=float(site.latitude) + 0.01)
    assert far.status_code == 201 and {"far_from_site", "no_photo"} <= set(far.json()["flags"])
    shown_lat, shown_lon = wgs84_to_gcj02(
        float(site.latitude), float(site.longitude)
    )  # what a GCJ-02 phone says
    assert distance_m(shown_lat, shown_lon, float(site.latitude), float(site.longitude)) > 300
    gcj = _check_in(phone, site, latitude=shown_lat, longitude=shown_lon, coord_system="gcj02")
    assert "gcj02_converted" in gcj.json()["flags"] and "far_from_site" not in gcj.json()["flags"]
    missing = phone.post("/api/v1/patrols/check-ins", {"enterprise_id": site.pk, "finding": "normal"})
    assert (
        missing.status_code == 422
        and "纬度" in json.dumps(missing.json(), ensure_ascii=False)
        or "latitude" in missing.content.decode()
    )
    bad = _check_in(phone, site, checklist=json.dumps({"licence_shown": "yes"}))
    assert bad.status_code == 422 and "true 或 false" in bad.json()["detail"][0]["msg"]
    outside = make_enterprise("320411", latitude=31.8, longitude=119.9)
    assert _check_in(phone, outside).status_code == 404


def test_interests_list_and_draw_scoping(owner, scene):
    office = api_client(owner)
    for i in range(3):
        Inspector.objects.create(
            user=make_user("department_staff", "320412", department="market_regulation", username=f"ai{i}"),
            department="市场监管",
        )
    for site in scene["sites"]:
        assert office.post("/api/v1/inspectors/ai0/interests", {"enterprise_uscc": site.uscc, "reason": "亲属"},
                           content_type="application/json").status_code == 201  # fmt: skip
    listed = office.get("/api/v1/inspectors/ai0/interests?limit=2").json()
    assert listed["count"] == 3 and len(listed["items"]) == 2 and listed["next"]
    InspectionItem.objects.create(code="K1", name="重点", kind="key", sampling_ratio=100)
    frozen = office.post("/api/v1/draws", {"item": "K1", "division_code": "320412", "targets": 2},
                         content_type="application/json").json()  # fmt: skip
    record = office.get(f"/api/v1/draws/{frozen['id']}").json()
    assert record["secret"] is None and record["commitment"] == frozen["commitment"]
    assert (
        api_client(make_user("district_office", "320411")).get(f"/api/v1/draws/{frozen['id']}").status_code
        == 404
    )
    run = office.post(
        f"/api/v1/draws/{frozen['id']}/run", {"announced_value": "12345"}, content_type="application/json"
    )
    assert run.status_code == 200 and len(run.json()["picks"]) == 2
    again = office.post(
        f"/api/v1/draws/{frozen['id']}/run", {"announced_value": "99999"}, content_type="application/json"
    )
    assert again.status_code == 422
    assert office.post("/api/v1/draws", {"item": "NOPE", "division_code": "320412", "targets": 2},
                       content_type="application/json").status_code == 404  # fmt: skip


def test_the_object_directory_by_credit_class(owner, scene):
    from steelwatch.credit.models import Entry

    listed = scene["sites"][1]
    Entry.objects.create(name=listed.name, uscc=listed.uscc, state="in_force", list_kind="abnormal",
                         division_id="320412", basis="第四十四号令", authority="武进区市场监管局")  # fmt: skip
    InspectionItem.objects.create(code="K2", name="重点", kind="key", sampling_ratio=100)
    for i in range(2):
        Inspector.objects.create(
            user=make_user("department_staff", "320412", department="market_regulation", username=f"ci{i}"),
            department="市场监管",
        )
    office = api_client(owner)
    body = {"item": "K2", "division_code": "320412", "targets": 1, "target_filter": {"credit": "abnormal"}}
    frozen = office.post("/api/v1/draws", body, content_type="application/json")
    assert frozen.status_code == 201, frozen.content
    assert office.get(f"/api/v1/draws/{frozen.json()['id']}").json()["candidates"] == [listed.uscc]
    body["target_filter"] = {"credit": "serious"}
    assert (
        office.post("/api/v1/draws", body, content_type="application/json").status_code == 422
    )  # none match
    body["target_filter"] = {"credit": "gold"}
    assert office.post("/api/v1/draws", body, content_type="application/json").status_code == 422
