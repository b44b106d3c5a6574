"""The demo's credit part (steelwatch/demo/credit.py) on its own: entries at four lifecycle stages, the listed
enterprise on the public page, and the re-written registration in 新北区 flagged."""

import datetime

import pytest
from django.test import Client

from steelwatch.accounts.models import User
from steelwatch.core.models import AuditLog
from steelwatch.credit import services
from steelwatch.credit.models import Entry
from steelwatch.demo.credit import LISTED, SIMILAR, credit_part
from steelwatch.testing import make_user

pytestmark = pytest.mark.django_db


def test_the_demo_credit_list(settings):
    settings.CREDIT_HIGHER_APPROVAL = True
    make_user("department_staff", "320412", department="market_regulation", username="market")
    make_user("city_office", "320400", username="changzhou")
    make_user("district_office", "320412", username="wujin")
    make_user("district_office", "320411", username="xinbei")
    from steelwatch.cases.models import Case
    from steelwatch.testing import make_enterprise

    workshop = make_enterprise("320412001", name="武进某台账外熔炼作坊")
    Case.objects.create(title="巡查发现台账外感应炉", source="patrol", division_id="320412001",
                        enterprise=workshop, state="enforcing")  # fmt: skip
    line = credit_part(services, lambda name: User.objects.get(username=name), datetime.date.today())
    states = dict(Entry.objects.values_list("name", "state"))
    assert states[LISTED] == "in_force" and states["王建国"] == "decided"
    assert states["常州市武进区永兴金属回收有限公司"] == "removed"
    assert states["武进某台账外熔炼作坊"] == "notified"  # proposed by its case
    page = Client().get("/public/credit/").content.decode()
    assert LISTED in page and "永兴金属回收" not in page and "王建国" not in page
    flag = AuditLog.objects.get(action="credit_screening_flag")
    assert flag.after["matches"][0][0] == Entry.objects.get(name=LISTED).pk
    assert SIMILAR in line
