"""The door to the division tree, grids and villages: a division a user may reach is one in their own subtree;
any other code, or one that does not exist, is the same "not found". Grids and villages are managed by those
with users.manage."""

from steelwatch.core.access import get_or_404, jurisdiction_q, require, scope_to_jurisdiction

from .models import Division, Grid


def divisions_for(user):
    """Divisions of the user's subtree (a division is its own code)."""
    return Division.objects.filter(jurisdiction_q(user, code_field="code"))


def access_division(user, code: str) -> Division:
    return get_or_404(divisions_for(user), code=code)


def grids_for(user):
    require(user, "users.manage")
    return scope_to_jurisdiction(Grid.objects.select_related("division__parent"), user)


def villages_for(user):
    require(user, "users.manage")
    return divisions_for(user).filter(level=Division.Level.VILLAGE)


def access_grid(user, grid_id: int) -> Grid:
    return get_or_404(grids_for(user), pk=grid_id)


def access_village(user, code: str) -> Division:
    return get_or_404(villages_for(user), code=code)
