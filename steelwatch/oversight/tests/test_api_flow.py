"""The oversight issue's acceptance flow through API v1: a campaign with three phases and two report rounds
run to its end by every district of the city (one late: flagged and reminded), a pledge round's coverage, the
evaluation from real data, a summons and a rectification against the last district, and scoping (a district
never sees another district's report)."""

import datetime
import io
import json

import pytest
from django.utils import timezone

from steelwatch.core.models import Notification
from steelwatch.oversight.models import ReportSubmission
from steelwatch.oversight.services import oversight_reminders
from steelwatch.testing import api_client, make_user
from steelwatch.tips.models import Tip

pytestmark = pytest.mark.django_db

CITY = "320400"
DISTRICTS = ["320402", "320404", "320411", "320412", "320413", "320481"]
TODAY = timezone.localdate()


def body(response):
    return json.loads(response.content)


def post(client, url, data):
    return client.post(url, data=json.dumps(data, default=str), content_type="application/json")


@pytest.fixture
def city():
    return make_user("city_office", CITY, username="city-office")


@pytest.fixture
def offices():
    return {code: make_user("district_office", code, username=f"office-{code}") for code in DISTRICTS}


def campaign_payload():
    start = TODAY - datetime.timedelta(days=40)
    return {
        "title": "严厉打击和取缔违法生产销售“地条钢”专项行动",
        "document_number": "常化解办〔2026〕3号",
        "starts_on": start,
        "ends_on": TODAY + datetime.timedelta(days=20),
        "phases": [
            {"name": "全面梳理排查", "starts_on": start, "ends_on": start + datetime.timedelta(days=10)},
            {
                "name": "签订目标责任书",
                "starts_on": start + datetime.timedelta(days=11),
                "ends_on": start + datetime.timedelta(days=14),
            },
            {
                "name": "总结验收",
                "starts_on": TODAY + datetime.timedelta(days=10),
                "ends_on": TODAY + datetime.timedelta(days=20),
            },
        ],
        "tasks": [
            {
                "title": "拉网式梳理排查",
                "lead_department": "industry_it",
                "supporting_departments": ["development_reform", "market_regulation"],
                "division_codes": [],
                "due_on": start + datetime.timedelta(days=10),
            },
        ],
        "report_rounds": [
            {"title": "第一次信息报送", "due_on": TODAY - datetime.timedelta(days=5), "division_codes": []},
            {"title": "总结报送", "due_on": TODAY + datetime.timedelta(days=15), "division_codes": []},
        ],
    }


def test_campaign_runs_to_its_end_with_one_late_report(
    city, offices, monkeypatch, django_capture_on_commit_callbacks
):
    office = api_client(city)
    created = post(office, "/api/v1/campaigns", campaign_payload())
    assert created.status_code == 201, created.content
    campaign = body(office.get(f"/api/v1/campaigns/{created.json()['id']}"))
    assert [p["name"] for p in campaign["phases"]] == ["全面梳理排查", "签订目标责任书", "总结验收"]
    task = campaign["tasks"][0]
    assert {u["division_code"] for u in task["units"] if not u["department"]} == set(DISTRICTS)
    assert {u["department"] for u in task["units"] if u["department"]} == {
        "industry_it",
        "development_reform",
        "market_regulation",
    }
    first, final = (r["id"] for r in campaign["report_rounds"])

    # A tip received in 武进区 during the period: the pre-filled figure counts it.
    Tip.objects.create(
        receipt="T1",
        key_digest="x",
        content="夜间有炉子",
        address="某村",
        division_id="320412001",
        located_by="form",
        handoff_due=TODAY,
        verify_due=TODAY,
        created_at=timezone.now() - datetime.timedelta(days=20),
    )

    # Every district but the last reports in the first round: it was recorded after the fact, so
    # they are late; the last one has not reported at all.
    for code in DISTRICTS[:-1]:
        reply = post(
            api_client(offices[code]),
            f"/api/v1/report-rounds/{first}/submit",
            {"figures": {"enterprises_surveyed": 12}, "text": f"{code}排查完毕"},
        )
        assert reply.status_code == 200, reply.content
        assert reply.json()["state"] == "late"
    wujin = ReportSubmission.objects.get(round_id=first, division_id="320412")
    assert wujin.prefilled["tips_received"] == 1 and wujin.figures["tips_received"] == 1
    assert wujin.figures["enterprises_surveyed"] == 12  # the unit's correction wins over the pre-fill

    states = {
        u["division_code"]: u["state"] for u in body(office.get(f"/api/v1/report-rounds/{first}"))["units"]
    }
    assert states == {**{c: "late" for c in DISTRICTS[:-1]}, DISTRICTS[-1]: "missing"}

    # The final round: everyone on time except 溧阳市, which reports two days after the due date.
    for code in DISTRICTS[:-1]:
        assert (
            post(api_client(offices[code]), f"/api/v1/report-rounds/{final}/submit", {"text": "总结"}).json()[
                "state"
            ]
            == "submitted"
        )
    assert body(office.get(f"/api/v1/report-rounds/{final}"))["units"][-1]["state"] == "pending"

    # The reminder run after the due date flags the missing report to the unit and to the office.
    due = TODAY + datetime.timedelta(days=15)
    with django_capture_on_commit_callbacks(execute=True):
        counts = oversight_reminders(today=due + datetime.timedelta(days=1))
    assert counts["reports"] == 2  # 溧阳市 in both rounds
    late_unit = offices[DISTRICTS[-1]]
    assert Notification.objects.filter(recipient=late_unit, text__contains="报送已逾期").count() == 2
    assert Notification.objects.filter(recipient=city, text__contains="未按时报送").exists()
    assert oversight_reminders(today=due + datetime.timedelta(days=1))["reports"] == 0  # once a day

    later = timezone.now() + datetime.timedelta(days=17)
    monkeypatch.setattr(timezone, "now", lambda: later)
    reply = post(api_client(late_unit), f"/api/v1/report-rounds/{final}/submit", {"text": "迟报"})
    assert reply.json()["state"] == "late"
    monkeypatch.undo()
    final_states = {
        u["division_code"]: u["state"] for u in body(office.get(f"/api/v1/report-rounds/{final}"))["units"]
    }
    assert final_states == {**{c: "submitted" for c in DISTRICTS[:-1]}, DISTRICTS[-1]: "late"}
    summary = {f["key"]: f for f in body(office.get(f"/api/v1/report-rounds/{final}"))["summary"]}
    assert summary["tips_received"]["total"] == 1 and summary["tips_received"]["units"] == 6


def test_a_district_never_sees_another_districts_report(city, offices):
    office = api_client(city)
    campaign_id = post(office, "/api/v1/campaigns", campaign_payload()).json()["id"]
    first = body(office.get(f"/api/v1/campaigns/{campaign_id}"))["report_rounds"][0]["id"]
    post(api_client(offices["320412"]), f"/api/v1/report-rounds/{first}/submit", {"text": "武进区的报告"})
    xinbei = api_client(offices["320411"])
    seen = body(xinbei.get(f"/api/v1/report-rounds/{first}"))
    assert [u["division_code"] for u in seen["units"]] == ["320411"]
    assert seen["summary"] == []
    assert "武进区的报告" not in xinbei.get(f"/api/v1/report-rounds/{first}").content.decode()
    # Units may not issue campaigns, summon or order rectification of their peers.
    assert (
        post(
            xinbei, "/api/v1/summons", {"division_code": "320412", "reason": "x", "held_on": TODAY}
        ).status_code
        == 404
    )
    foreign = campaign_payload()
    foreign["tasks"][0]["division_codes"] = ["320412001"]  # a township of 武进区
    refused = post(xinbei, "/api/v1/campaigns", foreign)
    assert refused.status_code == 422 and "tasks[0].division_codes" in refused.content.decode()
    assert (
        post(
            api_client(make_user("township", "320411003")), "/api/v1/campaigns", campaign_payload()
        ).status_code
        == 403
    )
    outsider_city = api_client(make_user("city_office", "320500", username="suzhou"))
    assert outsider_city.get(f"/api/v1/campaigns/{campaign_id}").status_code == 404
    assert outsider_city.get(f"/api/v1/report-rounds/{first}").status_code == 404


def test_pledge_round_shows_who_has_not_signed(city, offices):
    office = api_client(city)
    round_id = post(
        office,
        "/api/v1/pledge-rounds",
        {
            "title": "严防“地条钢”承诺书",
            "text": "本单位承诺……",
            "due_on": TODAY,
            "levels": ["district", "township"],
        },
    ).json()["id"]
    wujin = make_user("district_office", "320412", username="wujin-2")
    townships = [
        t
        for t in body(office.get(f"/api/v1/pledge-rounds/{round_id}/coverage"))["levels"][1]["missing"]
        if t["key"].startswith("320412")
    ]
    scan = io.BytesIO(b"%PDF-1.4\n% signed scan\n")
    scan.name = "scan.pdf"
    reply = api_client(wujin).post(
        f"/api/v1/pledge-rounds/{round_id}/sign",
        {"division_code": "320412", "signer": "区长", "signed_on": TODAY, "scan": scan},
    )
    assert reply.status_code == 201, reply.content
    assert len(reply.json()["scan_sha256"]) == 64
    first_township = townships[0]["key"]
    township_user = make_user("township", first_township, username="tsp")
    scan.seek(0)
    assert (
        api_client(township_user)
        .post(
            f"/api/v1/pledge-rounds/{round_id}/sign",
            {"division_code": first_township, "signer": "镇长", "signed_on": TODAY, "scan": scan},
        )
        .status_code
        == 201
    )
    coverage = {
        lv["level"]: lv for lv in body(office.get(f"/api/v1/pledge-rounds/{round_id}/coverage"))["levels"]
    }
    assert coverage["district"]["signed"] == 1 and coverage["district"]["expected"] == 6
    missing = {m["key"] for m in coverage["township"]["missing"]}
    assert first_township not in missing and townships[1]["key"] in missing
    assert coverage["township"]["signed"] == 1
    # The district sees only its own townships.
    own = {
        lv["level"]: lv
        for lv in body(api_client(wujin).get(f"/api/v1/pledge-rounds/{round_id}/coverage"))["levels"]
    }
    assert all(m["key"].startswith("320412") for m in own["township"]["missing"])


def test_evaluation_ranks_districts_from_their_data_and_records_accountability(city, offices):
    start = TODAY - datetime.timedelta(days=30)
    created = timezone.now() - datetime.timedelta(days=10)
    # 武进区 handed its tip off in time; 新北区 never did.
    for n, (code, handed) in enumerate([("320412001", True), ("320411003", False)]):
        Tip.objects.create(
            receipt=f"E{n}",
            key_digest="x",
            content="线索",
            address="某处",
            division_id=code,
            located_by="form",
            handoff_due=timezone.localdate(created) + datetime.timedelta(days=1),
            verify_due=timezone.localdate(created) + datetime.timedelta(days=14),
            created_at=created,
            handed_off_at=created + datetime.timedelta(hours=3) if handed else None,
        )
    period = f"{start:%Y-%m}..{TODAY:%Y-%m}"
    result = body(api_client(city).get("/api/v1/evaluations", {"period": period}))
    rows = {r["code"]: r for r in result["districts"]}
    assert rows["320412"]["metrics"]["tips_handed_off"] == {"done": 1, "due": 1, "ratio": 1.0}
    assert rows["320411"]["metrics"]["tips_handed_off"]["ratio"] == 0.0
    assert rows["320412"]["rank"] < rows["320411"]["rank"]
    assert rows["320411"]["band"] in {"需关注", "需整改"}
    assert {m["key"] for m in result["metrics"]} >= {
        "tips_handed_off",
        "tips_verified",
        "cases_closed",
        "revisits_done",
        "reports_on_time",
        "pledges_signed",
    }
    own = body(api_client(offices["320412"]).get("/api/v1/evaluations", {"period": period}))
    assert own["districts"] and all(r["code"].startswith("320412") for r in own["districts"])  # its townships
    township = api_client(make_user("township", "320412001"))
    assert township.get("/api/v1/evaluations", {"period": period}).status_code == 403
    assert api_client(city).get("/api/v1/evaluations", {"period": "2026-13"}).status_code == 422

    last = rows["320481"]["code"]
    summons = post(
        api_client(city),
        "/api/v1/summons",
        {
            "division_code": last,
            "reason": "举报交办滞后",
            "held_on": TODAY,
            "place": "市发改委3楼会议室",
            "attendees": "分管副区长",
            "minutes": "限期整改",
        },
    )
    assert summons.status_code == 201 and summons.json()["division_code"] == last
    order = post(
        api_client(city),
        "/api/v1/rectifications",
        {"division_code": last, "reason": "补齐台账", "due_on": TODAY + datetime.timedelta(days=30)},
    )
    assert order.status_code == 201 and order.json()["state"] == "issued"
    bad = post(
        api_client(city),
        "/api/v1/rectifications",
        {"division_code": last, "reason": "x", "due_on": TODAY - datetime.timedelta(days=3)},
    )
    assert bad.status_code == 422 and "due_on" in bad.content.decode()
