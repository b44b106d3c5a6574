"""The notifications page and the bell: each user sees and marks only their own."""

import pytest
from django.urls import reverse

from steelwatch.core.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def notes(owner, outsider):
    mine = Notification.objects.create(
        recipient=owner, text="新的用电告警：武进某厂夜间用电异常", url="/ledger/"
    )
    Notification.objects.create(recipient=owner, text="案件待办：现场核查", url="https://evil.example/phish")
    theirs = Notification.objects.create(recipient=outsider, text="新北区的通知", url="/ledger/")
    return mine, theirs


def test_bell_shows_the_unread_count_and_the_list_marks_them_read(client, owner, notes):
    client.force_login(owner)
    home = client.get(reverse("core:home")).content.decode()
    assert 'class="count">2<' in home
    page = client.get(reverse("core:notifications")).content.decode()
    assert "武进某厂夜间用电异常" in page and "现场核查" in page and "新北区的通知" not in page
    assert page.count('class="badge badge-alert">新<') == 2  # shown as new this once…
    assert Notification.objects.filter(recipient=owner, read_at__isnull=True).count() == 0  # …and now read
    assert 'class="count"' not in client.get(reverse("core:home")).content.decode()
    assert Notification.objects.get(text="新北区的通知").read_at is None  # the outsider's stays unread


def test_opening_a_notification_follows_its_link_only_for_the_recipient(client, owner, outsider, notes):
    mine, theirs = notes
    client.force_login(owner)
    assert client.get(reverse("core:notification_open", args=[theirs.pk])).status_code == 404
    response = client.get(reverse("core:notification_open", args=[mine.pk]))
    assert response.status_code == 302 and response.url == "/ledger/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    external = Notification.objects.get(text="案件待办：现场核查")
    assert client.get(reverse("core:notification_open", args=[external.pk])).url == reverse(
        "core:notifications"
    )
    client.force_login(outsider)
    assert client.get(reverse("core:notification_open", args=[mine.pk])).status_code == 404
    assert "武进某厂" not in client.get(reverse("core:notifications")).content.decode()


def test_notifications_need_a_login(client, notes):
    response = client.get(reverse("core:notifications"))
    assert response.status_code == 302 and "/accounts/login/" in response.url
