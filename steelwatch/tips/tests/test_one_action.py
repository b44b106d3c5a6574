"""The tip page shows one action at a time (#11 item 7): the forms are collapsed until chosen, and a refused
one comes back open."""

import re

import pytest
from django.urls import reverse

from steelwatch.testing import client_for

pytestmark = pytest.mark.django_db


def test_tip_actions_are_collapsed_and_a_refused_one_opens(handler, submitted):
    tip, _key = submitted
    client = client_for(handler)
    url = reverse("tips:tip_detail", args=[tip.pk])
    page = client.get(url).content.decode()
    assert {"act-ask", "act-note", "act-verify", "act-link"} <= set(
        re.findall(r'<details class="action" name="tip-action" id="([^"]+)"', page)
    )
    assert re.findall(r'name="tip-action" id="([^"]+)" open>', page) == []
    refused = client.post(reverse("tips:tip_action", args=[tip.pk, "note"]), {"text": ""})
    assert refused.url == f"{url}?open=note#act-note"
    opened = re.findall(r'name="tip-action" id="([^"]+)" open>', client.get(refused.url).content.decode())
    assert opened == ["act-note"]
