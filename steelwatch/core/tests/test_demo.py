"""The demo city (`steelwatch build-demo`): its shape, its logins and its scoping, built small into the test DB."""

import datetime
import io
import random

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import Http404
from django.test import Client

from steelwatch.accounts.models import User
from steelwatch.accounts.roles import Role
from steelwatch.core.models import AuditLog
from steelwatch.demo.build import DemoExists, build_demo
from steelwatch.demo.codes import organisation_code, registration_number
from steelwatch.demo.ledger import plan_ledger, townships_of
from steelwatch.demo.people import LOGINS
from steelwatch.geo.divisions import bundled_divisions
from steelwatch.geo.models import Grid
from steelwatch.registry.access import access_enterprise
from steelwatch.registry.models import Enterprise, Furnace, PowerAccount
from steelwatch.registry.selectors import enterprise_list, furnace_user_list
from steelwatch.registry.uscc import uscc_error
from steelwatch.testing import make_enterprise

pytestmark = pytest.mark.django_db
SIZE = 300


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(fast_passwords):
    out = io.StringIO()
    call_command("build_demo", enterprises=SIZE, seed=7, ledger_only=True, stdout=out)
    return out.getvalue()


def test_demo_city_is_built_from_the_real_changzhou_divisions(demo):
    real = {
        code: (name, parent) for code, name, _level, parent in bundled_divisions() if code.startswith("3204")
    }
    districts = {code for code, (_name, parent) in real.items() if parent == "320400"}
    assert {real[code][0] for code in districts} == {
        "天宁区",
        "钟楼区",
        "新北区",
        "武进区",
        "金坛区",
        "溧阳市",
    }
    used = set(Enterprise.objects.values_list("division_id", flat=True))
    assert used <= set(real) and all(
        real[code][1] in districts for code in used
    )  # townships of real districts
    assert len({code[:6] for code in used}) == 6
    assert Enterprise.objects.count() == SIZE
    lng, lat = zip(*Enterprise.objects.values_list("longitude", "latitude"), strict=True)
    assert 119.1 < float(min(lng)) <= float(max(lng)) < 120.3
    assert 31.2 < float(min(lat)) <= float(max(lat)) < 32.0


def test_every_uscc_is_valid_including_letter_led_and_legacy_numbers(demo):
    codes = list(Enterprise.objects.values_list("uscc", "registration_number"))
    assert [uscc for uscc, _ in codes if uscc_error(uscc)] == []
    assert any(uscc[0] in "NY" for uscc, _ in codes)
    legacy = [number for _, number in codes if number]
    assert legacy and all(len(number) == 15 and number.isdigit() for number in legacy)


def test_ledger_has_furnace_users_flags_and_power_accounts(demo):
    furnace_users = Enterprise.objects.filter(
        furnaces__status__in=[Furnace.Status.IN_USE, Furnace.Status.SEALED]
    )
    assert 10 <= furnace_users.distinct().count() <= 25  # ~5 %
    for furnace in Furnace.objects.all():
        assert 600 <= furnace.rated_kw / furnace.capacity_t <= 900
        assert furnace.status_history.first().status == furnace.status  # newest history entry is the status
    legit = Furnace.objects.exclude(legitimacy_basis="")
    assert legit.exists() and all("钢协〔2017〕23号" in f.legitimacy_basis for f in legit)
    assert Furnace.objects.filter(status=Furnace.Status.DESTROYED).exists()
    assert Enterprise.objects.filter(on_ledger=False).exists()
    assert (
        Enterprise.objects.filter(formerly_banned=True, on_watchlist=True)
        .exclude(watchlist_reason="")
        .exists()
    )
    for idle in Enterprise.objects.filter(status=Enterprise.Status.IDLE):
        assert idle.supervisor is not None and idle.supervisor.grid_id == idle.grid_id
    closed = PowerAccount.objects.filter(enterprise__status__in=["closed", "banned"])
    assert closed.exists() and all(account.closed_site_watch for account in closed)
    assert PowerAccount.objects.count() > SIZE * 0.8
    # Bulk-written records still have their history: one audit row each, plus the build marker.
    enterprise = Enterprise.objects.first()
    assert (
        AuditLog.objects.filter(target_type="registry.enterprise", target_id=str(enterprise.pk)).count() == 1
    )
    assert AuditLog.objects.filter(action="demo_build").count() == 1


def test_every_township_has_grids_with_a_named_officer(demo):
    for township in {code for code in Enterprise.objects.values_list("division_id", flat=True)}:
        grids = Grid.objects.filter(division_id=township)
        assert 2 <= grids.count() <= 4
        for grid in grids:
            officer = grid.officers.get()
            assert officer.role == Role.GRID_OFFICER and officer.display_name


def test_one_login_per_role_and_each_can_log_in(demo):
    assert {login.role for login in LOGINS} == set(Role.values)
    for login in LOGINS:
        password = f"Demo-{login.username}-7"
        assert login.username in demo and password in demo  # the printed table
        client = Client()
        response = client.post("/accounts/login/", {"username": login.username, "password": password})
        assert response.status_code == 302, login.username
        assert client.get("/").status_code == 200


def test_every_grid_officer_and_the_water_utility_can_log_in(demo):
    assert "grid_320412100_02" in demo  # the printed note on grid officers
    officers = User.objects.filter(role=Role.GRID_OFFICER)
    assert officers.count() == Grid.objects.count()
    assert all(officer.has_usable_password() for officer in officers)
    officer = officers.exclude(username="hutang_grid1").order_by("?").first()
    assert Client().login(username=officer.username, password=f"Demo-{officer.username}-7")
    assert User.objects.get(username="water").department == "water_utility"


def test_a_district_office_sees_only_its_own_district(demo):
    wujin, xinbei = User.objects.get(username="wujin"), User.objects.get(username="xinbei")
    seen = set(enterprise_list(wujin).rows.values_list("division_id", flat=True))
    assert seen and all(code.startswith("320412") for code in seen)
    assert (
        enterprise_list(wujin).count()
        == Enterprise.objects.filter(division__code__startswith="320412").count()
    )
    assert not enterprise_list(xinbei).rows.filter(division__code__startswith="320412").exists()
    assert (
        furnace_user_list(User.objects.get(username="changzhou")).count() >= furnace_user_list(wujin).count()
    )
    other = Enterprise.objects.filter(division__code__startswith="320412").first()
    with pytest.raises(Http404):
        access_enterprise(xinbei, other.pk)


def test_power_cases_and_tips_parts_build_alerts_cases_and_tips(fast_passwords):
    from steelwatch.cases.models import Case
    from steelwatch.power.models import Alert
    from steelwatch.tips.models import Tip

    out = io.StringIO()
    call_command("build_demo", enterprises=SIZE, seed=7, stdout=out)
    assert "生成失败" not in out.getvalue(), out.getvalue()
    assert Alert.objects.filter(level="alert").count() >= 3  # the planted illegal patterns are found
    assert Alert.objects.filter(status="escalated", case__isnull=False).exists()
    assert Case.objects.values("state").distinct().count() >= 3
    assert Tip.objects.count() == 5 and Tip.objects.filter(case__isnull=False).exists()


def test_second_run_builds_nothing_and_reprints_the_logins(demo):
    counts = Enterprise.objects.count(), User.objects.count(), AuditLog.objects.count()
    out = io.StringIO()
    call_command("build_demo", enterprises=SIZE, seed=7, stdout=out)
    assert "演示数据已存在" in out.getvalue() and "Demo-wujin-7" in out.getvalue()
    assert (Enterprise.objects.count(), User.objects.count(), AuditLog.objects.count()) == counts


@pytest.mark.django_db(transaction=True)  # PostgreSQL cannot TRUNCATE inside the test's transaction
def test_reset_rebuilds_the_same_city(demo):
    before = sorted(Enterprise.objects.values_list("uscc", "name", "division_id"))
    # the same options as the fixture's build (the full demo also registers an enterprise: demo/credit.py)
    build_demo(seed=7, enterprises=SIZE, reset=True, ledger_only=True, say=lambda line: None)
    assert sorted(Enterprise.objects.values_list("uscc", "name", "division_id")) == before
    assert AuditLog.objects.filter(action="demo_build").count() == 1


def test_same_seed_plans_the_same_city_and_another_seed_another():
    towns = townships_of("320400")
    day = datetime.date(2026, 6, 1)
    first = plan_ledger(random.Random(1), towns, 200, day)
    again = plan_ledger(random.Random(1), towns, 200, day)
    other = plan_ledger(random.Random(2), towns, 200, day)
    assert first.enterprises == again.enterprises and first.furnaces == again.furnaces
    assert first.enterprises != other.enterprises


def test_refuses_to_build_over_real_ledger_data(fast_passwords):
    make_enterprise("320412100")
    with pytest.raises(DemoExists):
        build_demo(seed=7, enterprises=SIZE, say=lambda line: None)
    with pytest.raises(DemoExists):  # --reset never empties a database that is not a demo
        build_demo(seed=7, enterprises=SIZE, reset=True, say=lambda line: None)
    with pytest.raises(CommandError, match="已有"):
        call_command("build_demo", enterprises=SIZE, stdout=io.StringIO())
    assert Enterprise.objects.count() == 1


def test_legacy_identifiers_carry_their_check_characters():
    assert organisation_code("71610585") == "716105852"  # a real organisation code (GB 11714)
    assert uscc_error("91330100716105852F") is None  # …inside a real USCC
    assert registration_number("440301", 10344866) == "440301103448669"  # a real 15-digit number (MOD 11,10)
