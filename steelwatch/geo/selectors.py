"""Reads of the division tree and grids, cut to the user's jurisdiction."""

from django.db.models import Count, Q, QuerySet

from steelwatch.accounts.roles import Role

from .access import grids_for, villages_for
from .models import Division


def division_prefix(code: str) -> str:
    """The subtree prefix of a division code (an unknown code is its own prefix, matching only itself)."""
    division = Division.objects.filter(code=code.strip()).first()
    return division.prefix if division is not None else code.strip()


def division_label(code: str) -> str:
    """A division code with its name beside it, as messages show it: "320411（新北区）" (an unknown code alone)."""
    division = Division.objects.filter(code=str(code).strip()).only("name").first()
    return f"{code}（{division.name}）" if division is not None else str(code)


DIVISION_OFFERS = 15


def _offer_prefix(user, scope: str) -> str | None:
    """Where a picker's offers come from: the user's own subtree, or (scope "region", e.g. a transfer's
    receiving area) the whole deployment region."""
    if scope == "region":
        from .region import region_prefix

        return region_prefix()
    return getattr(user, "division_prefix", None)


def division_offers(
    user, q: str, *, scope: str = "mine", deepest: int = Division.Level.TOWNSHIP
) -> list[Division]:
    """The division picker's offers for the typed text: districts and townships (and villages when `deepest`
    is VILLAGE) whose name holds `q` or whose code starts with it, at most DIVISION_OFFERS, by code."""
    prefix = _offer_prefix(user, scope)
    q = q.strip()
    if prefix is None or not q:
        return []
    rows = Division.objects.filter(
        Q(name__contains=q) | Q(code__startswith=q),
        code__startswith=prefix,
        level__gte=Division.Level.DISTRICT,
        level__lte=deepest,
    )
    return list(rows.select_related("parent__parent").order_by("level", "code")[:DIVISION_OFFERS])


def division_code_for(user, text: str, *, scope: str = "mine", deepest: int = Division.Level.TOWNSHIP) -> str:
    """What a division field holds: a code as typed, or the code of the one district or township (or village,
    when `deepest` allows) of that name in reach (e.g. "新北区"); otherwise the text itself, for the service to
    refuse by its own words."""
    text = text.strip()
    if not text or text.isdigit():
        return text
    prefix = _offer_prefix(user, scope)
    if prefix is None:
        return text
    named = list(
        Division.objects.filter(
            name=text,
            code__startswith=prefix,
            level__gte=Division.Level.DISTRICT,
            level__lte=deepest,
        ).values_list("code", flat=True)[:2]
    )
    return named[0] if len(named) == 1 else text


def division_choices(user, *, max_level: int = Division.Level.TOWNSHIP) -> list[tuple[str, str]]:
    """The divisions of the user's subtree down to `max_level`, indented by level, for drop-downs."""
    prefix = getattr(user, "division_prefix", None)
    if prefix is None:
        return []
    top = user.division.level if getattr(user, "division_id", None) else Division.Level.PROVINCE
    rows = Division.objects.filter(code__startswith=prefix, level__lte=max(max_level, top)).order_by("code")
    if prefix == "":  # a superuser: the whole country, so only cities and districts
        rows = rows.filter(level__gte=Division.Level.CITY, level__lte=Division.Level.DISTRICT)
    return [(d.code, "\u3000" * max(0, d.level - top) + d.name) for d in rows]


def division_children(user, parent_code: str = "", q: str = "", limit: int = 200) -> list[dict]:
    """The picker's step: the children of `parent_code` (or the user's own division), or a name search
    in the user's subtree; nothing outside it."""
    prefix = getattr(user, "division_prefix", None)
    if prefix is None:
        return []
    rows = Division.objects.filter(code__startswith=prefix)
    if q:
        rows = rows.filter(name__contains=q, level__gte=Division.Level.DISTRICT).select_related("parent")
    elif parent_code:
        rows = rows.filter(parent_id=parent_code)
    elif user.division_id:
        rows = rows.filter(code=user.division_id)
    else:
        rows = rows.filter(level=Division.Level.PROVINCE)
    return [
        {"code": d.code, "name": d.name, "level": d.level, "label": d.area_name if q else d.name}
        for d in rows.order_by("code")[:limit]
    ]


def grid_list(user, *, q: str = "", division: str = "", no_officer: bool = False) -> QuerySet:
    qs = grids_for(user).annotate(
        officer_count=Count("officers", filter=Q(officers__is_active=True, officers__role=Role.GRID_OFFICER)),
        village_count=Count("villages", distinct=True),
    )
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(code__startswith=q))
    if division:
        qs = qs.filter(division__code__startswith=division_prefix(division))
    if no_officer:
        qs = qs.filter(officer_count=0)
    return qs.order_by("code")


def grid_officers(grid) -> QuerySet:
    return grid.officers.filter(role=Role.GRID_OFFICER).order_by("username")


def village_list(user, *, q: str = "", division: str = "") -> QuerySet:
    qs = villages_for(user).select_related("parent__parent")
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(code__startswith=q))
    if division:
        qs = qs.filter(code__startswith=division_prefix(division))
    return qs.order_by("code")


def village_choices(user, township_code: str) -> list[tuple[str, str]]:
    return list(villages_for(user).filter(parent_id=township_code).values_list("code", "name"))
