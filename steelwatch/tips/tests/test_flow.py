"""Done means: a public tip with a phone number reaches the right district's handler, is verified and
escalated into a case, the reporter follows it and is rewarded; the phone number is nowhere in clear."""

import io
import logging
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from steelwatch.cases.models import Case
from steelwatch.core.models import AuditLog, Notification
from steelwatch.testing import api_client, exported_file, file_bytes
from steelwatch.tips.models import Reward, RewardRule, Tip

from .conftest import NAME, PHONE, database_text, receipt_and_key

pytestmark = pytest.mark.django_db


def reporter_status(client: Client, receipt: str, key: str, **extra) -> str:
    response = client.post(reverse("tips_public:status"), {"receipt": receipt, "key": key, **extra})
    assert response.status_code == 200, response.content.decode()[:500]
    return response.content.decode()


def test_public_tip_is_handled_escalated_rewarded_and_the_phone_never_leaks(
    township, handler, other_handler, owner, city_user, caplog, client, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    public = Client()

    # The reporter submits on the public page (no login), leaving a name and phone number.
    page = public.get(reverse("tips_public:submit"))
    assert page.status_code == 200 and "提交举报" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = public.post(
            reverse("tips_public:submit"),
            {
                "content": "村东头厂房每天夜里用中频炉炼钢，冒黑烟",
                "address": "武进区某村东头",
                "occurred": "最近一周夜里",
                "division_code": township.code,
                "reporter_name": NAME,
                "reporter_phone": PHONE,
            },
        )
    assert response.status_code == 201, response.content.decode()[:800]
    receipt, key = receipt_and_key(response.content.decode())
    tip = Tip.objects.get(receipt=receipt)
    assert tip.division_id == township.code and tip.has_identity and len(key) >= 32

    # It reaches the district's handler (notification + list), not the other district's.
    assert Notification.objects.filter(recipient=handler, text__contains=receipt).exists()
    assert not Notification.objects.filter(recipient=other_handler).exists()
    client.force_login(handler)
    assert receipt in client.get(reverse("tips:tip_list")).content.decode()
    detail = client.get(reverse("tips:tip_detail", args=[tip.pk])).content.decode()
    assert PHONE not in detail and NAME not in detail

    # The other district's handler cannot see it anywhere.
    other = Client()
    other.force_login(other_handler)
    assert receipt not in other.get(reverse("tips:tip_list")).content.decode()
    assert other.get(reverse("tips:tip_detail", args=[tip.pk])).status_code == 404
    assert api_client(other_handler).get(f"/api/v1/tips/{tip.pk}").status_code == 404

    # The reporter comes back: 已受理.
    assert "已受理" in reporter_status(public, receipt, key)

    # The handler takes it on, asks a question, verifies it and escalates it into a case.
    for action, data in (
        ("accept", {}),
        ("ask", {"question": "厂房门口有什么标志？"}),
        ("verify", {"result": "verified", "note": "经现场核查，情况属实"}),
        ("escalate", {}),
    ):
        client.post(reverse("tips:tip_action", args=[tip.pk, action]), data)
    tip.refresh_from_db()
    case = Case.objects.get(source_ref=f"tip:{tip.pk}")
    assert tip.case == case and case.source == "tip" and case.division_id == township.code
    assert "中频炉" in case.description and PHONE not in case.description and NAME not in case.description

    # The reporter sees the question, answers it; the handler's finding shows until the case decides.
    html = reporter_status(public, receipt, key)
    assert "厂房门口有什么标志" in html and "属实" in html and "核查中" not in html
    question = tip.questions.get()
    reporter_status(
        public, receipt, key, action="answer", question=question.pk, answer="门口挂着某某铸造厂的牌子"
    )
    question.refresh_from_db()
    assert question.answer.startswith("门口")
    Case.objects.filter(pk=case.pk).update(state="confirmed")
    assert "属实" in reporter_status(public, receipt, key)

    # Reward: the handler proposes, the district office approves, the reporter claims, the office pays.
    rule = RewardRule.objects.get(code="producing_site")
    client.post(reverse("tips:tip_action", args=[tip.pk, "propose"]), {"rule": rule.pk})
    reward = Reward.objects.get(tip=tip)
    assert reward.amount == rule.amount and reward.status == "proposed"
    office = Client()
    office.force_login(owner)
    office.post(reverse("tips:tip_action", args=[tip.pk, "approve"]))
    reward.refresh_from_db()
    assert reward.status == "proposed"  # 300,000 yuan is above the district office's approval limit
    city = Client()
    city.force_login(city_user)
    city.post(reverse("tips:tip_action", args=[tip.pk, "approve"]))
    html = reporter_status(public, receipt, key)
    assert "已批准" in html and "申领奖励" in html
    reporter_status(public, receipt, key, action="claim", payment=f"{NAME} 工商银行 6222020000001234 {PHONE}")
    office.post(
        reverse("tips:tip_action", args=[tip.pk, "pay"]),
        {"paid_on": "2026-01-05", "amount": "300000", "reference": "JL-2026-001"},
    )
    reward.refresh_from_db()
    assert reward.status == "paid" and reward.paid_amount == rule.amount
    html = reporter_status(public, receipt, key)
    assert "已发放" in html and "2026-01-05" in html and "300000" in html
    staff_page = office.get(reverse("tips:tip_detail", args=[tip.pk])).content.decode()
    assert "已发放" in staff_page and "举报人已申领" in staff_page and "6222020000001234" not in staff_page

    # Only the tip's own handler can reveal the identity, with a reason; the reveal is audited without it.
    assert client.post(reverse("tips:tip_reveal", args=[tip.pk]), {"reason": ""}).status_code == 302
    revealed = client.post(reverse("tips:tip_reveal", args=[tip.pk]), {"reason": "发放奖励核对身份"})
    assert PHONE in revealed.content.decode() and "6222020000001234" in revealed.content.decode()
    log = AuditLog.objects.get(action="tip_reveal_identity")
    assert log.actor == handler and log.reason == "发放奖励核对身份"
    assert office.post(reverse("tips:tip_reveal", args=[tip.pk]), {"reason": "想看看是谁"}).status_code == 302
    assert AuditLog.objects.filter(action="tip_reveal_identity").count() == 1

    # Nowhere in clear: database, logs, exports, the staff API, the audit trail.
    data = database_text()
    assert PHONE.encode() not in data and NAME.encode() not in data and b"6222020000001234" not in data
    assert tip.content.encode() in data  # the search itself works
    assert PHONE not in caplog.text and NAME not in caplog.text
    export = exported_file(office, reverse("tips:stats_export"))[1]
    assert export.status_code == 200
    with zipfile.ZipFile(io.BytesIO(file_bytes(export))) as workbook:
        xml = b"".join(workbook.read(name) for name in workbook.namelist())
    assert receipt.encode() in xml and PHONE.encode() not in xml and NAME.encode() not in xml
    staff_api = api_client(handler).get("/api/v1/tips").content.decode()
    assert receipt in staff_api and PHONE not in staff_api and NAME not in staff_api
    assert not AuditLog.objects.filter(after__icontains=PHONE).exists()
