"""Issue 15's "Done means", through the API and the services: check-ins with photos and GPS (one at a zombie
site with production signs → a district alert in the same request), the grid's coverage, a verifiable draw
of 10 targets × 2 inspectors that respects declared interests, and verify-draw on the downloaded record."""

import datetime
import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from steelwatch.field.models import CheckIn, CheckInPhoto, InspectionItem, Inspector
from steelwatch.field.sortition import verify_record
from steelwatch.registry.models import Enterprise
from steelwatch.testing import api_client, make_enterprise, make_user

from .conftest import photo as phone_photo

pytestmark = pytest.mark.django_db


def _verify_cli(path) -> int:
    env = {**os.environ, "STEELWATCH_DEV": "true"}
    cli = [sys.executable, "-m", "steelwatch.cli", "verify-draw", str(path)]
    return subprocess.run(cli, env=env, capture_output=True, timeout=120).returncode


def test_done_means(scene, owner, tmp_path):
    phone = api_client(scene["officer"])
    now = timezone.now()
    ids = []
    for site in scene["sites"]:
        zombie = site.status == Enterprise.Status.IDLE
        checklist = {"production_signs": True, "power_use": True} if zombie else {"new_equipment": False}
        response = phone.post(
            "/api/v1/patrols/check-ins",
            {
                "enterprise_id": site.pk,
                "latitude": float(site.latitude) + 0.0002,
                "longitude": float(site.longitude),
                "accuracy_m": 12.5,
                "checked_at": now.isoformat(),
                "checklist": json.dumps(checklist),
                "finding": "production_signs" if zombie else "normal",
                "photos": [phone_photo(timezone.localtime(now))],
            },
        )
        assert response.status_code == 201, response.content
        body = response.json()
        ids.append(body["id"])
        if zombie:
            assert body["alert_id"] is not None
            assert "production_signs_at_dead_site" in body["flags"]
            alert_id = body["alert_id"]
        else:
            assert body["alert_id"] is None
            assert "far_from_site" not in body["flags"]
    # The alert is on the district's list, through the power API like any other.
    district = api_client(owner)
    listed = district.get("/api/v1/power/alerts").json()
    assert alert_id in [a["id"] for a in listed["items"]]
    # Photos: EXIF kept as evidence, stripped from the served copy.
    photo = CheckInPhoto.objects.filter(check_in_id=ids[0]).get()
    assert photo.taken_at and photo.exif_latitude == pytest.approx(31.7, abs=0.01)
    from steelwatch.core import files

    with Image.open(files.absolute(photo.path)) as served:
        assert not served.getexif()
    # Coverage shows the visits.
    coverage = district.get(f"/api/v1/grids/{scene['grid'].code}/coverage").json()
    assert (coverage["due"], coverage["on_time"], coverage["never"]) == (3, 3, 0)
    assert (
        api_client(make_user("district_office", "320411"))
        .get(f"/api/v1/grids/{scene['grid'].code}/coverage")
        .status_code
        == 404
    )

    # The draw: 12 candidates, 4 inspectors, one declared interest.
    for _ in range(9):
        make_enterprise(scene["township"].code)
    InspectionItem.objects.create(code="DTG-01", name="地条钢排查", kind="key", sampling_ratio=100)
    inspectors = [
        make_user("department_staff", "320412", department="market_regulation", username=f"insp{i}")
        for i in range(4)
    ]
    for user in inspectors:
        Inspector.objects.create(user=user, department="市场监管")
    target = scene["sites"][0]
    declared = district.post(
        "/api/v1/inspectors/insp0/interests",
        {"enterprise_uscc": target.uscc, "reason": "亲属在该企业任职"},
        content_type="application/json",
    )
    assert declared.status_code == 201, declared.content
    frozen = district.post(
        "/api/v1/draws",
        {"item": "DTG-01", "division_code": "320412", "targets": 10, "inspectors_per_target": 2},
        content_type="application/json",
    )
    assert frozen.status_code == 201, frozen.content
    draw_id = frozen.json()["id"]
    assert "secret" not in json.dumps(district.get(f"/api/v1/draws/{draw_id}").json()).replace(
        '"secret": null', ""
    )
    record = district.post(
        f"/api/v1/draws/{draw_id}/run",
        {"announced_value": "2026139: 03 07 12 19 25 31 + 09"},
        content_type="application/json",
    ).json()
    assert len(record["picks"]) == 10
    assert all(len(p["inspectors"]) == 2 for p in record["picks"])
    for pick in record["picks"]:
        if pick["target"] == target.uscc:
            assert "insp0" not in pick["inspectors"]
    assert {
        "inspector": "insp0",
        "target": target.uscc,
        "reason": "申报利害关系：亲属在该企业任职",
    } in record["exclusions"]
    assert verify_record(record) == []
    path = tmp_path / "draw.json"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    call_command("verify_draw", str(path))  # matches: no exit
    assert _verify_cli(path) == 0  # and as anyone runs it: the `steelwatch` command, exit code 0
    record["candidates"][3] = record["candidates"][3][:-1] + (
        "X" if record["candidates"][3][-1] != "X" else "Y"
    )
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        call_command("verify_draw", str(path))
    assert exc.value.code == 1
    assert _verify_cli(path) == 1
    assert CheckIn.objects.count() == 3


def test_major_hazard_past_six_months_is_escalated(owner, enterprise):
    from steelwatch.cases.models import Case
    from steelwatch.field.models import HazardFinding
    from steelwatch.field.services.safety import hazard_record, hazards_escalate_due

    finding = hazard_record(
        actor=owner, enterprise=enterprise, hazard="fixed_hook", found_on=datetime.date(2026, 1, 31)
    )
    assert finding.deadline == datetime.date(2026, 7, 31)
    assert hazards_escalate_due(today=datetime.date(2026, 7, 31)) == 0  # on the deadline: not yet
    call_command("field_reminders", "--date", "2026-08-01")
    finding.refresh_from_db()
    assert finding.status == HazardFinding.Status.ESCALATED
    case = Case.objects.get(pk=finding.case_id)
    assert case.enterprise_id == enterprise.pk and "逾期未整改" in case.title
    assert hazards_escalate_due(today=datetime.date(2026, 9, 1)) == 0  # escalated once only


def test_camera_with_stale_snapshot_is_flagged(enterprise):
    from steelwatch.field.models import Camera
    from steelwatch.field.services.support import cameras_mark_stale

    old = Camera.objects.create(
        enterprise=enterprise, position="东门", last_snapshot_at=timezone.now() - datetime.timedelta(days=3)
    )
    fresh = Camera.objects.create(enterprise=enterprise, position="车间", last_snapshot_at=timezone.now())
    assert cameras_mark_stale() == 1
    old.refresh_from_db(), fresh.refresh_from_db()
    assert (old.status, fresh.status) == ("stale", "online")
