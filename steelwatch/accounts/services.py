"""Users: creating, editing, deactivating and resetting them (within the actor's reach), and API tokens.

Nobody grants more than they hold: the role given may not rank above the actor's own (`ROLE_RANK`), the
division must lie in the actor's jurisdiction, and the grid in that division. `actor=None` is the system
(the CLI, the demo builder), which may do anything."""

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from steelwatch.core.access import user_covers_division
from steelwatch.core.audit import audit_record, snapshot
from steelwatch.core.services import audited_update

from .backends import account_failures_clear
from .models import ApiToken, User
from .roles import ROLE_RANK, Department, Role, can

# A temporary password is read aloud or typed from a note: no look-alike characters (0/O, 1/l/I).
TEMP_PASSWORD_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789"


def temporary_password(length: int = 12) -> str:
    return "".join(secrets.choice(TEMP_PASSWORD_ALPHABET) for _ in range(length))


def _rank(user) -> int:
    return 99 if user.is_superuser else ROLE_RANK.get(user.role, 0)


def grantable_roles(actor) -> list[str]:
    """The roles `actor` may give (none at all without users.manage)."""
    if actor is None:
        return list(Role.values)
    if not can(actor, "users.manage"):
        return []
    return [role for role in Role.values if ROLE_RANK.get(role, 0) <= _rank(actor)]


def user_check_manageable(*, actor, user: User) -> None:
    """Refuse changing a user who ranks above the actor (their own account is changed elsewhere)."""
    if actor is None:
        return
    if user.is_superuser or _rank(user) > _rank(actor):
        raise ValidationError({"role": "不能修改级别高于本人的用户"})
    if user.pk == actor.pk:
        raise ValidationError({"username": "不能在此修改本人账户"})


def _check_grant(*, actor, role: str, division_code: str, department: str, grid) -> dict:
    """Field → Chinese message for every rule the new values break."""
    errors = {}
    if role not in Role.values:
        errors["role"] = f"角色 {role} 无效，可选：{', '.join(Role.values)}"
    elif actor is not None and role not in grantable_roles(actor):
        errors["role"] = f"不能授予高于本人的角色（{Role(role).label}）"
    if department and department not in Department.values:
        errors["department"] = f"部门 {department} 无效，可选：{', '.join(Department.values)}"
    if role == Role.DEPARTMENT_STAFF and not department:
        errors["department"] = "部门人员必须指定部门（--department）"
    # The division tree sits above accounts (its imports create grid officers): reach it through the
    # user's own foreign key ("geo.Division") rather than an import.
    divisions = User._meta.get_field("division").related_model
    division: Any = divisions._default_manager.filter(pk=division_code).first()
    if division is None:
        errors["division"] = f"行政区划代码 {division_code} 不存在"
    elif actor is not None and not user_covers_division(actor, division_code):
        errors["division"] = f"{division.name}（{division_code}）不在本人管辖范围内"
    if grid is not None and division is not None and not division.contains(grid.division_id):
        errors["grid"] = f"网格 {grid} 不属于 {division.name}"
    if role == Role.GRID_OFFICER and grid is None and actor is not None:
        errors["grid"] = "网格员须指定负责网格"
    return errors


@transaction.atomic
def user_create(
    *,
    actor=None,
    username: str,
    role: str,
    division_code: str,
    department: str = "",
    password: str | None = None,
    display_name: str = "",
    grid=None,
    phone: str = "",
    must_change_password: bool = False,
) -> User:
    errors = _check_grant(
        actor=actor, role=role, division_code=division_code, department=department, grid=grid
    )
    if User.objects.filter(username=username).exists():
        errors["username"] = f"用户名 {username} 已存在"
    if errors:
        raise ValidationError(errors)
    user = User(
        username=username,
        role=role,
        division_id=division_code,
        department=department if role == Role.DEPARTMENT_STAFF else "",
        display_name=display_name,
        grid=grid,
        phone=phone,
        must_change_password=must_change_password,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(
        actor=actor, action="user_create", target=user, after=snapshot(user), division_code=division_code
    )
    return user


def user_invite(*, actor, username: str, role: str, division_code: str, **fields) -> tuple[User, str]:
    """Create a user with a temporary password to be changed at first login; returns it (shown once)."""
    password = temporary_password()
    user = user_create(
        actor=actor,
        username=username,
        role=role,
        division_code=division_code,
        password=password,
        must_change_password=True,
        **fields,
    )
    return user, password


@transaction.atomic
def user_update(
    *,
    actor,
    user: User,
    role: str,
    division_code: str,
    department: str = "",
    display_name: str = "",
    grid=None,
    phone: str = "",
) -> User:
    user_check_manageable(actor=actor, user=user)
    errors = _check_grant(
        actor=actor, role=role, division_code=division_code, department=department, grid=grid
    )
    if errors:
        raise ValidationError(errors)
    return audited_update(
        actor=actor,
        instance=user,
        division_code=division_code,
        changes={
            "role": role,
            "division_id": division_code,
            "department": department if role == Role.DEPARTMENT_STAFF else "",
            "display_name": display_name,
            "grid": grid,
            "phone": phone,
        },
    )


def user_set_active(*, actor, user: User, active: bool, reason: str = "") -> User:
    """Deactivate (the account can no longer log in or use its tokens) or reactivate a user."""
    user_check_manageable(actor=actor, user=user)
    return audited_update(
        actor=actor,
        instance=user,
        changes={"is_active": active},
        action="user_activate" if active else "user_deactivate",
        reason=reason,
        division_code=user.division_id or "",
    )


@transaction.atomic
def user_password_reset(*, actor, user: User) -> str:
    """Give `user` a new temporary password (returned, shown once) to be changed at the next login."""
    user_check_manageable(actor=actor, user=user)
    password = temporary_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    account_failures_clear(user.username)
    audit_record(actor=actor, action="user_password_reset", target=user, division_code=user.division_id or "")
    return password


@transaction.atomic
def user_password_change(*, user: User, password: str) -> User:
    """The user sets their own password (validated by the caller's form); the first-login flag is cleared."""
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit_record(actor=user, action="user_password_change", target=user, division_code=user.division_id or "")
    return user


def token_issue(*, user: User, name: str = "") -> str:
    """Issue a token and return its raw value (shown once; only a digest is stored)."""
    _, raw = ApiToken.issue(user, name)
    return raw
