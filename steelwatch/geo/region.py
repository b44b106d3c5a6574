"""The place this deployment serves: `settings.STEELWATCH_REGION`, a GB/T 2260 code, or the whole tree.

A province (320000), a province-level municipality (120000), a prefecture city (320400), a county (530925)
or a district (420204). Everything that depends on the place — the public tip form's cascade, where a tip
may be routed, who counts as the top office, the names shown in page headers — asks this module; nothing
else names a place. The setting is checked at start-up (`settings.py` refuses an unknown code); it is read
on every call, so tests switch deployments with the `settings` fixture.
"""

from django.conf import settings
from django.db.models import Q

from .models import Division


def region_code() -> str:
    """The configured code, or "" for the whole tree."""
    return getattr(settings, "STEELWATCH_REGION", "") or ""


_found: dict[str, Division] = {}  # code → its division: the tree's top rows do not change while running


def region() -> Division | None:
    """The division the deployment serves (None: the whole tree)."""
    code = region_code()
    if not code:
        return None
    if code not in _found:
        division = Division.objects.filter(code=code).first()
        if division is None:
            return None
        _found[code] = division
    return _found[code]


def code_prefix(code: str) -> str:
    """The prefix a 6-digit GB/T 2260 code's subtree shares: 32 for 320000, 3204 for 320400, 530925 itself."""
    if code.endswith("0000"):
        return code[:2]
    return code[:4] if code.endswith("00") else code


def region_prefix() -> str:
    """Every code of the region starts with this ("" for the whole tree); read from the code itself, so the
    region holds even before the division tree is loaded."""
    code = region_code()
    return code_prefix(code) if code else ""


def region_name() -> str:
    """The region's own name for page headers ("" for the whole tree)."""
    root = region()
    return root.name if root is not None else ""


def in_region(code: str | None) -> bool:
    return bool(code) and str(code).startswith(region_prefix())


def region_q(field: str = "division") -> Q:
    """Rows whose division (a foreign key `field`) lies in the region."""
    prefix = region_prefix()
    return Q(**{f"{field}__code__startswith": prefix}) if prefix else Q()


def is_region_office(user) -> bool:
    """Whether the user's jurisdiction covers the whole region (the deployment's top office: 市领导小组办公室
    in a city, the county's office in a county deployment). For the whole tree: an office of a province
    or a prefecture city, or a superuser."""
    prefix = getattr(user, "division_prefix", None)
    if prefix is None:
        return False
    if prefix == "":
        return True
    code = region_code()
    if code:
        return code.startswith(prefix)
    return user.division.level <= Division.Level.CITY
