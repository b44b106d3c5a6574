"""The public channel: the API, attachments without metadata, abuse limits, secrets and error reports."""

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.debug import ExceptionReporter
from PIL import Image

from steelwatch.testing import make_enterprise
from steelwatch.tips import crypto, guards, services
from steelwatch.tips.media import absolute
from steelwatch.tips.models import Tip, TipAttachment

from .conftest import NAME, PHONE, jpeg_with_gps

pytestmark = pytest.mark.django_db
API = "/api/v1/public/tips"


def text(response) -> str:
    return json.dumps(response.json(), ensure_ascii=False)


def post_json(client, data):
    return client.post(API, json.dumps(data), content_type="application/json")


def test_api_submit_json_and_follow_with_the_key(township):
    client = Client()
    response = post_json(
        client,
        {
            "content": "厂里夜间有中频炉",
            "address": "某路 1 号",
            "division_code": township.code,
            "reporter": {"name": NAME, "phone": PHONE},
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"receipt", "key"}
    tip = Tip.objects.get(receipt=body["receipt"])
    assert tip.channel == "api" and tip.has_identity and PHONE not in tip.reporter_ciphertext
    assert tip.key_digest != body["key"] and body["key"] not in tip.key_digest

    seen = client.get(f"{API}/{body['receipt']}", headers={"X-Tip-Key": body["key"]})
    assert seen.status_code == 200
    view = seen.json()
    assert view["status"] == "received" and view["status_label"] == "已受理"
    assert PHONE not in seen.content.decode() and "notes" not in view

    unknown = client.get(f"{API}/JB-AAAA-BBBB-CCCC", headers={"X-Tip-Key": body["key"]})
    wrong = client.get(f"{API}/{body['receipt']}", headers={"X-Tip-Key": "x" + body["key"]})
    missing = client.get(f"{API}/{body['receipt']}")
    assert unknown.status_code == wrong.status_code == missing.status_code == 404
    assert unknown.content == wrong.content == missing.content


def test_api_errors_are_chinese_and_name_the_field(township, settings):
    settings.STEELWATCH_REGION = "320400"  # a 常州 deployment: a 北京 district is outside it
    client = Client()
    response = post_json(client, {"content": "短", "address": "", "division_code": township.code})
    assert response.status_code == 422
    fields = {d["loc"][-1]: d["msg"] for d in response.json()["detail"]}
    assert "content" in fields and "address" in fields and "举报内容" in fields["content"]
    response = post_json(client, {"content": "有人炼地条钢", "address": "某地", "division_code": "110101"})
    assert response.status_code == 422 and "常州市的区县" in text(response) and "110101" in text(response)
    response = post_json(client, {"content": "有人炼地条钢", "address": "某地"})
    assert response.status_code == 422 and "division_code" in text(response)
    response = post_json(
        client,
        {
            "content": "有人炼地条钢",
            "address": "某地",
            "division_code": township.code,
            "reporter": {"phone": "call me maybe"},
        },
    )
    assert response.status_code == 422 and "联系电话格式不正确" in text(response)
    assert not Tip.objects.exists()


def test_division_from_coordinates_is_the_nearest_ledger_site(township):
    make_enterprise(township.code, latitude="31.700000", longitude="119.950000")
    tip, _ = services.tip_submit(
        channel="api", content="厂房里有中频炉", address="某厂附近", latitude="31.701", longitude="119.951"
    )
    assert tip.division_id == township.code and tip.located_by == "coordinates"
    with pytest.raises(ValidationError, match="无法根据定位"):
        services.tip_submit(
            channel="api", content="厂房里有中频炉", address="很远的地方", latitude=40.0, longitude=116.4
        )


def test_multipart_with_a_photo_strips_exif_and_never_stores_the_original(township, tmp_path):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif()  # the fixture really carries metadata
    video = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 100
    client = Client()
    response = client.post(
        API,
        {
            "content": "照片拍到了出钢",
            "address": "某路 2 号",
            "division_code": township.code,
            "reporter": json.dumps({"phone": PHONE}),
            "files": [
                SimpleUploadedFile("张三拍的.jpg", original, "image/jpeg"),
                SimpleUploadedFile("v.mp4", video, "video/mp4"),
            ],
        },
    )
    assert response.status_code == 201, response.content
    tip = Tip.objects.get(receipt=response.json()["receipt"])
    image, clip = TipAttachment.objects.filter(tip=tip).order_by("id")
    stored = absolute(image.path).read_bytes()
    assert stored != original and b"SpyCam" not in stored and "张三" not in image.path
    cleaned = Image.open(io.BytesIO(stored))
    assert cleaned.size == (64, 48) and not cleaned.getexif() and "exif" not in cleaned.info
    assert clip.kind == "video" and absolute(clip.path).read_bytes() == video and "元数据" in clip.note


def test_bad_files_are_refused_before_anything_is_written(township):
    client = Client()
    response = client.post(
        API,
        {
            "content": "有人炼地条钢",
            "address": "某地",
            "division_code": township.code,
            "files": [SimpleUploadedFile("a.exe", b"MZ" + b"\x00" * 50)],
        },
    )
    assert response.status_code == 422 and "第1个附件" in text(response)
    assert not Tip.objects.exists() and not TipAttachment.objects.exists()


def test_oversized_requests_are_refused_early(township, monkeypatch):
    monkeypatch.setattr(guards, "MAX_REQUEST_BYTES", 2000)

    def big():
        return SimpleUploadedFile("a.jpg", jpeg_with_gps() + b"\x00" * 5000, "image/jpeg")

    response = Client().post(
        API, {"content": "有人炼地条钢", "address": "某地", "division_code": township.code, "files": [big()]}
    )
    assert response.status_code == 413 and "过大" in response.json()["detail"]
    page = Client().post(
        reverse("tips_public:submit"),
        {"content": "有人炼地条钢", "address": "某地", "division_code": township.code, "files": [big()]},
    )
    assert page.status_code == 413 and "过大" in page.content.decode()
    assert not Tip.objects.exists()


def test_rate_limit_per_client_counts_in_the_database(township, monkeypatch):
    monkeypatch.setitem(services.RATE_LIMITS, "submit", 2)
    data = {"content": "有人炼地条钢", "address": "某地", "division_code": township.code}
    first, second = Client(REMOTE_ADDR="10.0.0.1"), Client(REMOTE_ADDR="10.0.0.2")
    assert [post_json(first, data).status_code for _ in range(3)] == [201, 201, 429]
    assert "频繁" in post_json(first, data).json()["detail"]
    assert Client(REMOTE_ADDR="10.0.0.1").post(reverse("tips_public:submit"), data).status_code == 429
    assert post_json(second, data).status_code == 201  # another client is not affected
    assert Tip.objects.count() == 3
    from steelwatch.tips.models import PublicSubmission

    assert not PublicSubmission.objects.filter(client__contains="10.0.0.1").exists()  # no IP stored


def test_error_reports_do_not_show_the_reporter(township, monkeypatch):
    """If submitting crashes, Django's error report (e-mailed to admins) must not contain the identity."""
    from steelwatch.tips import public_views

    def crash(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "audited_create", crash)
    request = RequestFactory().post(
        reverse("tips_public:submit"),
        {
            "content": "有人炼地条钢",
            "address": "某地",
            "division_code": township.code,
            "reporter_name": NAME,
            "reporter_phone": PHONE,
        },
    )
    request._dont_enforce_csrf_checks = True
    with pytest.raises(RuntimeError) as crashed:
        public_views.submit(request)
    reporter = ExceptionReporter(request, crashed.type, crashed.value, crashed.tb)
    for report in (reporter.get_traceback_text(), reporter.get_traceback_html()):
        assert "boom" in report and "reporter_phone" in report
        assert PHONE not in report and NAME not in report


def test_keys_rotate_and_old_keys_can_then_be_dropped(settings, submitted):
    tip, _ = submitted
    new = crypto.Fernet.generate_key().decode()
    settings.TIP_ENCRYPTION_KEYS = [new, *settings.TIP_ENCRYPTION_KEYS]
    from django.core.management import call_command

    call_command("rotate_tip_keys")
    settings.TIP_ENCRYPTION_KEYS = [new]
    tip.refresh_from_db()
    assert crypto.decrypt_json(tip.reporter_ciphertext)["phone"] == PHONE
    settings.TIP_ENCRYPTION_KEYS = [crypto.Fernet.generate_key().decode()]
    with pytest.raises(RuntimeError, match="无法解密"):
        crypto.decrypt_json(tip.reporter_ciphertext)


def test_the_public_status_page_refuses_a_wrong_key_like_an_unknown_receipt(submitted):
    tip, key = submitted
    url = reverse("tips_public:status")
    client = Client()
    other = "X" if key[-1].upper() != "X" else "Y"  # a different last character (any case matches)
    wrong = client.post(url, {"receipt": tip.receipt, "key": key[:-1] + other})
    unknown = client.post(url, {"receipt": "JB-AAAA-BBBB-CCCC", "key": key})
    assert wrong.status_code == unknown.status_code == 404
    assert "回执编号或查询密钥不正确" in wrong.content.decode()
    ok = client.post(url, {"receipt": tip.receipt.lower(), "key": key})
    assert (
        ok.status_code == 200
        and "已受理" in ok.content.decode()
        and ok["Cache-Control"].startswith("max-age=0")
    )


def test_reporter_adds_material_with_a_photo(submitted):
    tip, key = submitted
    response = Client().post(
        reverse("tips_public:status"),
        {
            "receipt": tip.receipt,
            "key": key,
            "action": "supplement",
            "text": "又看到一辆货车拉钢坯",
            "files": [SimpleUploadedFile("b.jpg", jpeg_with_gps(), "image/jpeg")],
        },
    )
    assert response.status_code == 200 and "补充材料已提交" in response.content.decode()
    assert tip.supplements.get().text.startswith("又看到") and tip.attachments.count() == 1


def test_openapi_documents_the_public_endpoints():
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/public/tips" in schema["paths"] and "/api/v1/public/tips/{receipt}" in schema["paths"]
    assert not schema["paths"]["/api/v1/public/tips"]["post"].get("security")
