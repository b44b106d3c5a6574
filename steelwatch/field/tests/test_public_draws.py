"""一公开: a run and published draw is on the public page with its downloadable record; a frozen one is not."""

import json

import pytest
from django.test import Client

from steelwatch.field.models import InspectionItem, Inspector
from steelwatch.field.services.draws import draw_freeze, draw_publish, draw_run
from steelwatch.field.sortition import verify_record
from steelwatch.testing import make_enterprise, make_user

pytestmark = pytest.mark.django_db


def test_published_draw_is_public_and_verifiable(owner):
    for _ in range(4):
        make_enterprise("320412001", name="<script>x</script>厂")
    item = InspectionItem.objects.create(code="K1", name="重点事项", kind="key", sampling_ratio=100)
    for i in range(3):
        user = make_user("department_staff", "320412", department="police", username=f"p{i}")
        Inspector.objects.create(user=user, department="公安")
    draw = draw_freeze(actor=owner, item=item, division_code="320412", target_filter={}, targets=2)
    anonymous = Client()
    assert anonymous.get(f"/public/draws/{draw.pk}/record.json").status_code == 404
    draw = draw_run(actor=owner, draw=draw, announced_value="12345")
    assert anonymous.get(f"/public/draws/{draw.pk}/record.json").status_code == 404  # not yet published
    draw_publish(actor=owner, draw=draw)
    page = anonymous.get("/public/draws/")
    assert page.status_code == 200
    assert b"<script>x</script>" not in page.content and b"&lt;script&gt;" in page.content
    record = json.loads(anonymous.get(f"/public/draws/{draw.pk}/record.json").content)
    assert record["secret"] and verify_record(record) == []


def test_general_item_caps_the_sample(owner):
    from django.core.exceptions import ValidationError

    for _ in range(10):
        make_enterprise("320412001")
    item = InspectionItem.objects.create(code="G1", name="一般事项", kind="general", sampling_ratio=10)
    for i in range(2):
        Inspector.objects.create(
            user=make_user("department_staff", "320412", department="police", username=f"g{i}"),
            department="公安",
        )
    with pytest.raises(ValidationError):
        draw_freeze(actor=owner, item=item, division_code="320412", target_filter={}, targets=2)
    outsider = make_user("district_office", "320411")
    with pytest.raises(ValidationError):
        draw_freeze(actor=outsider, item=item, division_code="320412", target_filter={}, targets=1)
