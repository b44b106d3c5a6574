"""#13 item 7 beyond the enterprise page: the restart request of a listed zombie site and an incoming-goods record
whose supplier is listed are screened against the credit list through the real services — flagged (audited, the
finding kept on the record), never refused; an unlisted party gives no credit finding."""

import datetime

import pytest

from steelwatch.cases import services as cases_services
from steelwatch.cases.tests.conftest import pdf
from steelwatch.core.models import AuditLog
from steelwatch.market import services as market_services
from steelwatch.market.tests.conftest import market_user
from steelwatch.registry.models import Enterprise
from steelwatch.testing import make_enterprise, make_uscc

from .conftest import listed_entry

pytestmark = pytest.mark.django_db

LISTED = "常州市武进区鑫达特钢有限公司"


def test_a_listed_zombie_sites_restart_request_is_flagged_not_refused(owner, colleague):
    zombie = make_enterprise(colleague.division_id, name=LISTED, status=Enterprise.Status.IDLE)
    listed_entry(owner, name=LISTED, enterprise_uscc=zombie.uscc)
    request = cases_services.restart_request_submit(
        actor=colleague, enterprise=zombie, safety_assessor="某安评公司", report=pdf("安全评估报告.pdf")
    )
    assert request.pk  # filed all the same
    flag = AuditLog.objects.get(action="credit_screening_flag", target_id=str(zombie.pk))
    assert flag.after["matches"][0][1] == "hit"  # the same USCC


def test_a_restart_request_of_an_unlisted_site_is_not_flagged(owner, colleague):
    listed_entry(owner, name=LISTED)
    zombie = make_enterprise(
        colleague.division_id, name="常州市武进区宏达机械有限公司", status=Enterprise.Status.IDLE
    )
    cases_services.restart_request_submit(
        actor=colleague, enterprise=zombie, safety_assessor="某安评公司", report=pdf("安全评估报告.pdf")
    )
    assert not AuditLog.objects.filter(action="credit_screening_flag").exists()


def test_an_incoming_goods_record_from_a_listed_supplier_keeps_the_finding(owner):
    entry = listed_entry(owner, name=LISTED)
    seller = make_enterprise("320412001", name="常州市武进区某建材经营部")
    officer = market_user("320412", "market_hooks")
    record = market_services.supply_record_create(
        actor=officer,
        holder=seller,
        supplier_name=LISTED,
        supplier_uscc=entry.uscc,
        heat_number="L2026-01",
        tonnes=12,
        received_on=datetime.date(2026, 11, 2),
    )
    assert any(f.startswith(f"供货单位{LISTED}") and "信用" in f for f in record.findings), record.findings
    clean = market_services.supply_record_create(
        actor=officer,
        holder=seller,
        supplier_name="常州市武进区宏达机械有限公司",
        supplier_uscc=make_uscc("320412"),
        heat_number="L2026-02",
        tonnes=5,
        received_on=datetime.date(2026, 11, 2),
    )
    assert not any("信用" in f for f in clean.findings), clean.findings
