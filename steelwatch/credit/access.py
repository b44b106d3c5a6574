"""The one door to credit-list entries.

An entry belongs to the jurisdiction of the authority that listed it (`division`). Offices and the market
regulator see the entries of their area (`credit.view`); a department sees the entries of its area whose
joint-punishment measures it implements (`credit.measures`). Outside that: 404.
"""

from django.db.models import Q

from steelwatch.accounts.roles import can
from steelwatch.cases.access import cases_for
from steelwatch.cases.models import BlacklistProposal
from steelwatch.core.access import get_or_404, jurisdiction_q, require

from .models import Entry, Measure


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


def access_proposal(user, proposal_id: int) -> BlacklistProposal:
    """A case's blacklist proposal, for a deciding role that sees the case."""
    require(user, "credit.decide")
    proposals = BlacklistProposal.objects.filter(case__in=cases_for(user)).select_related(
        "case", "enterprise"
    )
    return get_or_404(proposals, pk=proposal_id)


def access_measure(user, measure_id: int) -> Measure:
    """A measure of the catalogue, for the city office that keeps it."""
    require(user, "credit.catalogue")
    return get_or_404(Measure.objects.all(), pk=measure_id)
