"""The access layer's foundation: every query a user reaches is cut to their jurisdiction here.

Each app's access.py builds on `scope_to_jurisdiction` and `get_or_404`; nothing else filters by
division. Objects outside the user's reach are "not found", never "forbidden", so that their
existence is not confirmed.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from steelwatch.accounts.roles import can


def jurisdiction_q(user, division_field: str = "division", *, code_field: str = "") -> Q:
    """A filter keeping rows whose division lies in the user's subtree (nothing for outsiders). The division
    is a foreign key (`division_field`) or, for rows that only carry its code, a text field (`code_field`)."""
    prefix = _prefix(user)
    if prefix is None:
        return Q(pk__in=[])
    if prefix == "":
        return Q()
    return Q(**{f"{code_field or division_field + '__code'}__startswith": prefix})


def scope_to_jurisdiction(queryset: QuerySet, user, division_field: str = "division") -> QuerySet:
    """`queryset` cut to the user's subtree; a division reached through foreign keys ("account__division") is
    asked of the parent row by its key (EXISTS), so that the database walks the rows being listed — in their
    own order, a page at a time — rather than every parent of the jurisdiction (a city's 100,000 accounts for
    a page of 30 requests)."""
    return queryset.filter(_scope_q(queryset.model, user, division_field))


def _prefix(user) -> str | None:
    return getattr(user, "division_prefix", None) if getattr(user, "is_authenticated", False) else None


def _scope_q(model, user, division_field: str) -> Q:
    head, _, rest = division_field.partition("__")
    if not rest or not _prefix(user):  # the row's own division, or a user who sees everything or nothing
        return jurisdiction_q(user, division_field)
    field = model._meta.get_field(head)
    if not (field.concrete and (field.many_to_one or field.one_to_one)):  # a reverse relation: a join
        return jurisdiction_q(user, division_field)
    parents = field.related_model._base_manager.filter(
        _scope_q(field.related_model, user, rest), **{field.target_field.attname: OuterRef(field.attname)}
    )
    return Q(Exists(parents))


def get_or_404(queryset: QuerySet, **lookup):
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404(_("未找到该记录或无权访问"))
    return obj


def require(user, capability: str) -> None:
    """Refuse an action the user's role may not take (the object itself is already in scope)."""
    if not can(user, capability):
        raise PermissionDenied(_("当前角色无权执行此操作"))


def audit_for(user) -> QuerySet:
    """Audit records of the user's jurisdiction, by the division code each record carries."""
    from steelwatch.core.models import AuditLog

    return AuditLog.objects.filter(jurisdiction_q(user, code_field="division_code"))


def jobs_for(user, kinds=None) -> QuerySet:
    """Background jobs a user may follow: the ones they started (a superuser: all), of `kinds` if given."""
    from steelwatch.core.models import Job

    jobs = Job.objects.all() if getattr(user, "is_superuser", False) else Job.objects.filter(started_by=user)
    return jobs.filter(kind__in=list(kinds)) if kinds else jobs


def access_job(user, job_id: int, kinds=None):
    return get_or_404(jobs_for(user, kinds), pk=job_id)


def user_covers_division(user, division_code: str) -> bool:
    prefix = getattr(user, "division_prefix", None)
    return prefix is not None and division_code.startswith(prefix)
