"""The oversight pages for the office and for a unit: the board, my items, a report round, pledges, the
evaluation with its chart data, a unit's page with a summons and a rectification; outsiders get 404."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from steelwatch.oversight import services
from steelwatch.testing import make_user

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def setup():
    city = make_user("city_office", "320400", username="city-pages")
    wujin = make_user("district_office", "320412", username="wujin-pages")
    liyang = make_user("district_office", "320481", username="liyang-pages")
    campaign = services.campaign_create(
        actor=city,
        division=city.division,
        title="专项行动<script>x</script>",
        document_number="常化解办〔2026〕7号",
        starts_on=TODAY - datetime.timedelta(days=20),
        ends_on=TODAY + datetime.timedelta(days=20),
        phases=[{"name": "全面梳理排查", "starts_on": TODAY - datetime.timedelta(days=20), "ends_on": TODAY}],
        tasks=[
            {
                "title": "拉网式排查",
                "lead_department": "industry_it",
                "due_on": TODAY - datetime.timedelta(days=1),
            }
        ],
        report_rounds=[{"title": "第一次报送", "due_on": TODAY + datetime.timedelta(days=3)}],
    )
    return city, wujin, liyang, campaign


def test_office_board_and_unit_pages(setup):
    city, wujin, liyang, campaign = setup
    office = login(city)
    board = office.get(reverse("oversight:campaign", args=[campaign.pk]))
    html = board.content.decode()
    assert board.status_code == 200 and "专项行动&lt;script&gt;" in html and "<script>x" not in html
    assert html.count("已超期") >= 6  # every district is late on the task
    assert "附件1" in html
    round_id = campaign.report_rounds.get().pk
    mine = login(wujin)
    home = mine.get(reverse("oversight:home")).content.decode()
    assert "拉网式排查" in home and "第一次报送" in home
    page = mine.get(reverse("oversight:report_round", args=[round_id]))
    assert page.status_code == 200 and "本单位报送" in page.content.decode()
    reply = mine.post(
        reverse("oversight:report_round", args=[round_id]),
        {"text": "已排查全部企业", **{f"figure_{k}": 3 for k in campaign.report_rounds.get().figure_keys}},
    )
    assert reply.status_code == 302
    rows = office.get(reverse("oversight:report_round", args=[round_id])).content.decode()
    assert "已排查全部企业" in rows and "按时报送" in rows
    assert (
        "已排查全部企业"
        not in login(liyang).get(reverse("oversight:report_round", args=[round_id])).content.decode()
    )

    unit_url = reverse("oversight:unit", args=["320481"])
    office.post(
        unit_url, {"summons": "1", "reason": "报送滞后", "held_on": TODAY.isoformat(), "place": "市会议室"}
    )
    office.post(
        unit_url,
        {
            "rectification": "1",
            "reason": "补报台账",
            "owner": "张三",
            "due_on": (TODAY + datetime.timedelta(days=10)).isoformat(),
        },
    )
    unit = login(liyang).get(unit_url).content.decode()
    assert "报送滞后" in unit and "补报台账" in unit and "报送整改情况" in unit
    assert login(wujin).get(unit_url).status_code == 404
    order = services.rectification_transition  # the unit reports, the office accepts
    rect = city.division.children.get(code="320481").rectifications.get()
    order(actor=liyang, order=rect, action="report", report="已补报")
    assert login(city).get(unit_url).content.decode().count("验收通过") >= 1


def test_evaluation_page_and_notice_pdf(setup):
    city, wujin, _liyang, _campaign = setup
    office = login(city)
    page = office.get(reverse("oversight:evaluation"))
    assert page.status_code == 200 and 'id="ranking-data"' in page.content.decode()
    assert login(wujin).get(reverse("oversight:evaluation")).status_code == 200  # its own townships
    reply = office.post(
        reverse("oversight:evaluation_issue"),
        {
            "period_start": (TODAY - datetime.timedelta(days=30)).isoformat(),
            "period_end": TODAY.isoformat(),
            "document_number": "常化解办〔2026〕11号",
            "recipients": "各辖市、区",
        },
    )
    assert reply.status_code == 302
    pdf = office.get(reply["Location"])
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF-")
    # The circulated notice reaches the districts' own pages.
    assert (
        "常化解办〔2026〕11号"
        in login(wujin).get(reverse("oversight:unit", args=["320412"])).content.decode()
    )


def test_pledge_pages(setup):
    city, wujin, _l, _c = setup
    reply = login(city).post(
        reverse("oversight:pledges"),
        {
            "kind": "pledge",
            "title": "承诺书",
            "text": "承诺",
            "due_on": TODAY.isoformat(),
            "levels": ["township"],
        },
    )
    assert reply.status_code == 302
    page = login(wujin).get(reply["Location"]).content.decode()
    assert "未签订" in page and "320412" in page and "320411" not in page
