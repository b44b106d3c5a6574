"""Creating users and issuing API tokens."""

from django.core.exceptions import ValidationError
from django.db import transaction

from steelwatch.core.audit import audit_record, snapshot

from .models import ApiToken, User
from .roles import Department, Role


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
) -> User:
    errors = {}
    if role not in Role.values:
        errors["role"] = f"角色 {role} 无效，可选：{', '.join(Role.values)}"
    if department and department not in Department.values:
        errors["department"] = f"部门 {department} 无效，可选：{', '.join(Department.values)}"
    if role == Role.DEPARTMENT_STAFF and not department:
        errors["department"] = "部门人员必须指定部门（--department）"
    # The division tree sits above accounts (its imports create grid officers): reach it through the
    # user's own foreign key ("geo.Division") rather than an import.
    divisions = User._meta.get_field("division").related_model
    if not divisions.objects.filter(pk=division_code).exists():
        errors["division"] = f"行政区划代码 {division_code} 不存在"
    if User.objects.filter(username=username).exists():
        errors["username"] = f"用户名 {username} 已存在"
    if errors:
        raise ValidationError(errors)
    user = User(
        username=username,
        role=role,
        division_id=division_code,
        department=department,
        display_name=display_name,
        grid=grid,
        phone=phone,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit_record(
        actor=actor, action="user_create", target=user, after=snapshot(user), division_code=division_code
    )
    return user


def token_issue(*, user: User, name: str = "") -> str:
    """Issue a token and return its raw value (shown once; only a digest is stored)."""
    _, raw = ApiToken.issue(user, name)
    return raw
