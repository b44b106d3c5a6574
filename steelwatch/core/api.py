"""The one list convention of API v1: every list endpoint takes `limit`/`offset` (and, where they existed,
the older `page`/`page_size`) and answers `{"count", "limit", "offset", "next", "items"}`.

    @router.get("/things", response=Page[ThingOut])
    def list_things(request, filters: Query[ThingFilters]):   # ThingFilters(ListParams)
        return paginate(request, thing_list(request.auth, ...), filters)
"""

from django.db.models import QuerySet
from ninja import Field, Schema

from .schemas import InputSchema

MAX_LIMIT = 500
MAX_OFFSET = 10_000_000


class Page[T](Schema):
    count: int = Field(description="符合条件的记录总数")
    limit: int = Field(description="本页最多条数")
    offset: int = Field(description="本页第一条的位置（从0开始）")
    next: str | None = Field(description="下一页的地址；已是最后一页时为空")
    items: list[T]


class ListParams(InputSchema):
    limit: int | None = Field(None, ge=1, le=MAX_LIMIT, description=f"每页条数（1–{MAX_LIMIT}，默认50）")
    offset: int | None = Field(None, ge=0, le=MAX_OFFSET, description="跳过的条数（从0开始）")
    page: int | None = Field(None, ge=1, le=MAX_OFFSET, description="页码（从1开始；与 limit/offset 二选一）")
    page_size: int | None = Field(None, ge=1, le=200, description="每页条数（与 page 一起使用）")

    def window(self) -> tuple[int, int]:
        """(offset, limit): limit/offset when given, else page/page_size, else the first 50."""
        limit = self.limit or self.page_size or 50
        if self.offset is not None:
            return self.offset, limit
        return ((self.page or 1) - 1) * limit, limit


def paginate(request, rows: QuerySet | list, params: ListParams) -> dict:
    """The list envelope for one window of `rows` (a queryset already scoped and ordered, or a list)."""
    offset, limit = params.window()
    count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    following = None
    if offset + limit < count:
        query = request.GET.copy()
        query.pop("page", None)
        query.pop("page_size", None)
        query["limit"], query["offset"] = limit, offset + limit
        following = f"{request.path}?{query.urlencode()}"
    return {
        "count": count,
        "limit": limit,
        "offset": offset,
        "next": following,
        "items": list(rows[offset : offset + limit]),
    }
