"""One page of a list for the server-rendered pages (the API pages with core.api.paginate)."""

from collections.abc import Callable

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


def list_page(request, rows, size: int = 30) -> tuple[Page, str]:
    """The page `?page=` asks for (a wrong or too-high number gives the nearest page) and the request's other
    parameters, url-encoded, for the pagination links to keep the filters."""
    page = Paginator(rows, size).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


class LateRows:
    """A long list paged by its keys (late row lookup): counting and windowing run on the primary keys alone,
    in the list's order — a query an index on the ordering columns answers without reading the table, however
    deep the page — and only the window's rows are fetched whole, with their joins and `fetch`'s per-row
    figures (e.g. a count of related rows). Paginator and core.api.paginate take it as they take a queryset.
    A list of up to KEYS_AT_ONCE rows (a search, a filter) is read once: its keys are the count and the page."""

    KEYS_AT_ONCE = 5000

    def __init__(self, rows: QuerySet, fetch: Callable[[QuerySet], QuerySet] | None = None):
        self.rows = rows
        self.fetch = fetch or (lambda window: window)
        self.keys = rows.values_list("pk", flat=True)
        self._all_keys: list | None = None  # every key, when there are no more than KEYS_AT_ONCE
        self._first_keys: list = []  # else the first KEYS_AT_ONCE + 1, which answer the first pages
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            first = list(self.keys[: self.KEYS_AT_ONCE + 1])
            if len(first) <= self.KEYS_AT_ONCE:
                self._all_keys, self._count = first, len(first)
            else:
                self._first_keys, self._count = first, self.keys.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        """Every row, fetched a thousand at a time (for a whole list; a page is a window)."""
        start = 0
        while chunk := self[start : start + 1000]:
            yield from chunk
            start += 1000

    def __getitem__(self, window):
        if not isinstance(window, slice):
            found = self[window : window + 1]
            if not found:
                raise IndexError(window)
            return found[0]
        if self._all_keys is not None:
            ids = self._all_keys[window]
        elif window.stop is not None and (window.start or 0) >= 0 and window.stop <= len(self._first_keys):
            ids = self._first_keys[window]
        else:
            ids = self._window_keys(window)
        found = {row.pk: row for row in self.fetch(self.rows.filter(pk__in=ids).order_by())}
        return [found[pk] for pk in ids if pk in found]

    def _window_keys(self, window: slice) -> list:
        """A window's keys; one in the list's second half is read from the end, in the reversed order, so that
        the last page skips a few rows rather than nearly all of them (the order ends with the key: total)."""
        start, stop = window.start or 0, window.stop
        if window.step is None and self._count is not None and stop is not None and 0 <= start < stop:
            stop = min(stop, self._count)
            if start >= self._count:
                return []
            if start > self._count // 2:
                return list(self.keys.reverse()[self._count - stop : self._count - start])[::-1]
        return list(self.keys[window])


def opened_url(back: str, opens: str) -> str:
    """`back` naming the action form that failed (`?open=<name>#act-<name>`): the page shows that one form
    open (its <details id="act-<name>">) and scrolls to it; the others stay collapsed."""
    if not opens:
        return back
    path = back.split("#", 1)[0]
    return f"{path}{'&' if '?' in path else '?'}open={opens}#act-{opens}"
