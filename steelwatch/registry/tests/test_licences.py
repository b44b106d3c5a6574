"""Licence supervision: 5-year validity, renewal warnings through run-reminders, self-inspection,
rectification with outcome, suspension and revocation with the document, the status list and its API."""

import datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from steelwatch.core.models import AuditLog, Notification
from steelwatch.geo.models import Division
from steelwatch.registry import licences
from steelwatch.registry.models import ProductionLicence
from steelwatch.testing import api_client, make_enterprise, make_user

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 2)


@pytest.fixture
def market(db):
    return make_user("department_staff", "320412", department="market_regulation", username="market_wj")


def _licence(enterprise, number, valid_until, **fields):
    fields.setdefault("scope", "钢筋混凝土用热轧带肋钢筋")
    return ProductionLicence.objects.create(
        enterprise=enterprise,
        number=number,
        valid_from=licences.add_months(valid_until, -60) + datetime.timedelta(days=1),
        valid_until=valid_until,
        **fields,
    )


@pytest.fixture
def board(enterprise):
    return {
        "valid": _licence(enterprise, "XK-VALID", datetime.date(2029, 6, 30)),
        "expiring": _licence(enterprise, "XK-SOON", datetime.date(2026, 7, 31)),
        "expired": _licence(enterprise, "XK-OLD", datetime.date(2026, 1, 31)),
    }


def test_validity_is_five_years():
    start = datetime.date(2024, 3, 1)
    assert licences.default_valid_until(start) == datetime.date(2029, 2, 28)
    assert licences.validity_error(start, datetime.date(2029, 3, 1)) == ""
    assert "5年" in licences.validity_error(start, datetime.date(2029, 3, 2))
    licence = ProductionLicence(
        enterprise_id=1, number="X", scope="钢筋", valid_from=start, valid_until=datetime.date(2034, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        licence.clean()
    assert "valid_until" in error.value.error_dict


def test_statuses_rectification_and_decisions(market, owner, board, django_capture_on_commit_callbacks):
    assert {k: licences.supervision_status(v, TODAY) for k, v in board.items()} == {
        "valid": "valid",
        "expiring": "expiring",
        "expired": "expired",
    }
    with django_capture_on_commit_callbacks(execute=True):
        order = licences.licence_rectification_order(
            actor=market,
            licence=board["valid"],
            ordered_on=TODAY,
            deadline=TODAY + datetime.timedelta(days=30),
            requirement="补齐出厂检验记录",
            document="武市监责改〔2026〕3号",
        )
    assert licences.supervision_status(board["valid"], TODAY) == "rectifying"
    assert Notification.objects.filter(recipient=owner, text__contains="责令限期整改").exists()
    licences.licence_rectification_close(actor=market, order=order, outcome="failed", outcome_on=TODAY)
    with pytest.raises(ValidationError):
        licences.licence_decide(
            actor=market,
            licence=board["valid"],
            kind="revoke",
            decided_on=TODAY,
            document="",
            reason="整改不合格",
        )
    licences.licence_decide(
        actor=market,
        licence=board["valid"],
        kind="suspend",
        decided_on=TODAY,
        document="武市监暂〔2026〕1号",
        reason="整改不合格",
    )
    licences.licence_decide(
        actor=market,
        licence=board["valid"],
        kind="revoke",
        decided_on=TODAY,
        document="苏市监撤〔2026〕2号",
        reason="逾期未改",
    )
    board["valid"].refresh_from_db()
    assert board["valid"].status == "revoked"
    assert AuditLog.objects.filter(
        action="licence_revoke", division_code=board["valid"].enterprise.division_id
    ).exists()
    with pytest.raises(ValidationError):
        licences.licence_decide(
            actor=market, licence=board["valid"], kind="reinstate", decided_on=TODAY, document="x", reason="y"
        )
    report = licences.licence_self_inspection_record(
        actor=market, licence=board["expiring"], year=2025, submitted_on=TODAY, conforming=True
    )
    assert report.pk
    with pytest.raises(ValidationError):
        licences.licence_self_inspection_record(
            actor=market, licence=board["expiring"], year=2025, submitted_on=TODAY, conforming=True
        )


def test_run_reminders_warns_renewal_and_expiry_once(owner, board, django_capture_on_commit_callbacks):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_reminders", "--date", TODAY.isoformat(), stdout=out)
        call_command("run_reminders", "--date", TODAY.isoformat(), stdout=StringIO())
    assert "生产许可证：延续提醒 1 条，到期 1 条" in out.getvalue()
    texts = list(Notification.objects.filter(recipient=owner).values_list("text", flat=True))
    assert sum("XK-SOON" in t and "申请延续" in t for t in texts) == 1
    assert sum("XK-OLD" in t and "到期" in t for t in texts) == 1


def test_licence_api_by_status_and_division(owner, outsider, board):
    other = make_enterprise(Division.objects.filter(parent_id="320411").order_by("code").first().code)
    _licence(other, "XK-XB", datetime.date(2026, 1, 1))
    api = api_client(owner)
    everything = api.get("/api/v1/licences").json()
    assert {row["number"] for row in everything["items"]} == {"XK-VALID", "XK-SOON", "XK-OLD"}
    today = datetime.date.today()
    expired = api.get("/api/v1/licences?status=expired").json()["items"]
    assert all(datetime.date.fromisoformat(row["valid_until"]) < today for row in expired)
    assert all(row["status"] == "expired" for row in expired) and expired
    assert api.get("/api/v1/licences?division=320411").json()["count"] == 0
    assert api.get("/api/v1/licences?status=bogus").status_code == 422
    outside = api_client(outsider).get("/api/v1/licences").json()
    assert [row["number"] for row in outside["items"]] == ["XK-XB"]


def test_an_overdue_rectification_is_warned_once_and_shown_on_the_district_list(
    client, market, owner, city_user, board, django_capture_on_commit_callbacks
):
    licences.licence_rectification_order(
        actor=market, licence=board["valid"], ordered_on=TODAY, deadline=TODAY + datetime.timedelta(days=10),
        requirement="补齐出厂检验记录", document="武市监责改〔2026〕7号",
    )  # fmt: skip
    xinbei = make_enterprise(Division.objects.filter(parent_id="320411").order_by("code").first().code)
    _licence(xinbei, "XK-XB-OLD", datetime.date(2025, 12, 31))
    before = TODAY + datetime.timedelta(days=10)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        assert licences.licence_reminders(today=before)["rectification"] == 0  # the deadline day itself
        call_command("run_reminders", "--date", (before + datetime.timedelta(days=1)).isoformat(), stdout=out)
        call_command(
            "run_reminders", "--date", (before + datetime.timedelta(days=2)).isoformat(), stdout=StringIO()
        )
    assert "整改逾期 1 条" in out.getvalue()
    warned = Notification.objects.filter(recipient=owner, text__contains="武市监责改〔2026〕7号")
    assert warned.count() == 1 and "尚未验收" in warned.get().text

    client.force_login(city_user)
    page = client.get("/ledger/licences/").content.decode()
    assert "XK-XB-OLD" in page and "XK-OLD" in page and 'name="division"' in page
    wujin = client.get("/ledger/licences/?division=320412").content.decode()
    assert "XK-XB-OLD" not in wujin and "XK-OLD" in wujin
    rectifying = wujin.split('id="licences-rectifying"')[1].split("</section>")[0]
    assert "XK-VALID" in rectifying and (TODAY + datetime.timedelta(days=10)).isoformat() in rectifying
    assert "已逾期" in rectifying  # the deadline (2026-03-12) is behind us
    client.force_login(owner)
    assert "XK-XB-OLD" not in client.get("/ledger/licences/?division=320411").content.decode()


def test_a_licence_for_another_product_is_found_out(enterprise):
    cold = _licence(enterprise, "XK-COLD", datetime.date(2029, 6, 30), scope="冷轧带肋钢筋")
    both = _licence(
        enterprise, "XK-BOTH", datetime.date(2029, 6, 30), scope="建筑用钢筋（热轧钢筋、冷轧带肋钢筋）"
    )
    on = datetime.date(2026, 3, 2)
    (finding,) = licences.licence_number_findings(cold.number, product_label="热轧带肋钢筋", on=on)
    assert "不含热轧带肋钢筋" in finding
    assert licences.licence_number_findings(both.number, product_label="热轧光圆钢筋", on=on) == []
    assert licences.licence_number_findings("XK-VALID-NONE", product_label="热轧带肋钢筋", on=on) == [
        "生产许可证编号 XK-VALID-NONE 不在许可证登记中"
    ]
    ribbed = _licence(enterprise, "XK-RIB", datetime.date(2029, 6, 30))
    assert licences.licence_number_findings(ribbed.number, product_label="热轧带肋钢筋", on=on) == []
    assert (
        "不含热轧光圆钢筋"
        in licences.licence_number_findings(ribbed.number, product_label="热轧光圆钢筋", on=on)[0]
    )


def test_every_supervision_step_is_audited_and_told_to_the_district(
    market, owner, outsider, board, django_capture_on_commit_callbacks
):
    licence = board["expiring"]
    with django_capture_on_commit_callbacks(execute=True):
        licences.licence_self_inspection_record(
            actor=market, licence=licence, year=2025, submitted_on=TODAY, conforming=True
        )
        order = licences.licence_rectification_order(
            actor=market, licence=licence, ordered_on=TODAY, deadline=TODAY + datetime.timedelta(days=20),
            requirement="完善出厂检验", document="武市监责改〔2026〕9号",
        )  # fmt: skip
        licences.licence_rectification_close(actor=market, order=order, outcome="rectified", outcome_on=TODAY)
        licences.licence_decide(
            actor=market, licence=licence, kind="suspend", decided_on=TODAY, document="武市监暂〔2026〕4号",
            reason="抽查不合格",
        )  # fmt: skip
    texts = list(Notification.objects.filter(recipient=owner).values_list("text", flat=True))
    assert [t for t in texts if "XK-SOON" in t] and len([t for t in texts if "XK-SOON" in t]) == 4, texts
    assert any("年度自查报告：符合发证条件" in t for t in texts)
    assert not Notification.objects.filter(recipient=outsider).exists()
    actions = set(
        AuditLog.objects.filter(division_code=licence.enterprise.division_id).values_list("action", flat=True)
    )
    assert {
        "licence_self_inspection", "licence_rectification_order", "licence_rectification_close", "licence_suspend",
        "licence_status",
    } <= actions  # fmt: skip
