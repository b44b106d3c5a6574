"""The revisit list of the cases API (v1), nested in the cases router: the same selector as the page."""

from django.utils import timezone
from ninja import Query, Router

from steelwatch.core.api import Page, paginate
from steelwatch.geo.access import access_division

from . import selectors
from .access import require_revisit_reader
from .models import Revisit
from .schemas import RevisitFilters, RevisitListItem

router = Router(tags=["cases"])


def _revisit_item(revisit: Revisit, today) -> dict:
    return {
        "id": revisit.pk,
        "case_id": revisit.case_id,
        "case_title": revisit.case.title if revisit.case else None,
        "enterprise_id": revisit.enterprise_id,
        "enterprise_name": revisit.enterprise.name if revisit.enterprise else None,
        "division_code": revisit.division_id,
        "due_date": revisit.due_date,
        "status": revisit.status,
        "overdue": revisit.status == Revisit.Status.PENDING and revisit.due_date < today,
        "assignee": revisit.assignee.username if revisit.assignee else None,
        "activity_found": revisit.activity_found,
    }


@router.get("/revisits", response=Page[RevisitListItem], summary="回头看列表（检查日期最近在前）")
def list_revisits(request, filters: Query[RevisitFilters]):
    require_revisit_reader(request.user)
    if filters.division:
        access_division(request.user, filters.division)  # an area outside the caller's reach: 404
    today = timezone.localdate()
    rows = selectors.revisit_list(
        request.user,
        q=filters.q,
        division=filters.division,
        status=filters.status,
        due=filters.due,
        within=filters.within,
        sort=filters.sort,
        today=today,
    )
    page = paginate(request, rows, filters)
    return {**page, "items": [_revisit_item(r, today) for r in page["items"]]}
