"""`steelwatch build-demo` builds the field work a visitor of `make demo` sees: patrols with a sighting alert,
coverage, a published and verifiable draw, the look-back with an escalated hazard, cameras, experts,
training and funds; the printed grid officer's phone page lists her due sites."""

import datetime
import io

import pytest
from django.core.management import call_command

from steelwatch.demo.extras import _user
from steelwatch.demo.field import field_part
from steelwatch.field.models import BudgetLine, Camera, CheckIn, Draw, Expert, HazardFinding, TrainingSession
from steelwatch.field.selectors import draw_record
from steelwatch.field.sortition import verify_record
from steelwatch.testing import client_for

pytestmark = pytest.mark.django_db


def test_the_demo_has_field_work(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("build_demo", enterprises=300, seed=7, ledger_only=True, stdout=io.StringIO())
    text = field_part(None, _user, datetime.date.today())  # the full build runs it too (core test_demo)
    assert text.startswith("巡查签到"), text
    assert CheckIn.objects.filter(officer__username="hutang_grid1").count() >= 3
    assert CheckIn.objects.filter(alert__isnull=False).exists()
    published = Draw.objects.get(published=True)
    assert len(published.picks) == 10 and verify_record(draw_record(published)) == []
    assert Draw.objects.filter(status="frozen").exists()
    assert HazardFinding.objects.filter(status="escalated", case__isnull=False).exists()
    assert Camera.objects.filter(status="stale").exists() and Expert.objects.count() == 5
    assert TrainingSession.objects.get().attendance.count() == 3
    assert BudgetLine.objects.filter(category="rewards").count() == 2
    from steelwatch.accounts.models import User

    officer = User.objects.get(username="hutang_grid1")
    assert client_for(officer).get("/field/patrol/").status_code == 200
    wujin = client_for(User.objects.get(username="wujin"))
    for url in (
        "/field/",
        "/field/coverage/",
        "/field/draws/",
        f"/field/draws/{published.pk}/",
        "/field/hazards/",
    ):
        assert wujin.get(url).status_code == 200, url
