"""一公开: published draws (record and results), open to anyone without a login."""

import json

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from steelwatch.core.access import get_or_404

from . import selectors
from .access import published_draws


@require_GET
def draw_list(request):
    draws = published_draws().prefetch_related("inspections__enterprise")[:100]
    return render(request, "field/public_draws.html", {"draws": draws})


@require_GET
def draw_record(request, draw_id: int):
    draw = get_or_404(published_draws(), pk=draw_id)
    body = json.dumps(selectors.draw_record(draw), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="draw-{draw.pk}.json"'
    return response
