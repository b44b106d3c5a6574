"""Small fixes an office hits: a power-cut order names its meter; the case list is newest first."""

import pytest
from django.core.exceptions import ValidationError

from steelwatch.cases.models import Case
from steelwatch.cases.selectors import case_list
from steelwatch.cases.services import case_open, cut_order_issue

pytestmark = pytest.mark.django_db


def test_a_power_cut_order_requires_the_meter(alert_case, owner):
    Case.objects.filter(pk=alert_case.pk).update(state="enforcing")
    alert_case.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        cut_order_issue(actor=owner, case=alert_case, kind="power")
    assert "power_account" in error.value.error_dict
    assert cut_order_issue(actor=owner, case=alert_case, kind="water").kind == "water"


def test_case_list_is_newest_first(scene, alert_case, owner):
    newer = case_open(actor=None, title="后来的案件", source="power_alert", division_code=scene.township.code)
    assert list(case_list(owner).values_list("pk", flat=True)[:2]) == [newer.pk, alert_case.pk]
