"""#13 "Done means", screening side, through the real parts (ledger API, enterprise page, ledger workbook
upload and preview, the decision recorded and shown again): a new enterprise registered as
常州鑫達特殊鋼鐵（集團）有限公司 in another district is flagged (strong or review, with the evidence) against the listed
常州市武进区鑫达特钢有限公司, and registered anyway; 常州市武进区宏达机械有限公司 is not flagged at all.
The lifecycle side (proposal → notice → decision → publication → off the public page on its end date) and the
ID number in clear nowhere are in test_pages_public.py."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from steelwatch.core.models import AuditLog, Notification
from steelwatch.credit.models import ScreeningDecision
from steelwatch.geo.models import Division
from steelwatch.registry.models import Enterprise
from steelwatch.registry.tests.ledger_files import enterprise_row, write_ledger_file
from steelwatch.testing import api_client, client_for, make_uscc, make_user

from .conftest import listed_entry

pytestmark = pytest.mark.django_db

SIMILAR = "常州鑫達特殊鋼鐵（集團）有限公司"
LISTED = "常州市武进区鑫达特钢有限公司"
UNRELATED = "常州市武进区宏达机械有限公司"


@pytest.fixture
def listed(owner):
    return listed_entry(owner, name=LISTED)


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def _xinbei_township() -> str:
    return Division.objects.filter(parent_id="320411").order_by("code").values_list("code", flat=True)[0]


def _register(user, name: str, division: str):
    with TestCase.captureOnCommitCallbacks(execute=True):  # the notifications go out after the commit
        response = api_client(user).post(
            "/api/v1/enterprises",
            json.dumps({"uscc": make_uscc(division[:6]), "name": name, "division": division}),
            content_type="application/json",
        )
    assert response.status_code == 201, response.content  # flagged or not, never refused
    return Enterprise.objects.get(pk=response.json()["id"])


def test_a_registration_in_another_district_is_flagged_with_evidence(listed, city_decider):
    enterprise = _register(city_decider, SIMILAR, _xinbei_township())
    flag = AuditLog.objects.get(action="credit_screening_flag", target_id=str(enterprise.pk))
    entry_id, band, _score = flag.after["matches"][0]
    assert entry_id == listed.pk and band in ("strong", "review")
    assert Notification.objects.filter(recipient=city_decider, text__contains="信用名单筛查提示").exists()

    page = client_for(city_decider).get(f"/credit/screen/enterprise/{enterprise.pk}/").content.decode()
    assert f'data-entry="{listed.pk}"' in page and f'data-band="{band}"' in page
    assert "鑫达" in page and "特钢" in page and "新北区" in page and "武进区" in page  # the evidence

    screened = api_client(city_decider).post(
        "/api/v1/credit/screen",
        json.dumps({"name": SIMILAR, "division_code": enterprise.division_id}),
        content_type="application/json",
    )
    match = next(m for m in screened.json()["matches"] if m["entry_id"] == listed.pk)
    assert match["band"] == band and any("新北区" in why for why in match["why"])


def test_an_unrelated_name_is_not_flagged_at_all(listed, owner):
    enterprise = _register(owner, UNRELATED, "320412001")
    assert not AuditLog.objects.filter(action="credit_screening_flag").exists()
    assert not Notification.objects.filter(text__contains="信用名单筛查提示").exists()
    page = client_for(owner).get(f"/credit/screen/enterprise/{enterprise.pk}/").content.decode()
    assert 'id="screening-clear"' in page and "data-entry=" not in page
    screened = api_client(owner).post(
        "/api/v1/credit/screen",
        json.dumps({"name": UNRELATED, "division_code": "320412001"}),
        content_type="application/json",
    )
    assert screened.json() == {"matches": []}


def test_the_ledger_import_preview_flags_the_similar_row_and_imports_both(listed, owner, tmp_path):
    rows = [enterprise_row(make_uscc("320412"), 1), enterprise_row(make_uscc("320412"), 2)]
    rows[0][1], rows[1][1] = SIMILAR, UNRELATED
    path = write_ledger_file(tmp_path / "ledger.xlsx", rows)
    client = client_for(owner)
    with TestCase.captureOnCommitCallbacks(execute=True):
        uploaded = client.post(
            reverse("ledger_excel:import"), {"file": SimpleUploadedFile(path.name, path.read_bytes())}
        )
    preview = client.get(uploaded.url).content.decode()
    flags = preview.split('id="credit-flags"', 1)[1].split("</section>", 1)[0]
    assert SIMILAR in flags and LISTED in flags and UNRELATED not in flags
    assert 'data-row="2"' in flags and 'data-row="3"' not in flags  # spreadsheet rows (row 1: headers)
    assert "确认导入" in preview  # flagged, not refused
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(uploaded.url)
    assert set(Enterprise.objects.values_list("name", flat=True)) >= {SIMILAR, UNRELATED}


def test_a_persons_decision_is_recorded_and_shown_next_time(listed, owner):
    enterprise = _register(owner, SIMILAR, "320412001")
    client = client_for(owner)
    panel_url = f"/credit/screen/enterprise/{enterprise.pk}/"
    response = client.post(
        reverse("credit:screen_decide"),
        {
            "entry_id": listed.pk,
            "name": enterprise.name,
            "uscc": enterprise.uscc,
            "division_code": enterprise.division_id,
            "verdict": "no_match",
            "reason": "法定代表人、股东均不同，经核查非同一主体",
            "context": "enterprise",
            "next": panel_url,
        },
    )
    assert response.status_code == 302
    decision = ScreeningDecision.objects.get(entry=listed)
    assert decision.verdict == "no_match" and decision.decided_by == owner
    assert AuditLog.objects.filter(action__contains="screening_decide").exists()
    page = client.get(panel_url).content.decode()
    assert "排除（非同一主体）" in page and "经核查非同一主体" in page


def test_the_screening_shows_on_the_licence_form_and_the_case_and_flags_a_new_licence(listed, owner):
    import datetime

    from steelwatch.cases.models import Case
    from steelwatch.registry import services as registry

    regulator = make_user("department_staff", "320412", department="market_regulation", username="regulator")
    enterprise = _register(owner, SIMILAR, "320412001")
    client = client_for(regulator)
    form = client.get(reverse("registry:licence_create", args=[enterprise.pk])).content.decode()
    panel = f"/credit/screen/enterprise/{enterprise.pk}/?context=licence"
    assert panel in form.replace("&amp;", "&")
    assert f'data-entry="{listed.pk}"' in client.get(panel).content.decode()
    case = Case.objects.create(title="核查", source="patrol", division_id="320412001", enterprise=enterprise)
    assert f"/credit/screen/enterprise/{enterprise.pk}/?context=case" in client.get(
        f"/cases/{case.pk}/"
    ).content.decode().replace("&amp;", "&")
    registry.licence_create(
        actor=regulator,
        enterprise=enterprise,
        number="(苏)XK05-001-09999",
        scope="热轧带肋钢筋",
        valid_from=datetime.date(2026, 1, 1),
        valid_until=datetime.date(2030, 12, 31),
    )
    contexts = sorted(a.after["context"] for a in AuditLog.objects.filter(action="credit_screening_flag"))
    assert contexts == ["enterprise_create", "licence_create"]  # flagged again, never refused
