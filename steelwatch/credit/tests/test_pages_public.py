"""Pages, the public page (frozen dates), exports and the Done-means flow: a case's blacklist proposal goes
through notice, decision and publication to the public page, and leaves it on its end date. The person's ID
number is nowhere in clear: not in the database file, the logs, the exports, the public page or a page shown
to a role that does not decide entries."""

import datetime
import io
import json
import logging
import zipfile

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from steelwatch.cases.models import BlacklistProposal, Case
from steelwatch.credit.models import Entry
from steelwatch.testing import api_client, exported_file, file_bytes, make_enterprise, make_uscc, make_user

from .conftest import PERSON_ID

D = datetime.date


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _freeze(monkeypatch, day: datetime.date) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)


@pytest.fixture
def case_proposal(owner):
    enterprise = make_enterprise(
        "320412001", name="常州市武进区鑫达特钢有限公司", legal_representative="王某某"
    )
    case = Case.objects.create(
        title="鑫达特钢生产地条钢",
        source="tip",
        division_id="320412001",
        enterprise=enterprise,
        state="enforcing",
    )
    return BlacklistProposal.objects.create(
        case=case,
        enterprise=enterprise,
        subject_name=enterprise.name,
        legal_representative="王某某",
        reason="以废钢为原料生产地条钢",
    )


def test_done_means_case_proposal_to_public_page_and_off_it(
    owner, outsider, case_proposal, monkeypatch, settings
):
    settings.CREDIT_HIGHER_APPROVAL = False
    client = _client(owner)
    case_page = client.get(f"/cases/{case_proposal.case_id}/")
    assert "转为信用名单条目" in case_page.content.decode()
    assert _client(outsider).post(f"/credit/proposals/{case_proposal.pk}/entry/").status_code == 404
    response = client.post(f"/credit/proposals/{case_proposal.pk}/entry/")
    entry = Entry.objects.get(proposal=case_proposal)
    assert (
        response.status_code == 302 and entry.state == "proposed" and entry.case_id == case_proposal.case_id
    )
    _freeze(monkeypatch, D(2026, 3, 2))
    client.post(f"/credit/{entry.pk}/transition/", {"to": "notified"})
    client.post(f"/credit/{entry.pk}/statement/", {"text": "无异议"})
    client.post(
        f"/credit/{entry.pk}/edit/",
        {"basis": entry.basis, "authority": entry.authority, "document_number": "武市监信列〔2026〕9号"},
    )
    client.post(f"/credit/{entry.pk}/transition/", {"to": "decided"})
    entry.refresh_from_db()
    assert entry.state == "decided"
    case_proposal.refresh_from_db()
    assert case_proposal.status == "accepted"
    public = Client()
    assert "鑫达特钢" not in public.get("/public/credit/").content.decode()  # decided, not yet published
    client.post(f"/credit/{entry.pk}/transition/", {"to": "in_force"})
    entry.refresh_from_db()
    assert entry.ends_on == D(2029, 3, 2)
    page = public.get("/public/credit/").content.decode()
    assert "常州市武进区鑫达特钢有限公司" in page and "武市监信列〔2026〕9号" in page and entry.uscc in page
    _freeze(monkeypatch, D(2029, 3, 1))
    assert "鑫达特钢" in public.get("/public/credit/").content.decode()
    _freeze(monkeypatch, D(2029, 3, 2))  # the end date: off the page, even before the removal job ran
    assert "鑫达特钢" not in public.get("/public/credit/").content.decode()
    assert public.get("/api/v1/public/credit").json()["items"] == []


def test_pages_are_scoped(owner, outsider, colleague):
    from .conftest import listed_entry

    entry = listed_entry(owner)
    assert _client(owner).get("/credit/").status_code == 200
    assert entry.name in _client(owner).get("/credit/").content.decode()
    assert entry.name not in _client(outsider).get("/credit/").content.decode()
    for url in (f"/credit/{entry.pk}/", f"/credit/{entry.pk}/edit/"):
        assert _client(outsider).get(url).status_code == 404
    assert (
        _client(outsider)
        .post(f"/credit/{entry.pk}/transition/", {"to": "withdrawn", "reason": "x"})
        .status_code
        == 404
    )
    entry.refresh_from_db()
    assert entry.state == "in_force"


def test_enterprise_page_screening_panel_and_registration_flag(owner, outsider):
    from steelwatch.core.models import AuditLog

    from .conftest import listed_entry

    entry = listed_entry(owner, name="常州市武进区鑫达特钢有限公司")
    similar = make_enterprise("320412001", name="常州鑫達特殊鋼鐵（集團）有限公司")
    panel = _client(owner).get(f"/credit/screen/enterprise/{similar.pk}/")
    assert panel.status_code == 200 and f'data-entry="{entry.pk}"' in panel.content.decode()
    assert _client(outsider).get(f"/credit/screen/enterprise/{similar.pk}/").status_code == 404
    created = api_client(owner).post(
        "/api/v1/enterprises",
        json.dumps(
            {"uscc": make_uscc("320411"), "name": "常州鑫達特殊鋼鐵（集團）有限公司", "division": "320412001"}
        ),
        content_type="application/json",
    )
    assert created.status_code == 201  # flagged, not refused
    flag = AuditLog.objects.get(action="credit_screening_flag", target_id=str(created.json()["id"]))
    assert flag.after["matches"][0][0] == entry.pk


def test_measures_catalogue_and_department_record(owner, city_user):
    from .conftest import listed_entry

    entry = listed_entry(owner, measures=["land-supply"])
    land = make_user("department_staff", "320412", department="land")
    other = make_user("department_staff", "320412", department="tax")
    page = _client(land).get("/credit/department/").content.decode()
    assert entry.name in page
    assert entry.name not in _client(other).get("/credit/department/").content.decode()
    applied = entry.entry_measures.get()
    assert _client(other).post(f"/credit/applied/{applied.pk}/action/", {"text": "x"}).status_code == 404
    _client(land).post(f"/credit/applied/{applied.pk}/action/", {"text": "终止该宗地出让资格审查"})
    assert applied.actions.get().text == "终止该宗地出让资格审查"
    assert _client(land).get(f"/credit/{entry.pk}/").status_code == 200  # its measures: it sees the entry
    assert _client(owner).get("/credit/measures/new/").status_code == 403
    response = _client(city_user).post(
        "/credit/measures/new/",
        {
            "code": "credit-card",
            "name": "限制新增授信",
            "basis": "备忘录",
            "department": "bank",
            "list_kinds": ["serious"],
        },
    )
    assert response.status_code == 302


def test_id_number_nowhere_in_clear(owner, caplog, tmp_path, settings):
    settings.CREDIT_HIGHER_APPROVAL = False
    caplog.set_level(logging.DEBUG)
    client = api_client(owner)
    body = {
        "subject_kind": "person",
        "person_name": "王某某",
        "person_id_number": PERSON_ID,
        "basis": "《公司法》第一百七十八条",
        "authority": "常州市武进区市场监督管理局",
        "document_number": "武市监信列〔2026〕5号",
        "case_id": None,
    }
    entry_id = client.post(
        "/api/v1/credit/entries", json.dumps(body), content_type="application/json"
    ).json()["id"]
    for to in ("notified",):
        client.post(
            f"/api/v1/credit/entries/{entry_id}/transition",
            json.dumps({"to": to}),
            content_type="application/json",
        )
    entry = Entry.objects.get(pk=entry_id)
    entry.statement_on = D(2026, 1, 1)
    entry.save()
    for to in ("decided", "in_force"):
        client.post(
            f"/api/v1/credit/entries/{entry_id}/transition",
            json.dumps({"to": to}),
            content_type="application/json",
        )
    client.post(
        "/api/v1/credit/screen", json.dumps({"person_id_number": PERSON_ID}), content_type="application/json"
    )
    assert Entry.objects.get(pk=entry_id).state == "in_force"
    viewer = make_user("viewer", "320412")
    township = make_user("township", "320412001")  # screens, does not decide
    screened = _client(township).post("/credit/screen/", {"person_id_number": PERSON_ID})
    assert f'data-entry="{entry_id}"' in screened.content.decode()  # the hit is shown, masked
    outputs = {
        "screening page (township)": screened.content,
        "public page": Client().get("/public/credit/").content,
        "public api": Client().get("/api/v1/public/credit").content,
        "viewer page": _client(viewer).get(f"/credit/{entry_id}/").content,
        "viewer api": api_client(viewer).get(f"/api/v1/credit/entries/{entry_id}").content,
        "logs": caplog.text.encode(),
    }
    exported = exported_file(_client(owner), "/credit/export/")[1]
    assert exported["Content-Disposition"].endswith(".xlsx") and exported.status_code == 200
    with zipfile.ZipFile(io.BytesIO(file_bytes(exported))) as book:  # the export job's stored file
        outputs["credit export"] = b"".join(book.read(name) for name in book.namelist())
    for url in ("/credit/exchange/penalties.xlsx", "/credit/exchange/listing.xlsx"):
        response = _client(owner).get(url)
        assert response.status_code == 200, url
        with zipfile.ZipFile(io.BytesIO(response.content)) as book:
            outputs[url] = b"".join(book.read(name) for name in book.namelist())
    if connection.vendor == "sqlite":
        # The whole database as SQL text, read inside the test's transaction (a backup() of the shared-cache
        # test database would wait forever for that transaction's lock).
        connection.ensure_connection()
        outputs["database file"] = "\n".join(connection.connection.iterdump()).encode()
    else:
        with connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor)
            dump = []
            for table in tables:
                cursor.execute(f'SELECT * FROM "{table}"')
                dump.append(repr(cursor.fetchall()))
        outputs["database rows"] = "".join(dump).encode()
    stored = outputs.get("database file") or outputs["database rows"]
    assert "王某某".encode() in stored and "武市监信列".encode() in stored  # the dump holds the entry's rows
    for where, data in outputs.items():
        assert PERSON_ID.encode() not in data, where
    assert PERSON_ID[:4].encode() + b"**********" in outputs["viewer api"]
