"""404 and 403 pages speak Chinese, keep the site's frame and lead back home (not Django's bare pages)."""

import pytest
from django.test import Client
from django.urls import reverse

from steelwatch.testing import make_enterprise, make_user

pytestmark = pytest.mark.django_db


def test_another_districts_record_and_a_missing_right_get_framed_pages(outsider):
    shop = make_enterprise("320412001")
    client = Client()
    client.force_login(outsider)
    response = client.get(reverse("registry:enterprise_detail", args=[shop.pk]))
    page = response.content.decode()
    assert response.status_code == 404
    assert "不在您的管辖范围内" in page and "css/steelwatch.css" in page and shop.name not in page

    grid = Client()
    grid.force_login(make_user("grid_officer", "320412001"))
    response = grid.get(reverse("tips:tip_list"))
    assert response.status_code == 403
    assert "没有这项功能的权限" in response.content.decode()
