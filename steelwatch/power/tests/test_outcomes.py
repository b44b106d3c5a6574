"""Outcomes feed back: confirmed (case 查实), dismissed, not checked — precision by district, kind of reason,
score band and month, on the page (scoped; the outsider sees nothing of ours) and the command."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from steelwatch.cases.models import Case
from steelwatch.power.models import Alert
from steelwatch.power.outcomes import outcome_table

from .conftest import CLOSED, FURNACE
from .test_alerts import alerts  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_precision_by_group_from_real_outcomes(client, owner, outsider, alerts, capsys):  # noqa: F811
    furnace, closed = alerts[FURNACE], alerts[CLOSED]
    case = Case.objects.create(
        title="核查", source="power_alert", state="confirmed", division=furnace.account.division
    )
    Alert.objects.filter(pk=furnace.pk).update(status=Alert.Status.ESCALATED, case=case)
    Alert.objects.filter(pk=closed.pk).update(status=Alert.Status.DISMISSED, dismiss_reason="拆除施工用电")
    table = outcome_table(owner)
    district = table["district"]
    assert len(district) == 1 and district[0]["confirmed"] == 1 and district[0]["dismissed"] == 1
    assert district[0]["precision"] == 0.5
    kinds = {r["key"]: r for r in table["kind"]}
    assert kinds["关停/停产户恢复用电"]["dismissed"] == 1 and kinds["熔炼周期"]["confirmed"] == 1
    assert sum(r["confirmed"] + r["dismissed"] + r["unchecked"] for r in table["band"]) == 2

    client.force_login(owner)
    page = client.get(reverse("power:outcomes")).content.decode()
    assert "按区县" in page and "0.50" in page
    client.force_login(outsider)
    assert "0.50" not in client.get(reverse("power:outcomes")).content.decode()

    call_command("evaluate_outcomes", "--json")
    assert json.loads(capsys.readouterr().out)["district"][0]["precision"] == 0.5
