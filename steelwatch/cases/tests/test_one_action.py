"""The case page shows one action at a time (#11 item 7): every action form is collapsed in a <details> until
chosen, and a form that failed comes back open (no script: the page is built with it open)."""

import re

import pytest
from django.urls import reverse

from steelwatch.cases.models import Case
from steelwatch.testing import client_for

pytestmark = pytest.mark.django_db


def _open_actions(html: str) -> list[str]:
    return re.findall(r'<details class="action[^"]*" name="case-action" id="([^"]+)" open>', html)


def test_actions_are_collapsed_until_one_fails_and_comes_back_open(owner, alert_case):
    Case.objects.filter(pk=alert_case.pk).update(state="closing")  # the five-check uploads are open
    client = client_for(owner)
    url = reverse("cases:case_detail", args=[alert_case.pk])
    page = client.get(url).content.decode()
    actions = re.findall(r'<details class="action[^"]*" name="case-action" id="([^"]+)"', page)
    assert {"act-case_transition", "act-case_link", "act-case_attachment", "act-trace_node"} <= set(actions)
    assert _open_actions(page) == []
    refused = client.post(reverse("cases:case_link", args=[alert_case.pk]), {})
    assert refused.url == f"{url}?open=case_link#act-case_link"
    page = client.get(refused.url).content.decode()
    assert _open_actions(page) == ["act-case_link"] and "请填写要关联的企业" in page
    evidence = client.post(reverse("cases:closure_evidence", args=[alert_case.pk, "plant_cleared"]), {})
    assert evidence.url == f"{url}?open=closure-plant_cleared#act-closure-plant_cleared"
    assert _open_actions(client.get(evidence.url).content.decode()) == ["act-closure-plant_cleared"]
    done = client.post(
        reverse("cases:trace_node", args=[alert_case.pk]), {"kind": "source", "label": "废钢来源"}
    )
    assert done.url == url  # a form that worked: back with everything collapsed
