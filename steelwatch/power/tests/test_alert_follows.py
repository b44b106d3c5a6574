"""An open alert follows the data: newer readings re-score it and replace its reasons, or mark it
已恢复正常 with the date; every state is kept as a version; the list ranks by score, then tonnes."""

import datetime

import polars as pl
import pytest
from django.urls import reverse

from steelwatch.power.models import Alert, AlertVersion
from steelwatch.power.selectors import alert_list

from .conftest import FURNACE, machining_shop
from .test_window import _ingest

pytestmark = pytest.mark.django_db


def _shop(days: int, nights, first_day: datetime.date) -> pl.DataFrame:
    ts, kw = machining_shop(days, nights)
    shift = datetime.datetime.combine(first_day, datetime.time()) - ts[0]
    return pl.DataFrame({"account_id": FURNACE, "ts": [t + shift for t in ts], "kw": kw})


def test_an_alert_whose_account_returns_to_normal_says_so_and_keeps_its_versions(
    settings, client, power_staff, ledger, tmp_path
):
    settings.POWER_DETECTION_WINDOW_DAYS = 14
    melting = _shop(14, range(0, 14, 2), datetime.date(2026, 3, 1))
    _ingest(melting, power_staff, tmp_path, "march.parquet")
    alert = Alert.objects.get(account=ledger[FURNACE])
    assert alert.level == "alert" and alert.tonnes > 0 and "熔炼" in alert.reasons
    first_reasons = alert.reasons

    more = _shop(14, range(0, 7, 2), datetime.date(2026, 3, 8))  # a week on: melting, fewer nights
    _ingest(more, power_staff, tmp_path, "week.parquet")
    alert.refresh_from_db()
    assert (
        alert.status == "new"
        and alert.reasons != first_reasons
        and alert.period_end == datetime.date(2026, 3, 21)
    )

    quiet = _shop(14, (), datetime.date(2026, 3, 22))  # two weeks of the shop alone
    _ingest(quiet, power_staff, tmp_path, "quiet.parquet")
    alert.refresh_from_db()
    assert alert.status == Alert.Status.RECOVERED and alert.recovered_on == datetime.date(2026, 4, 4)
    assert alert.reasons.startswith("2026-04-04 的最新检测窗口内用电已恢复正常")
    assert AlertVersion.objects.filter(alert=alert).count() == 3
    assert list(alert.versions.order_by("id").values_list("status", flat=True)) == ["new", "new", "recovered"]
    assert Alert.objects.filter(account=ledger[FURNACE]).count() == 1  # not a second alert

    client.force_login(power_staff)
    page = client.get(reverse("power:alert_detail", args=[alert.pk])).content.decode()
    assert "已恢复正常" in page and 'id="alert-versions"' in page and "2026-04-04" in page


def test_equal_scores_are_ordered_by_tonnes(owner, ledger):
    from .conftest import CLOSED, NORMAL

    common = {"level": "alert", "reasons": "x", "period_start": "2026-03-01", "period_end": "2026-03-14"}
    small = Alert.objects.create(account=ledger[NORMAL], score=0.9999, tonnes=3.0, **common)
    big = Alert.objects.create(account=ledger[FURNACE], score=0.9999, tonnes=40.0, **common)
    top = Alert.objects.create(account=ledger[CLOSED], score=1.0, tonnes=0.0, **common)
    assert list(alert_list(owner))[:3] == [top, big, small]
