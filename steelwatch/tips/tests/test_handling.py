"""Handling: intake, jurisdiction, deadlines and reminders, duplicates, rewards, statistics, outsiders."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from steelwatch.core.models import Job, Notification
from steelwatch.testing import api_client, exported_file, file_bytes, make_enterprise
from steelwatch.tips import services
from steelwatch.tips.models import RewardRule, Tip, TipAttachment
from steelwatch.tips.selectors import dashboard_cards, duplicate_candidates, effective_status

from .conftest import PHONE, jpeg_with_gps

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def submit(township, **extra) -> Tip:
    fields = {
        "channel": "web",
        "content": "有中频炉在生产地条钢",
        "address": "某村厂房",
        "division_code": township.code,
    }
    fields.update(extra)
    return services.tip_submit(**fields)[0]


def test_staff_intake_records_the_channel_and_shows_the_key_once(handler, township, owner):
    client = login(handler)
    assert client.get(reverse("tips:tip_new")).status_code == 200
    response = client.post(
        reverse("tips:tip_new"),
        {
            "channel": "phone",
            "content": "电话举报：某厂夜间炼钢",
            "address": "某路 8 号",
            "division_code": township.code,
            "reporter_phone": PHONE,
        },
    )
    assert response.status_code == 200 and 'id="key"' in response.content.decode()
    tip = Tip.objects.get()
    assert tip.channel == "phone" and tip.received_by == handler and tip.located_by == "staff"
    # the district office may view tips but not take them in
    assert login(owner).get(reverse("tips:tip_new")).status_code == 403
    with pytest.raises(ValidationError, match="渠道"):
        services.tip_record(
            actor=handler, channel="web", content="x" * 10, address="a", division_code=township.code
        )


def test_outsider_gets_404_on_every_tip_page_and_endpoint(submitted, outsider, other_handler):
    tip, _ = submitted
    jpeg = TipAttachment.objects.create(
        tip=tip, kind="image", path="tips/none.jpg", content_type="image/jpeg", size=1
    )
    for user in (outsider, other_handler):
        client = login(user)
        for url in (
            reverse("tips:tip_detail", args=[tip.pk]),
            reverse("tips:attachment", args=[tip.pk, jpeg.pk]),
        ):
            assert client.get(url).status_code == 404
        for url in (
            reverse("tips:tip_reveal", args=[tip.pk]),
            reverse("tips:tip_action", args=[tip.pk, "accept"]),
        ):
            assert client.post(url, {"reason": "看看是谁"}).status_code == 404
        assert tip.receipt not in client.get(reverse("tips:tip_list")).content.decode()
        assert api_client(user).get(f"/api/v1/tips/{tip.pk}").status_code == 404
        assert api_client(user).get("/api/v1/tips").json()["items"] == []
    assert Client().get("/api/v1/tips").status_code == 401
    assert Client().get(reverse("tips:tip_list")).status_code == 302  # login required
    tip.refresh_from_db()
    assert tip.status == "received"


def test_attachments_are_served_only_through_the_access_check(township, handler, owner, colleague):
    from django.core.files.uploadedfile import SimpleUploadedFile

    tip = submit(township, files=[SimpleUploadedFile("a.jpg", jpeg_with_gps(), "image/jpeg")])
    item = tip.attachments.get()
    url = reverse("tips:attachment", args=[tip.pk, item.pk])
    response = login(handler).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    assert login(colleague).get(url).status_code == 403  # a township user has no tips.view at all


def test_routing_notifies_the_district_handler_not_the_city_or_other_districts(
    township, handler, other_handler, city_user, django_capture_on_commit_callbacks
):
    from steelwatch.testing import make_user

    city_handler = make_user("tip_handler", "320400", username="city_handler")
    with django_capture_on_commit_callbacks(execute=True):
        tip = submit(township)
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {"handler"}
    # the city sees every tip, and hears of one when the district has no handler
    assert login(city_user).get(reverse("tips:tip_detail", args=[tip.pk])).status_code == 200
    other_township = other_handler.division.children.order_by("code").first()
    other_handler.is_active = False
    other_handler.save()
    with django_capture_on_commit_callbacks(execute=True):
        submit(other_township)
    assert Notification.objects.filter(recipient=city_handler).count() == 1


def test_deadlines_reminders_are_sent_once_a_day(township, handler, django_capture_on_commit_callbacks):
    tip = submit(township)
    created = timezone.localdate(tip.created_at)
    assert tip.handoff_due > created and tip.verify_due > tip.handoff_due
    day_after = tip.handoff_due + datetime.timedelta(days=1)
    assert tip.handoff_overdue(day_after) and not tip.handoff_overdue(tip.handoff_due)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("tip_reminders", date=day_after.isoformat())
        call_command("tip_reminders", date=day_after.isoformat())  # idempotent the same day
    texts = list(Notification.objects.filter(recipient=handler).values_list("text", flat=True))
    assert sum("交办已逾期" in t for t in texts) == 1
    services.tip_accept(actor=handler, tip=tip)
    late = tip.verify_due + datetime.timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.tip_send_reminders(today=late) == 1
    assert Notification.objects.filter(recipient=handler, text__contains="核查已逾期").count() == 1
    assert services.tip_send_reminders(today=late) == 0


def test_duplicates_are_suggested_and_merged(township, handler):
    first = submit(township, latitude="31.700000", longitude="119.950000")
    near = submit(township, latitude="31.701000", longitude="119.950500", content="同一个厂又在冒烟")
    far = submit(township, latitude="31.720000", longitude="119.950000")
    enterprise = make_enterprise(township.code)
    services.tip_update(actor=handler, tip=first, enterprise_id=enterprise.pk)
    same_site = submit(township, content="某厂在炼钢")
    services.tip_update(actor=handler, tip=same_site, enterprise_id=enterprise.pk)
    found = duplicate_candidates(handler, first)
    assert near in found and same_site in found and far not in found
    services.tip_merge(actor=handler, tip=near, into=first)
    services.tip_verify(actor=handler, tip=first, result="verified", note="属实")
    near.refresh_from_db()
    assert effective_status(near) == "verified"
    with pytest.raises(ValidationError, match="已合并"):
        services.tip_accept(actor=handler, tip=near)


def test_reward_is_for_the_first_reporters_who_share_it_and_is_capped(
    township, handler, owner, outsider, settings
):
    settings.TIP_REWARD_CITY_APPROVAL_ABOVE = 1_000_000  # the district office approves here
    enterprise = make_enterprise(township.code)
    tips = [submit(township) for _ in range(3)]
    # two days ago at 09:00 local time: the two earlier reports fall on one local day whatever the hour the
    # suite runs (from 23:00 in Shanghai "now - 2 days + 1 h" crossed midnight and they no longer shared)
    day = timezone.localdate() - datetime.timedelta(days=2)
    earlier = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    Tip.objects.filter(pk=tips[0].pk).update(created_at=earlier)
    Tip.objects.filter(pk=tips[1].pk).update(created_at=earlier + datetime.timedelta(hours=1))
    for tip in tips:
        tip.refresh_from_db()
        services.tip_update(actor=handler, tip=tip, enterprise_id=enterprise.pk)
        services.tip_verify(actor=handler, tip=tip, result="verified")
    rule = RewardRule.objects.get(code="idle_restartable")
    reward = services.reward_propose(actor=handler, tip=tips[0], rule=rule)
    assert reward.share_count == 2 and reward.amount == rule.amount / 2
    with pytest.raises(ValidationError, match="首位"):
        services.reward_propose(actor=handler, tip=tips[2], rule=rule)
    with pytest.raises(ValidationError):
        services.reward_decide(actor=outsider, reward=reward, approve=True)
    with pytest.raises(ValidationError, match="申领"):
        services.reward_decide(actor=owner, reward=reward, approve=True)
        services.reward_pay(actor=owner, reward=reward, paid_on=timezone.localdate(), amount=Decimal("1"))
    too_much = RewardRule(code="too_much", name="超过上限", amount=Decimal("600000"))
    with pytest.raises(ValidationError):
        too_much.full_clean()


def test_reward_controls(township, handler, owner, city_user):
    """Only for a tip tied to a case or a ledger site; above the limit the city approves; the share is
    fixed at approval time for every first reporter of the target."""
    loose = submit(township)
    services.tip_verify(actor=handler, tip=loose, result="verified")
    rule = RewardRule.objects.get(code="producing_site")
    with pytest.raises(ValidationError, match="关联案件或台账企业"):
        services.reward_propose(actor=handler, tip=loose, rule=rule)
    enterprise = make_enterprise(township.code)
    first, second = submit(township), submit(township)
    services.tip_update(actor=handler, tip=first, enterprise_id=enterprise.pk)
    services.tip_verify(actor=handler, tip=first, result="verified")
    reward = services.reward_propose(actor=handler, tip=first, rule=rule)
    assert reward.share_count == 1 and reward.amount == rule.amount
    # A same-day reporter of the same site is known by the time the reward is approved.
    services.tip_update(actor=handler, tip=second, enterprise_id=enterprise.pk)
    services.tip_verify(actor=handler, tip=second, result="verified")
    other = services.reward_propose(actor=handler, tip=second, rule=rule)
    with pytest.raises(ValidationError, match="市领导小组办公室"):
        services.reward_decide(actor=owner, reward=reward, approve=True)
    services.reward_decide(actor=city_user, reward=reward, approve=True)
    reward.refresh_from_db()
    other.refresh_from_db()
    assert (reward.share_count, other.share_count) == (2, 2)
    assert reward.amount == other.amount == rule.amount / 2  # the target's total follows the scale once


def test_payout_date_field_renders_iso():
    from steelwatch.tips.forms import RewardPayForm

    form = RewardPayForm(initial={"paid_on": datetime.date(2026, 12, 2)})
    assert 'value="2026-12-02"' in str(form["paid_on"]) and 'type="date"' in str(form["paid_on"])


def test_unverified_tips_get_no_reward(submitted, handler):
    tip, _ = submitted
    with pytest.raises(ValidationError, match="属实"):
        services.reward_propose(actor=handler, tip=tip, rule=RewardRule.objects.first())


def test_statistics_page_export_and_dashboard(township, handler, owner, outsider):
    tip = submit(township, reporter={"phone": PHONE})
    services.tip_verify(actor=handler, tip=tip, result="not_verified", note="现场无生产迹象")
    submit(township, channel="api")
    page = login(owner).get(reverse("tips:stats"))
    html = page.content.decode()
    assert (
        page.status_code == 200
        and "vendor/echarts.min.js" in html
        and "不属实" in html
        and "网上举报" in html
    )
    job_page, export = exported_file(login(owner), reverse("tips:stats_export"))
    assert job_page.context["job"].progress == 100 and 'id="job-download"' in job_page.content.decode()
    assert export["Content-Disposition"].startswith(
        "attachment; filename*=utf-8''%E4%B8%BE%E6%8A%A5%E7%BB%9F%E8%AE%A1_"
    )
    workbook = load_workbook(io.BytesIO(file_bytes(export)))
    rows = list(workbook["举报明细"].iter_rows(values_only=True))
    assert rows[0][0] == "回执编号" and len(rows) == 3
    assert all(PHONE not in str(cell) for row in rows for cell in row)
    summary = {(r[0], r[1]): r[2] for r in workbook["统计"].iter_rows(values_only=True)}
    assert summary[("合计", "举报总数")] == 2 and summary[("结果", "不属实")] == 1
    outsider_client = login(outsider)
    outsider_file = file_bytes(exported_file(outsider_client, reverse("tips:stats_export"))[1])
    outsider_rows = list(load_workbook(io.BytesIO(outsider_file))["举报明细"].iter_rows(values_only=True))
    owner_job = Job.objects.filter(kind="tip_stats_export", started_by=owner).get()
    assert outsider_client.get(reverse("core:job_download", args=[owner_job.pk])).status_code == 404
    assert len(outsider_rows) == 1  # only the header: nothing of another district
    cards = {c["title"]: c["value"] for c in dashboard_cards(handler)}
    assert cards["待交办举报"] == 1
    assert "待交办举报" in login(handler).get(reverse("core:home")).content.decode()


def test_list_page_query_count_does_not_grow_with_the_tips(township, handler, django_assert_max_num_queries):
    client = login(handler)
    for _ in range(2):
        submit(township)
    with django_assert_max_num_queries(12) as few:
        assert client.get(reverse("tips:tip_list")).status_code == 200
    for _ in range(6):
        tip = submit(township)
        services.tip_escalate(actor=handler, tip=tip)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("tips:tip_list")).status_code == 200


def test_reward_scale_is_set_by_the_city_office(city_user, owner):
    rule = services.reward_rule_save(
        actor=city_user, code="producing_site", name="查实在产窝点", amount=Decimal("500000")
    )
    assert rule.amount == Decimal("500000")
    with pytest.raises(ValidationError, match="管辖全部服务范围的领导小组办公室"):
        services.reward_rule_save(actor=owner, code="x", name="x", amount=Decimal("1"))
    with pytest.raises(ValidationError):
        services.reward_rule_save(actor=city_user, code="big", name="超上限", amount=Decimal("500001"))


def test_stats_only_users_get_a_card_and_the_page(township, handler):
    from steelwatch.testing import make_user

    viewer = make_user("viewer", "320412")
    submit(township)
    assert dashboard_cards(viewer) == [{"title": "举报总数", "value": 1, "url": reverse("tips:stats")}]
    assert login(viewer).get(reverse("tips:stats")).status_code == 200
    assert login(viewer).get(reverse("tips:tip_list")).status_code == 403


def test_a_reloaded_submission_form_makes_one_tip_and_shows_the_key_only_once(township):
    form = Client().get(reverse("tips_public:submit")).content.decode()
    token = form.split('name="submission" value="', 1)[1].split('"', 1)[0]
    data = {
        "content": "夜里有中频炉在炼钢",
        "address": "某村厂房",
        "division_code": township.code,
        "submission": token,
    }
    first = Client().post(reverse("tips_public:submit"), data)
    again = Client().post(reverse("tips_public:submit"), data)  # the browser re-posts on reload
    assert first.status_code == 201 and 'id="key"' in first.content.decode()
    assert again.status_code == 201 and 'id="key"' not in again.content.decode()
    assert 'id="resubmitted"' in again.content.decode()
    tip = Tip.objects.get()
    assert tip.receipt in again.content.decode()
    other = dict(data, submission="")  # no token (an older form): still accepted, as a new tip
    assert Client().post(reverse("tips_public:submit"), other).status_code == 201
    assert Tip.objects.count() == 2


def test_a_tip_verified_then_escalated_stays_verified_until_the_case_decides(submitted, handler):
    tip, _ = submitted
    services.tip_accept(actor=handler, tip=tip)
    services.tip_verify(actor=handler, tip=tip, result="verified", note="现场发现中频炉")
    case = services.tip_escalate(actor=handler, tip=tip)
    tip.refresh_from_db()
    assert case.state not in ("confirmed", "closed", "unfounded") and effective_status(tip) == "verified"
    assert (
        services.reward_propose(actor=handler, tip=tip, rule=RewardRule.objects.first()).status == "proposed"
    )
    from steelwatch.tips.selectors import tip_list

    assert list(tip_list(handler, status="verified")) == [tip]
    assert not tip_list(handler, status="verifying").exists()
    case.state = "unfounded"
    case.save(update_fields=["state"])
    tip.refresh_from_db()
    assert effective_status(tip) == "not_verified"
    assert list(tip_list(handler, status="not_verified")) == [tip]


def test_the_status_filter_follows_the_primary_of_a_merged_tip(township, handler):
    first, near = submit(township), submit(township, content="同一个厂又在冒烟")
    services.tip_merge(actor=handler, tip=near, into=first)
    services.tip_verify(actor=handler, tip=first, result="verified", note="属实")
    from steelwatch.tips.selectors import tip_list

    assert set(tip_list(handler, status="verified")) == {first, near}
    assert not tip_list(handler, status="received").exists()


def test_opening_a_case_through_the_api_from_a_tip_escalates_that_tip(submitted, handler, other_handler):
    tip, _ = submitted
    opening = {
        "title": "举报核查",
        "source": "tip",
        "division_code": tip.division_id,
        "source_ref": f"tip:{tip.pk}",
        "description": "请公安配合",
    }
    assert (
        api_client(other_handler).post("/api/v1/cases", opening, content_type="application/json").status_code
        == 404
    )
    created = api_client(handler).post("/api/v1/cases", opening, content_type="application/json")
    assert created.status_code == 201, created.content
    tip.refresh_from_db()
    assert tip.case_id == created.json()["id"]
    assert tip.case.title == "举报核查" and tip.case.description.endswith("请公安配合")
    assert "举报人身份依法保密" in tip.case.description
    again = api_client(handler).post("/api/v1/cases", opening, content_type="application/json")
    assert again.status_code == 409 and "已立案" in again.json()["detail"]


def test_the_district_office_sees_every_identity_reveal_of_its_jurisdiction_only(
    submitted, handler, owner, outsider
):
    tip, _ = submitted
    services.tip_reveal_identity(actor=handler, tip=tip, reason="核实举报人联系方式以便回访")
    page = login(owner).get(reverse("tips:identity_reveals"))
    html = page.content.decode()
    assert page.status_code == 200 and tip.receipt in html and "核实举报人联系方式以便回访" in html
    assert PHONE not in html
    assert "核实举报人联系方式" not in login(outsider).get(reverse("tips:identity_reveals")).content.decode()
    assert login(handler).get(reverse("tips:identity_reveals")).status_code == 403
    assert reverse("tips:identity_reveals") in login(owner).get(reverse("tips:tip_list")).content.decode()


def test_a_tip_recorded_outside_ones_area_is_refused_naming_the_place(handler):
    """#11 item 2: the message puts the name beside the code: 所在区域 320411001（…街道） 不在您的管辖范围内."""
    from steelwatch.geo.models import Division

    outside = Division.objects.filter(parent_id="320411").order_by("code").first()
    with pytest.raises(ValidationError) as refused:
        services.tip_submit(
            channel="phone",
            content="有人夜里炼钢",
            address="某厂房",
            division_code=outside.code,
            actor=handler,
        )
    assert f"所在区域 {outside.code}（{outside.name}） 不在您的管辖范围内" in str(refused.value)
