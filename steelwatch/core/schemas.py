"""The text rule (steelwatch.core.text) in the API: request schemas derive from `InputSchema`, loose
parameters (a path, query, form or header string) are typed `TextParam("中文名")`.

    class ThingIn(InputSchema):
        name: str = Field(description="名称", max_length=64)           # checked, label "名称"
        note: Multiline = Field("", description="说明")                 # multi-line allowed

    class ThingPatch(PatchSchema):                                      # explicit null refused …
        nullable = ("status_date",)                                     # … except where it clears a value

    def get_thing(request, code: TextParam("户号")): ...

Every string (also inside lists) is normalised and checked before pydantic's own constraints, so a 422 reads
"名称含有不可见的控制字符 U+0000（第3个字符），请删除后重试" with the field's location. The field's label
is its description up to the first bracket or punctuation (the descriptions are Chinese), else
`FIELD_LABELS`. Response schemas stay plain `ninja.Schema`: stored text is never re-checked on the way out.
"""

import re
import typing
from typing import Annotated, Any, ClassVar

from annotated_types import MaxLen
from ninja import Schema
from pydantic import field_validator
from pydantic_core import PydanticCustomError, core_schema

from .text import clean_text

# Labels of parameters that carry no description.
FIELD_LABELS = {
    "q": "关键字",
    "title": "名称",
    "name": "名称",
    "source": "来源",
    "source_ref": "来源编号",
    "state": "状态",
    "status": "状态",
    "level": "等级",
    "division": "行政区划代码",
    "division_code": "行政区划代码",
    "enterprise_uscc": "统一社会信用代码",
    "uscc": "统一社会信用代码",
    "description": "案情",
    "address": "地址",
    "reason": "理由",
    "note": "说明",
    "findings": "核查结论",
    "content": "举报内容",
    "occurred": "发生时间",
    "phone": "联系电话",
    "contact": "联系方式",
    "to": "目标状态",
    "aspect": "核查方面",
    "department": "部门",
    "kind": "类型",
    "licence": "许可证",
    "account_id": "电力户号",
    "item": "验收项目",
    "receipt": "回执编号",
    "x_tip_key": "查询密钥",
    "checks": "检查项目",
    "safety_assessor": "安全评估机构",
    "transfer_to": "移交至",
    "closure_kind": "处置方式",
    "owner_username": "承办人",
    "licence_number": "许可证编号",
    "supervisor_username": "监管责任人",
}
_LABEL_END = re.compile(r"[（(：:，,；;。]")


class MultilineText:
    """Metadata: this string may hold line breaks and tabs (and gets the multi-line bound)."""


Multiline = Annotated[str, MultilineText()]


def field_label(name: str, description: str | None) -> str:
    """The Chinese name of a field: its description's first words, else FIELD_LABELS, else the key."""
    if description:
        label = _LABEL_END.split(description, 1)[0].strip()
        if label:
            return label
    return FIELD_LABELS.get(name, name)


def _checked(value: Any, *, label: str, multiline: bool, max_length: int | None) -> Any:
    if isinstance(value, str):
        try:
            return clean_text(value, label=label, multiline=multiline, max_length=max_length)
        except Exception as exc:  # ValidationError from the rule → a pydantic error with the same words
            message = "；".join(getattr(exc, "messages", [str(exc)]))
            raise PydanticCustomError("text", "{message}", {"message": message}) from None
    if isinstance(value, list):  # a list's max_length counts its items: each string gets the default bound
        return [_checked(v, label=label, multiline=multiline, max_length=None) for v in value]
    return value


class InputSchema(Schema):
    """A request schema: every string field (and string list) goes through the text rule."""

    @field_validator("*", mode="before")
    @classmethod
    def _text_rule(cls, value, info):
        field = cls.model_fields[info.field_name]
        if value is None:
            cls._check_null(info.field_name, field)
            return value
        max_length = next((m.max_length for m in field.metadata if isinstance(m, MaxLen)), None)
        multiline = any(isinstance(m, MultilineText) for m in field.metadata)
        return _checked(
            value,
            label=field_label(info.field_name, field.description),
            multiline=multiline,
            max_length=max_length,
        )

    @classmethod
    def _check_null(cls, name: str, field) -> None:
        """An explicit null where the schema allows it (plain input schemas: wherever the type does)."""


class PatchSchema(InputSchema):
    """A partial update: an omitted field is left alone; an explicit null is refused (it would clear a value
    the database requires), except for the fields listed in `nullable`, where null clears the value."""

    nullable: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def _check_null(cls, name: str, field) -> None:
        if name not in cls.nullable:
            raise PydanticCustomError(
                "null",
                "{label}不能为空值（null）；不修改该项请省略",
                {"label": field_label(name, field.description)},
            )


_NOT_A_FORM = object()


class _TextParamRule:
    def __init__(self, label: str, multiline: bool, max_length: int | None):
        self.label, self.multiline, self.max_length = label, multiline, max_length

    def __get_pydantic_core_schema__(self, source, handler):
        return core_schema.no_info_before_validator_function(
            lambda value: _checked(
                value, label=self.label, multiline=self.multiline, max_length=self.max_length
            ),
            handler(source),
        )


def TextParam(  # noqa: N802 - used as a type
    label: str, *, multiline: bool = False, max_length: int | None = None, form: Any = _NOT_A_FORM
) -> Any:
    """The type of a loose string parameter (path, query, header) under the text rule. A form field passes
    its default as `form=""` (or `form=...` when required): `note: TextParam("说明", form="") = ""` would lose
    the default in django-ninja, so the Form marker is built here with it. A list of form values:
    `Form[list[TextParam("名称")]] = None`."""
    rule = _TextParamRule(label, multiline, max_length)
    if form is not _NOT_A_FORM:
        from ninja import Form

        return Annotated[str, rule, Form(form)]
    return Annotated[str, rule]


def is_text_checked(model: type, name: str) -> bool:
    """Does field `name` of pydantic `model` go through the text rule? (for the tests that walk the API)"""
    if isinstance(model, type) and issubclass(model, InputSchema):
        return True
    field = model.model_fields[name]
    return any(isinstance(m, _TextParamRule) for m in field.metadata) or _annotated_rule(field.annotation)


def _annotated_rule(annotation) -> bool:
    """The rule anywhere in the annotation (list[TextParam(...)], TextParam(...) | None …)."""
    if any(isinstance(m, _TextParamRule) for m in getattr(annotation, "__metadata__", ())):
        return True
    return any(_annotated_rule(arg) for arg in typing.get_args(annotation))
