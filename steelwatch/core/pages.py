"""One page of a list for the server-rendered pages (the API pages with core.api.paginate)."""

from django.core.paginator import Page, Paginator


def list_page(request, rows, size: int = 30) -> tuple[Page, str]:
    """The page `?page=` asks for (a wrong or too-high number gives the nearest page) and the request's other
    parameters, url-encoded, for the pagination links to keep the filters."""
    page = Paginator(rows, size).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def opened_url(back: str, opens: str) -> str:
    """`back` naming the action form that failed (`?open=<name>#act-<name>`): the page shows that one form
    open (its <details id="act-<name>">) and scrolls to it; the others stay collapsed."""
    if not opens:
        return back
    path = back.split("#", 1)[0]
    return f"{path}{'&' if '?' in path else '?'}open={opens}#act-{opens}"
