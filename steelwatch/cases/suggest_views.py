"""The case pages' pickers: cases by number or title, and a case's source (an alert, a tip) by what names it.
Each answers <option>s for a SuggestInput's <datalist>, from what the user may open only."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from steelwatch.core.forms import suggest_query

from . import selectors
from .sources import source_offers


@require_GET
def case_suggest(request):
    offers = selectors.case_suggestions(request.user, suggest_query(request))
    return render(request, "core/widgets/offers.html", {"offers": offers})


@require_GET
def source_suggest(request):
    return render(
        request, "core/widgets/offers.html", {"offers": source_offers(request.user, suggest_query(request))}
    )
