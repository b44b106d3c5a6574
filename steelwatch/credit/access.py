"""The one door to credit-list entries.

An entry belongs to the jurisdiction of the authority that listed it (`division`). Offices and the market
regulator see the entries of their area (`credit.view`); a department sees the entries of its area whose
joint-punishment measures it implements (`credit.measures`). Outside that: 404.
"""

from django.db.models import Q

from steelwatch.accounts.roles import can
from steelwatch.core.access import get_or_404, jurisdiction_q, require

from .models import Entry


def entries_for(user):
    if can(user, "credit.view"):
        return Entry.objects.filter(jurisdiction_q(user))
    require(user, "credit.measures")
    return Entry.objects.filter(
        jurisdiction_q(user) & Q(entry_measures__measure__department=user.department or "-")
    ).distinct()


def access_entry(user, entry_id: int) -> Entry:
    return get_or_404(entries_for(user).select_related("division", "case", "enterprise"), pk=entry_id)


def may_decide(user, entry: Entry | None = None) -> bool:
    """Deciding roles, for entries of their own area: they also see the full ID number (audited)."""
    from steelwatch.core.access import user_covers_division

    return can(user, "credit.decide") and (entry is None or user_covers_division(user, entry.division_id))
