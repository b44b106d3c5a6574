"""The door to the division tree: a division a user may reach is one in their own subtree; any other code,
or one that does not exist, is the same "not found"."""

from steelwatch.core.access import get_or_404, jurisdiction_q

from .models import Division


def divisions_for(user):
    return Division.objects.filter(jurisdiction_q(user, code_field="code"))


def access_division(user, code: str) -> Division:
    return get_or_404(divisions_for(user), code=code)
