"""One page of a list for the server-rendered pages (the API pages with core.api.paginate)."""

from django.core.paginator import Page, Paginator


def list_page(request, rows, size: int = 30) -> tuple[Page, str]:
    """The page `?page=` asks for (a wrong or too-high number gives the nearest page) and the request's other
    parameters, url-encoded, for the pagination links to keep the filters."""
    page = Paginator(rows, size).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
