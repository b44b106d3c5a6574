"""Each of the five checks needs evidence of its own, from on or after the day of the cut — or a recorded
reason (issue #11, item 3)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from steelwatch.cases.models import Case, CutOrder
from steelwatch.testing import api_client

from .conftest import jpeg_bytes, pdf, photo

CUT = datetime.datetime(2026, 3, 5, 9, 0)
BEFORE = {"taken": "2026:03:01 10:20:30"}


@pytest.fixture
def closing(alert_case, scene):
    CutOrder.objects.create(
        case=alert_case,
        kind="power",
        power_account=scene.account,
        status=CutOrder.Status.EXECUTED,
        executed_at=timezone.make_aware(CUT),
    )
    Case.objects.filter(pk=alert_case.pk).update(state="closing")
    alert_case.refresh_from_db()
    return alert_case


def test_a_photo_taken_before_the_cut_needs_a_reason(closing, owner):
    from steelwatch.cases.services import closure_evidence_add, cut_day

    assert cut_day(closing) == datetime.date(2026, 3, 5)
    with pytest.raises(ValidationError, match="拍摄于 2026-03-01，早于断电断水执行日 2026-03-05") as refused:
        closure_evidence_add(actor=owner, case=closing, item="plant_cleared", upload=photo(**BEFORE))
    assert set(refused.value.message_dict) == {"file"}
    assert not closing.attachments.exists()
    record = closure_evidence_add(
        actor=owner,
        case=closing,
        item="plant_cleared",
        upload=photo(**BEFORE),
        exception_reason="断电当日清理前后对比照，执行前一日拍摄的为对比",
    )
    attachment = record.attachments.get()
    assert attachment.exception_reason.startswith("断电当日清理前后对比照")
    assert closing.events.filter(text__contains="例外说明：断电当日").exists()


def test_a_witness_date_before_the_cut_is_refused(closing, owner):
    from steelwatch.cases.services import closure_evidence_add

    with pytest.raises(ValidationError) as refused:
        closure_evidence_add(
            actor=owner,
            case=closing,
            item="products_confiscated",
            upload=pdf("没收清单.pdf"),
            witnessed_on=datetime.date(2026, 3, 4),
        )
    assert (
        "见证日期 2026-03-04 早于断电断水执行日 2026-03-05" in refused.value.message_dict["witnessed_on"][0]
    )
    closure_evidence_add(
        actor=owner,
        case=closing,
        item="products_confiscated",
        upload=pdf("没收清单.pdf"),
        witnessed_on=datetime.date(2026, 3, 5),
    )


def test_one_photo_cannot_prove_two_checks(closing, owner):
    from steelwatch.cases.services import closure_evidence_add

    shot = jpeg_bytes(taken="2026:03:06 15:00:00")

    def same():
        return SimpleUploadedFile("site.jpg", shot, content_type="image/jpeg")

    closure_evidence_add(actor=owner, case=closing, item="plant_cleared", upload=same())
    with pytest.raises(ValidationError, match="已作为“彻底清理厂房”的证据"):
        closure_evidence_add(actor=owner, case=closing, item="materials_confiscated", upload=same())
    # the same photo again for the same check is no second proof but no conflict either; another photo is fine
    closure_evidence_add(actor=owner, case=closing, item="plant_cleared", upload=same())
    closure_evidence_add(actor=owner, case=closing, item="materials_confiscated", upload=photo())
    assert closing.attachments.filter(closure_item__item="materials_confiscated").count() == 1


def test_the_api_names_the_field_and_takes_the_reason(closing, owner):
    client = api_client(owner)
    url = f"/api/v1/cases/{closing.pk}/closure/plant_cleared"
    refused = client.post(url, {"file": photo(**BEFORE)})
    assert refused.status_code == 422
    body = refused.json()
    assert "早于断电断水执行日" in str(body) and "file" in str(body)
    accepted = client.post(url, {"file": photo(**BEFORE), "exception_reason": "执行前拍摄的对比照"})
    assert accepted.status_code == 201, accepted.content
    assert closing.attachments.get().exception_reason == "执行前拍摄的对比照"
