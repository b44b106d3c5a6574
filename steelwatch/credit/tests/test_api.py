"""API v1: the issue's field names, 201/200/409/422/404, scoping, and no ID number to non-deciding roles."""

import json

import pytest

from steelwatch.core.models import AuditLog
from steelwatch.testing import api_client, make_uscc, make_user

from .conftest import PERSON_ID


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.fixture
def person_payload():
    return {
        "subject_kind": "person",
        "person_name": "王某某",
        "person_id_number": PERSON_ID,
        "basis": "《公司法》第一百七十八条",
        "authority": "常州市武进区市场监督管理局",
        "document_number": "武市监信列〔2026〕3号",
        "decided_on": None,
        "starts_on": None,
        "ends_on": None,
        "measures": ["key-supervision", "officer-restriction"],
        "case_id": None,
    }


def test_create_read_transition_and_scoping(owner, outsider, colleague, person_payload, settings):
    settings.CREDIT_HIGHER_APPROVAL = False
    client = api_client(owner)
    response = _post(client, "/api/v1/credit/entries", person_payload)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "proposed"
    url = f"/api/v1/credit/entries/{body['id']}"
    detail = client.get(url).json()
    assert detail["person_id_number"] == PERSON_ID and detail["measures"] == [
        "key-supervision",
        "officer-restriction",
    ]
    assert AuditLog.objects.filter(action="credit_id_reveal", actor=owner).count() == 1
    assert api_client(outsider).get(url).status_code == 404
    viewer = make_user("viewer", "320412")
    masked = api_client(viewer).get(url)  # a read-only role sees the entry, not the number
    assert masked.status_code == 200 and PERSON_ID not in masked.content.decode()
    assert masked.json()["person_id_number"] == PERSON_ID[:4] + "*" * 10 + PERSON_ID[-4:]
    listing = api_client(viewer).get("/api/v1/credit/entries")
    assert listing.json()["count"] == 1 and PERSON_ID not in listing.content.decode()
    assert _post(client, url + "/transition", {"to": "decided"}).status_code == 409
    assert _post(client, url + "/transition", {"to": "notified"}).json() == {
        "id": body["id"],
        "state": "notified",
    }
    refused = _post(api_client(viewer), url + "/transition", {"to": "not_listed", "reason": "x"})
    assert refused.status_code == 409 and "权限" in refused.json()["detail"]
    assert (
        _post(api_client(outsider), url + "/transition", {"to": "not_listed", "reason": "x"}).status_code
        == 404
    )


def test_validation_is_422_naming_the_field(owner, person_payload):
    person_payload["person_id_number"] = PERSON_ID[:-1] + ("0" if PERSON_ID[-1] != "0" else "1")
    response = _post(api_client(owner), "/api/v1/credit/entries", person_payload)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "person_id_number"]
    assert person_payload["person_id_number"] not in response.content.decode()


def test_screen_is_a_post_and_returns_bands(owner, colleague, person_payload):
    from .conftest import listed_entry

    entry = listed_entry(owner, name="常州市武进区鑫达特钢有限公司", enterprise_uscc=make_uscc("320412"))
    response = _post(
        api_client(colleague), "/api/v1/credit/screen", {"name": "常州鑫達特殊鋼鐵（集團）有限公司"}
    )
    assert response.status_code == 200
    match = response.json()["matches"][0]
    assert match["entry_id"] == entry.pk and match["band"] in ("strong", "review") and match["why"]
    assert api_client(colleague).get("/api/v1/credit/screen").status_code == 405
    assert _post(api_client(colleague), "/api/v1/credit/screen", {}).status_code == 422
    viewer = make_user("grid_officer", colleague.division_id)
    assert _post(api_client(viewer), "/api/v1/credit/screen", {"name": "x"}).status_code == 403


def test_public_rows_without_auth(owner, client):
    from .conftest import listed_entry

    listed_entry(owner, name="常州市武进区鑫达特钢有限公司")
    listed_entry(owner, name="常州市武进区宏达钢铁有限公司", enterprise_uscc=make_uscc("320412"))
    body = client.get("/api/v1/public/credit", {"limit": 1}).json()
    assert body["count"] == 2 and body["limit"] == 1 and body["offset"] == 0 and body["next"]
    rest = client.get(body["next"]).json()
    rows = body["items"] + rest["items"]
    assert sorted(r["name"] for r in rows) == ["常州市武进区宏达钢铁有限公司", "常州市武进区鑫达特钢有限公司"]
    assert rest["next"] is None
    assert set(rows[0]) == {
        "name",
        "subject_kind",
        "uscc",
        "list_kind",
        "list_label",
        "basis",
        "authority",
        "document_number",
        "starts_on",
        "ends_on",
    }


def test_proposal_becomes_entry_via_api(owner, outsider):
    from steelwatch.cases.models import BlacklistProposal, Case

    case = Case.objects.create(title="地条钢生产窝点", source="tip", division_id="320412")
    proposal = BlacklistProposal.objects.create(
        case=case, subject_name="常州市武进区鑫达特钢有限公司", reason="生产地条钢"
    )
    assert _post(api_client(outsider), f"/api/v1/credit/proposals/{proposal.pk}/entry", {}).status_code == 404
    response = _post(api_client(owner), f"/api/v1/credit/proposals/{proposal.pk}/entry", {})
    assert response.status_code == 422  # no USCC: the case's enterprise is not linked
    assert response.json()["detail"][0]["loc"] == ["body", "enterprise_uscc"]


def test_an_entry_outside_ones_area_is_422_naming_the_division(owner, person_payload):
    """#11 item 2: the name beside the code — 行政区划 320411（新北区） 不在您的管辖范围内."""
    response = _post(
        api_client(owner), "/api/v1/credit/entries", {**person_payload, "division_code": "320411"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "division_code"]
    assert "行政区划 320411（新北区） 不在您的管辖范围内" in response.json()["detail"][0]["msg"]
