"""Issue #12 "Done means", end to end through API v1: a rebar sample from a market seller fails on P and Agt,
is suspected, opens a case in the seller's district whose trace names seller, supplier and manufacturer of that
heat; the objection deadline is 15 days after service; a second district's token sees none of it."""

import datetime

import pytest

from steelwatch.cases.models import Case
from steelwatch.testing import api_client

from .conftest import HEAT, OUT_OF_AREA_USCC

pytestmark = pytest.mark.django_db

SAMPLE = {
    "place_kind": "seller",
    "product": "hot_rolled_ribbed",
    "grade": "HRB400E",
    "diameter_mm": "20",
    "heat_number": HEAT,
    "manufacturer_name": "邢台某钢铁有限公司",
    "manufacturer_uscc": OUT_OF_AREA_USCC,
    "production_date": "2026-01-15",
    "sampled_on": "2026-03-02",
    "seal_number": "FY-2026-0031",
}
RESULTS = {
    "rel_mpa": 455, "rm_mpa": 610, "agt_pct": 6.1, "weight_deviation_pct": -3.2, "bend": "pass",
    "reverse_bend": "pass", "c": 0.23, "si": 0.41, "mn": 1.38, "p": 0.068, "s": 0.031, "n": 0.009,
}  # fmt: skip


def test_failed_sample_at_a_market_seller(
    officer, officer2, other_district, owner, outsider, seller, incoming
):
    api = api_client(officer)
    sample = {**SAMPLE, "enterprise_uscc": seller.uscc, "officers": [officer2.username]}
    response = api.post("/api/v1/samples", sample, content_type="application/json")
    assert response.status_code == 201, response.content
    sample_id = response.json()["id"]
    assert response.json()["state"] == "sampled"

    response = api.post(f"/api/v1/samples/{sample_id}/results", RESULTS, content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["verdict"] == "nonconforming"
    assert body["failed"] == ["agt", "p"]
    assert body["suspect"] is True
    reasons = " ".join(body["reasons"])
    assert "磷含量超标（0.068%" in reasons and "最大力总延伸率偏低（6.1%" in reasons
    assert "标牌未标注" in reasons  # no licence number recorded from the label

    case = Case.objects.get(pk=body["case_id"])
    assert case.source == "sampling" and case.source_ref == f"sample:{sample_id}"
    assert case.division_id == "320412" and case.enterprise == seller

    trace = api.get(f"/api/v1/cases/{case.pk}/trace").json()
    labels = {n["label"]: n for n in trace["nodes"]}
    assert {seller.name, incoming.supplier_name, incoming.manufacturer_name} <= set(labels)
    maker = labels[incoming.manufacturer_name]
    assert maker["kind"] == "source" and maker["uscc"] == OUT_OF_AREA_USCC
    assert "建议移交" in case.trace_nodes.get(label=maker["label"]).note
    edges = {(e["source"], e["target"]): e["tonnes"] for e in trace["edges"]}
    supplier, unit = labels[incoming.supplier_name]["id"], labels[seller.name]["id"]
    assert float(edges[supplier, unit]) == 32.5 and float(edges[maker["id"], supplier]) == 32.5

    served = api.post(
        f"/api/v1/samples/{sample_id}/serve", {"served_on": "2026-03-20"}, content_type="application/json"
    )
    assert served.status_code == 200, served.content
    detail = api.get(f"/api/v1/samples/{sample_id}").json()
    assert detail["objection_deadline"] == "2026-04-04"  # 15 days after service
    assert detail["failed"][0]["limit"] == "≥ 9.0" and detail["standard"] == "GB/T 1499.2-2018"
    assert detail["case_id"] == case.pk

    # the district office of the seller sees the case and its trace too
    assert api_client(owner).get(f"/api/v1/cases/{case.pk}/trace").status_code == 200
    assert api_client(owner).get(f"/api/v1/samples/{sample_id}").status_code == 200

    for stranger in (other_district, outsider):
        other = api_client(stranger)
        assert other.get(f"/api/v1/samples/{sample_id}").status_code == 404
        assert other.get(f"/api/v1/cases/{case.pk}/trace").status_code == 404
        assert (
            other.post(
                f"/api/v1/samples/{sample_id}/results", RESULTS, content_type="application/json"
            ).status_code
            == 404
        )
        assert (
            other.post(
                f"/api/v1/samples/{sample_id}/serve",
                {"served_on": "2026-03-20"},
                content_type="application/json",
            ).status_code
            == 404
        )
        assert other.get(f"/api/v1/cases/{case.pk}").status_code == 404
        assert other.get("/api/v1/samples").json()["count"] == 0
        assert other.get("/api/v1/incoming-goods").json()["count"] == 0


def test_a_sample_needs_two_officers_and_a_known_grade(officer, seller):
    api = api_client(officer)
    alone = api.post(
        "/api/v1/samples", {**SAMPLE, "enterprise_uscc": seller.uscc}, content_type="application/json"
    )
    assert alone.status_code == 422 and "不少于2名" in alone.json()["detail"][0]["msg"]
    bad = api.post(
        "/api/v1/samples",
        {**SAMPLE, "enterprise_uscc": seller.uscc, "grade": "HRB335", "officers": ["market_wj_2"]},
        content_type="application/json",
    )
    assert bad.status_code == 422


def test_incoming_goods_with_an_expired_licence_carries_that_finding(officer, seller, licence):
    api = api_client(officer)
    response = api.post(
        "/api/v1/incoming-goods",
        {
            "seller_uscc": seller.uscc,
            "supplier_name": "常州顺达物资贸易有限公司",
            "manufacturer_name": licence.enterprise.name,
            "manufacturer_uscc": licence.enterprise.uscc,
            "licence_number": licence.number,
            "heat_number": "25A0102",
            "product": "hot_rolled_ribbed",
            "grade": "HRB400E",
            "diameter_mm": "16",
            "tonnes": "18.2",
            "received_on": "2026-02-20",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    findings = response.json()["findings"]
    assert f"生产许可证 {licence.number} 已于 2024-02-28 过期" in findings
    assert not [f for f in findings if "信用名单" in f]  # neither party is on the credit list
    assert api_client(officer).get("/api/v1/incoming-goods?flagged=true").json()["count"] == 1


def _sample(api, seller, officer2, **extra) -> int:
    payload = {**SAMPLE, "enterprise_uscc": seller.uscc, "officers": [officer2.username], **extra}
    return api.post("/api/v1/samples", payload, content_type="application/json").json()["id"]


def test_the_retest_on_the_reserve_sample_decides_within_the_window(officer, officer2, seller, incoming):
    api = api_client(officer)
    today = datetime.date.today()
    sample_id = _sample(api, seller, officer2, licence_number="XK05-001-99999")
    body = api.post(
        f"/api/v1/samples/{sample_id}/results", {**RESULTS, "agt_pct": 10.2}, content_type="application/json"
    ).json()
    assert body["failed"] == ["p"] and body["case_id"]
    served_on = (today - datetime.timedelta(days=3)).isoformat()
    api.post(f"/api/v1/samples/{sample_id}/serve", {"served_on": served_on}, content_type="application/json")
    early = api.post(f"/api/v1/samples/{sample_id}/finalize")
    assert early.status_code == 409 and "期满后" in early.json()["detail"]
    retest = api.post(
        f"/api/v1/samples/{sample_id}/retest",
        {"requested_on": today.isoformat(), "retest_body": "江苏省产品质量监督检验研究院"},
        content_type="application/json",
    )
    assert retest.status_code == 200, retest.content
    final = api.post(
        f"/api/v1/samples/{sample_id}/retest-results",
        {**RESULTS, "agt_pct": 10.2, "p": 0.040},
        content_type="application/json",
    ).json()
    assert final["verdict"] == "conforming" and final["failed"] == [] and final["case_id"] == body["case_id"]
    assert api.get(f"/api/v1/samples/{sample_id}").json()["state"] == "final"


def test_failed_weight_deviation_may_not_be_retested_and_a_late_request_is_refused(
    officer, officer2, seller, incoming
):
    api = api_client(officer)
    today = datetime.date.today()
    heavy = _sample(api, seller, officer2)
    body = api.post(
        f"/api/v1/samples/{heavy}/results",
        {**RESULTS, "agt_pct": 10.2, "p": 0.03, "weight_deviation_pct": -7.5},
        content_type="application/json",
    ).json()
    assert body["failed"] == ["weight_deviation"] and any("负偏差" in r for r in body["reasons"])
    api.post(
        f"/api/v1/samples/{heavy}/serve", {"served_on": today.isoformat()}, content_type="application/json"
    )
    refused = api.post(
        f"/api/v1/samples/{heavy}/retest",
        {"requested_on": today.isoformat(), "retest_body": "另一检验机构"},
        content_type="application/json",
    )
    assert refused.status_code == 409 and "不得复检" in refused.json()["detail"]

    late = _sample(api, seller, officer2)
    api.post(f"/api/v1/samples/{late}/results", RESULTS, content_type="application/json")
    api.post(
        f"/api/v1/samples/{late}/serve",
        {"served_on": (today - datetime.timedelta(days=20)).isoformat()},
        content_type="application/json",
    )
    response = api.post(
        f"/api/v1/samples/{late}/retest",
        {"requested_on": today.isoformat(), "retest_body": "另一检验机构"},
        content_type="application/json",
    )
    assert response.status_code == 409 and "届满" in response.json()["detail"]
    assert api.post(f"/api/v1/samples/{late}/finalize").status_code == 200
    disposed = api.post(
        f"/api/v1/samples/{late}/dispose",
        {"disposal": "责令停止销售该批钢筋，限期整改", "disposed_on": today.isoformat()},
        content_type="application/json",
    )
    assert disposed.status_code == 200 and disposed.json()["state"] == "disposed"
