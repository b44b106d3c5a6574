"""People pages and the rule that nobody grants more than they hold."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from steelwatch.accounts.models import User
from steelwatch.accounts.services import TEMP_PASSWORD_ALPHABET, user_create, user_invite, user_update
from steelwatch.geo.models import Division
from steelwatch.geo.services import grid_save

pytestmark = pytest.mark.django_db


def _township(parent="320412") -> str:
    return Division.objects.filter(parent_id=parent).order_by("code").values_list("code", flat=True)[0]


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_district_office_creates_a_township_user_in_its_district(owner):
    user, password = user_invite(actor=owner, username="t1", role="township", division_code=_township())
    assert user.must_change_password and user.check_password(password)
    assert len(password) == 12 and set(password) <= set(TEMP_PASSWORD_ALPHABET)


@pytest.mark.parametrize(
    ("role", "division", "field"),
    [
        ("city_office", "320412", "role"),  # a role above the actor's
        ("township", "320411001", "division"),  # another district's township
        ("district_office", "320400", "division"),  # a jurisdiction above the actor's
    ],
)
def test_nobody_grants_above_their_own(owner, role, division, field):
    division = division if Division.objects.filter(code=division).exists() else _township("320411")
    with pytest.raises(ValidationError) as error:
        user_create(actor=owner, username="x", role=role, division_code=division)
    assert field in error.value.error_dict


def test_township_user_may_grant_nothing(colleague):
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied or ValidationError: nothing is created
        user_create(actor=colleague, username="y", role="grid_officer", division_code=colleague.division_id)
    assert not User.objects.filter(username="y").exists()


def test_a_manager_cannot_edit_a_user_above_them(owner, city_user):
    city_user.division_id = "320412"  # even when the user sits in the manager's district
    with pytest.raises(ValidationError):
        user_update(actor=owner, user=city_user, role="township", division_code=_township())


def test_grid_officer_needs_a_grid_of_that_place(owner):
    other = grid_save(
        actor=None, code="G-X", name="外区网格", division_code=_township("320411"), village_codes=[]
    )
    with pytest.raises(ValidationError) as error:
        user_create(actor=owner, username="g", role="grid_officer", division_code=_township(), grid=other)
    assert "grid" in error.value.error_dict


def test_city_office_creates_a_grid_officer_who_must_change_password(city_user):
    township = _township()
    grid = grid_save(actor=None, code="G-1", name="第一网格", division_code=township, village_codes=[])
    response = _client(city_user).post(
        "/accounts/users/new/",
        {
            "username": "grid_a",
            "display_name": "王网格",
            "phone": "13800000000",
            "role": "grid_officer",
            "division": township,
            "grid": grid.pk,
        },
    )
    assert response.status_code == 200
    password = re.search(r'id="temporary-password">([^<]+)<', response.content.decode()).group(1)
    officer = Client()
    assert officer.post("/accounts/login/", {"username": "grid_a", "password": password}).status_code == 302
    assert officer.get("/").url == "/accounts/password/"  # every page waits for the new password
    response = officer.post(
        "/accounts/password/",
        {
            "old_password": password,
            "new_password1": "Grid-Officer-2026",
            "new_password2": "Grid-Officer-2026",
        },
    )
    assert response.status_code == 302
    assert officer.get("/").status_code == 200
    assert not User.objects.get(username="grid_a").must_change_password


def test_user_pages_are_scoped(owner, outsider, colleague):
    assert _client(owner).get(f"/accounts/users/{colleague.pk}/").status_code == 200
    assert _client(outsider).get(f"/accounts/users/{colleague.pk}/").status_code == 404
    assert _client(outsider).post(f"/accounts/users/{colleague.pk}/reset/").status_code == 404
    listed = _client(outsider).get("/accounts/users/").context["page"].object_list
    assert [u.username for u in listed] == ["outsider"]
    assert _client(colleague).get("/accounts/users/").status_code == 403


def test_reset_and_deactivate(owner, colleague):
    client = _client(owner)
    response = client.post(f"/accounts/users/{colleague.pk}/reset/")
    password = re.search(r'id="temporary-password">([^<]+)<', response.content.decode()).group(1)
    colleague.refresh_from_db()
    assert colleague.check_password(password) and colleague.must_change_password
    client.post(f"/accounts/users/{colleague.pk}/active/", {"active": "0", "reason": "调离"})
    colleague.refresh_from_db()
    assert not colleague.is_active
    assert not Client().login(username="colleague", password=password)


def test_department_list_counts_staff(owner):
    from steelwatch.testing import make_user

    make_user("department_staff", "320412", department="water_utility")
    page = _client(owner).get("/accounts/departments/").content.decode()
    assert "供水公司" in page
