"""The revisit list (回头看): the cases' revisits in reach, searchable and filtered, 30 to a page."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from steelwatch.accounts.roles import can
from steelwatch.core.pages import list_page
from steelwatch.geo.access import access_division
from steelwatch.geo.selectors import division_choices

from . import selectors
from .access import require_revisit_reader
from .models import Revisit

REVISIT_PAGE_SIZE = 30
MAX_WITHIN_DAYS = 366


def within_days(value: str) -> int:
    """The "due within N days" of a request: a whole number of days, 0 to a year (7 when not given)."""
    try:
        return max(0, min(MAX_WITHIN_DAYS, int(value)))
    except (TypeError, ValueError):
        return selectors.REVISIT_SOON_DAYS


@require_GET
def revisit_list(request):
    """Offices see every revisit of their cases; a grid officer (or department staff) the ones given to them."""
    require_revisit_reader(request.user)
    params = {k: request.GET.get(k, "").strip()[:64] for k in ("q", "division", "status", "due", "sort")}
    within = within_days(request.GET.get("within", ""))
    if params["division"]:
        access_division(request.user, params["division"][:12])  # an area outside one's reach is not found
    rows = selectors.revisit_list(
        request.user,
        q=params["q"],
        division=params["division"][:12],
        status=params["status"],
        due=params["due"],
        within=within,
        sort=params["sort"] or "due",
    )
    page, query = list_page(request, rows, REVISIT_PAGE_SIZE)
    return render(
        request,
        "cases/revisit_list.html",
        {
            "page": page,
            "revisits": page.object_list,
            "params": params,
            "within": within,
            "query": query,
            "statuses": Revisit.Status.choices,
            "divisions": division_choices(request.user) if can(request.user, "cases.view") else [],
            "today": timezone.localdate(),
        },
    )
