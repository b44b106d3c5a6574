"""The one list convention of API v1: every list endpoint takes `limit`/`offset` (and, where they existed,
the older `page`/`page_size`) and answers `{"count", "limit", "offset", "next", "items"}`.

    @router.get("/things", response=Page[ThingOut])
    def list_things(request, filters: Query[ThingFilters]):   # ThingFilters(ListParams)
        return paginate(request, thing_list(request.auth, ...), filters)
"""

import re
from collections.abc import Sequence

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema

from .pages import LateRows
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


def paginate(request, rows: QuerySet | LateRows | Sequence, params: ListParams) -> dict:
    """The list envelope for one window of `rows` (a queryset already scoped and ordered, or a sequence)."""
    offset, limit = params.window()
    count = rows.count() if isinstance(rows, QuerySet | LateRows) else len(rows)
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


# --- request-validation messages: pydantic's English, in Chinese and naming the field ------------------------

_MESSAGES = {
    "missing": _("为必填项"),
    "missing_argument": _("为必填项"),
    "extra_forbidden": _("不是可接受的字段"),
    "none_required": _("应为空"),
    "int_type": _("应为整数"),
    "int_parsing": _("应为整数"),
    "int_from_float": _("应为整数，不能带小数"),
    "int_parsing_size": _("数值过大"),
    "float_type": _("应为数字"),
    "float_parsing": _("应为数字"),
    "finite_number": _("应为有限的数字"),
    "decimal_type": _("应为数字"),
    "decimal_parsing": _("应为数字"),
    "decimal_max_digits": _("最多 {max_digits} 位数字"),
    "decimal_max_places": _("最多 {decimal_places} 位小数"),
    "decimal_whole_digits": _("整数部分最多 {whole_digits} 位"),
    "bool_type": _("应为 true 或 false"),
    "bool_parsing": _("应为 true 或 false"),
    "string_type": _("应为文本"),
    "string_unicode": _("应为有效的 Unicode 文本"),
    "string_too_short": _("至少 {min_length} 个字符"),
    "string_too_long": _("最多 {max_length} 个字符"),
    "string_pattern_mismatch": _("格式不正确"),
    "string_not_ascii": _("只能包含 ASCII 字符"),
    "bytes_type": _("应为文件或字节串"),
    "bytes_too_long": _("过长（最多 {max_length} 字节）"),
    "greater_than": _("应大于 {gt}"),
    "greater_than_equal": _("应不小于 {ge}"),
    "less_than": _("应小于 {lt}"),
    "less_than_equal": _("应不大于 {le}"),
    "multiple_of": _("应为 {multiple_of} 的整数倍"),
    "too_short": _("至少 {min_length} 项"),
    "too_long": _("最多 {max_length} 项"),
    "literal_error": _("应为以下之一：{expected}"),
    "enum": _("应为以下之一：{expected}"),
    "list_type": _("应为列表"),
    "tuple_type": _("应为列表"),
    "set_type": _("应为列表"),
    "dict_type": _("应为 JSON 对象"),
    "model_type": _("应为 JSON 对象"),
    "model_attributes_type": _("应为 JSON 对象"),
    "json_invalid": _("不是有效的 JSON"),
    "json_type": _("应为 JSON 文本"),
    "date_type": _("应为日期（YYYY-MM-DD）"),
    "date_parsing": _("应为日期（YYYY-MM-DD）"),
    "date_from_datetime_parsing": _("应为日期（YYYY-MM-DD）"),
    "date_from_datetime_inexact": _("应为日期，不能带时间"),
    "date_past": _("应为过去的日期"),
    "date_future": _("应为将来的日期"),
    "datetime_type": _("应为日期时间（ISO 8601）"),
    "datetime_parsing": _("应为日期时间（ISO 8601）"),
    "datetime_from_date_parsing": _("应为日期时间（ISO 8601）"),
    "datetime_object_invalid": _("应为日期时间（ISO 8601）"),
    "datetime_past": _("应为过去的时间"),
    "datetime_future": _("应为将来的时间"),
    "timezone_naive": _("不应带时区"),
    "timezone_aware": _("应带时区"),
    "time_type": _("应为时间（HH:MM）"),
    "time_parsing": _("应为时间（HH:MM）"),
    "time_delta_type": _("应为时长"),
    "time_delta_parsing": _("应为时长"),
    "uuid_type": _("应为 UUID"),
    "uuid_parsing": _("应为 UUID"),
    "url_type": _("应为网址"),
    "url_parsing": _("应为网址"),
    "url_scheme": _("网址协议不被接受"),
    "url_too_long": _("网址过长"),
    "union_tag_invalid": _("类型不被接受"),
    "union_tag_not_found": _("缺少类型字段"),
    "is_instance_of": _("类型不正确"),
}
_CHINESE = re.compile(r"[\u4e00-\u9fff]")


def field_label(loc) -> str:
    """The field an error is about, as the caller named it: `rows[2].kw`, `limit`, or 请求体. In ninja's
    `("body", "payload", "name")` the second part is the view's parameter, not a key the caller sent."""
    loc = list(loc)
    if len(loc) >= 3 and loc[0] == "body":
        loc = loc[2:]
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "file", "header", "cookie")]
    label = ""
    for part in parts:
        label += f"[{part}]" if part.isdigit() else (f".{part}" if label else part)
    return label or str(_("请求体"))


def validation_message(error: dict) -> str:
    """One pydantic error (its `type`, `loc`, `ctx`) as a Chinese sentence naming the field."""
    own = str(error.get("msg") or "")
    custom = error.get("type") not in _MESSAGES and error.get("type") not in (
        "value_error",
        "assertion_error",
    )
    if custom and _CHINESE.search(own):  # a project rule's own message (the text rule) names the field itself
        return own
    ctx = dict(error.get("ctx") or {})
    if "expected" in ctx:
        ctx["expected"] = str(ctx["expected"]).replace(" or ", "、").replace(", ", "、")
    if error.get("type") in ("value_error", "assertion_error"):
        # A validator's own message: Chinese when the project wrote it; pydantic's English otherwise.
        reason = str(ctx.get("error") or error.get("msg") or "")
        reason = re.sub(r"^(Value|Assertion) error,?\s*", "", reason)
        text = reason if _CHINESE.search(reason) else str(_("取值无效"))
    else:
        template = _MESSAGES.get(error.get("type", ""))
        try:
            text = str(template).format(**ctx) if template else str(_("取值无效"))
        except (KeyError, IndexError, ValueError):
            text = str(_("取值无效"))
    return str(_("“{field}”{text}")).format(field=field_label(error.get("loc", ())), text=text)


def validation_detail(errors: list[dict], *, source: str | None = None) -> list[dict]:
    """pydantic's (or ninja's) error list as API v1's 422 `detail`: `loc` and `type` kept, `msg` in Chinese."""
    detail = []
    for error in errors:
        loc = list(error.get("loc", ()))
        if source and (not loc or loc[0] != source):
            loc = [source, *loc]
        detail.append({"type": error.get("type", ""), "loc": loc, "msg": validation_message(error)})
    return detail
