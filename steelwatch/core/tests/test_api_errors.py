"""Every API error is JSON; work after a commit can fail without failing the request that committed."""

import json
import logging

import pytest
from django.test import Client

from steelwatch.core.models import Notification
from steelwatch.testing import api_client, make_user
from steelwatch.tips.models import Tip

pytestmark = pytest.mark.django_db


def assert_json(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return response.json()


def test_api_errors_are_json(owner, monkeypatch):
    client = Client(raise_request_exception=False)
    assert_json(client.get("/api/v1/no-such-endpoint"), 404)
    assert_json(client.get("/api/v1/tips"), 401)
    assert_json(client.get("/api/v1/public/tips/JB-AAAA-BBBB-CCCC"), 404)
    handler = api_client(make_user("tip_handler", "320412", username="api_handler"))
    assert_json(handler.delete("/api/v1/tips"), 405)
    viewer = api_client(make_user("viewer", "320412", username="api_viewer"))
    assert_json(viewer.get("/api/v1/tips"), 403)

    def broken(*args, **kwargs):
        raise RuntimeError("王举报 13912345678")

    monkeypatch.setattr("steelwatch.tips.api.tip_list", broken)
    handler.raise_request_exception = False
    body = assert_json(handler.get("/api/v1/tips"), 500)
    assert "服务器内部错误" in body["detail"] and "13912345678" not in json.dumps(body)


@pytest.mark.django_db(transaction=True)  # the notification runs at the real commit, inside the request
def test_a_stored_tip_gets_its_receipt_and_key_when_the_notification_fails(monkeypatch, caplog):
    from steelwatch.geo.models import Division

    township = Division.objects.filter(parent_id="320412").order_by("code").first()
    make_user("tip_handler", "320412", username="failing_handler")

    def dropped_connection(*args, **kwargs):
        raise RuntimeError("connection lost while notifying about 王举报 13912345678")

    monkeypatch.setattr(Notification.objects, "bulk_create", dropped_connection)
    caplog.set_level(logging.ERROR)
    response = Client().post(
        "/api/v1/public/tips",
        json.dumps(
            {
                "content": "夜里有中频炉在炼钢",
                "address": "某村东头",
                "division_code": township.code,
                "reporter": {"name": "王举报", "phone": "13912345678"},
            }
        ),
        content_type="application/json",
    )
    body = assert_json(response, 201)
    assert Tip.objects.filter(receipt=body["receipt"]).exists() and body["key"]
    assert not Notification.objects.exists()
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "提交后的操作失败" in logged and "RuntimeError" in logged
    assert "13912345678" not in logged and "王举报" not in logged and "13912345678" not in caplog.text

    page = Client().get("/public/tips/").content.decode()
    token = page.split('name="submission" value="', 1)[1].split('"', 1)[0]
    web = Client().post(
        "/public/tips/",
        {
            "content": "夜里有中频炉在炼钢",
            "address": "某村",
            "division_code": township.code,
            "submission": token,
        },
    )
    assert web.status_code == 201 and 'id="key"' in web.content.decode()
