"""The enterprise page links to the alerts, cases and tips about it, each only for who may see them."""

import pytest
from django.test import Client
from django.urls import reverse

from steelwatch.testing import make_enterprise, make_user

pytestmark = pytest.mark.django_db

FRAGMENTS = {
    "alerts": "power:enterprise_alerts",
    "cases": "cases:enterprise_cases",
    "tips": "tips:enterprise_tips",
}


def fragments_on_page(user, enterprise) -> set[str]:
    client = Client()
    client.force_login(user)
    page = client.get(reverse("registry:enterprise_detail", args=[enterprise.pk])).content.decode()
    return {
        name for name, url in FRAGMENTS.items() if f'hx-get="{reverse(url, args=[enterprise.pk])}"' in page
    }


def test_each_role_sees_the_related_sections_it_may_open(owner):
    shop = make_enterprise("320412001")
    assert fragments_on_page(owner, shop) == {"alerts", "cases", "tips"}
    assert fragments_on_page(make_user("tip_handler", "320412"), shop) == {"cases", "tips"}
    assert fragments_on_page(make_user("grid_officer", "320412001"), shop) == set()
    for name, url in FRAGMENTS.items():  # every fragment answers the district office
        client = Client()
        client.force_login(owner)
        assert client.get(reverse(url, args=[shop.pk])).status_code == 200, name
