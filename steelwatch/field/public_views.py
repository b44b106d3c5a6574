"""一公开: published draws (record and results), open to anyone without a login."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from steelwatch.core.access import get_or_404

from .access import published_draws
from .views_draws import record_download


@require_GET
def draw_list(request):
    draws = published_draws().prefetch_related("inspections__enterprise")[:100]
    return render(request, "field/public_draws.html", {"draws": draws})


@require_GET
def draw_record(request, draw_id: int):
    return record_download(get_or_404(published_draws(), pk=draw_id))
