"""Reads of user accounts, already scoped by accounts.access."""

from django.db.models import Count, Q, QuerySet

from .access import users_for
from .roles import Department, Role


def user_list(
    actor, *, q: str = "", role: str = "", department: str = "", division: str = "", active: str = ""
):
    qs = users_for(actor)
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(display_name__icontains=q) | Q(phone__startswith=q))
    if role:
        qs = qs.filter(role=role)
    if department:
        qs = qs.filter(department=department)
    if division:
        # The division tree ranks above accounts: reach it through the user's own foreign key.
        divisions = qs.model._meta.get_field("division").related_model
        found = divisions._default_manager.filter(pk=division.strip()).first()
        qs = qs.filter(division__code__startswith=found.prefix if found else division.strip())
    if active in {"1", "0"}:
        qs = qs.filter(is_active=active == "1")
    return qs.select_related("division__parent__parent", "grid").order_by("division_id", "role", "username")


def user_search(actor, q: str, *, role: str = "", limit: int = 20) -> QuerySet:
    """Users by name or username within the actor's scope (the user picker)."""
    return user_list(actor, q=q, role=role, active="1")[:limit]


def department_list(actor) -> list[dict]:
    """Every department with its number of active staff in the actor's jurisdiction."""
    counts = dict(
        users_for(actor)
        .filter(role=Role.DEPARTMENT_STAFF, is_active=True)
        .values_list("department")
        .annotate(n=Count("pk"))
        .values_list("department", "n")
    )
    return [{"code": code, "name": label, "staff": counts.get(code, 0)} for code, label in Department.choices]
