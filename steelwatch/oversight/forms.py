"""Forms of the oversight pages. A campaign's phases, tasks and report rounds are typed one per line
(“名称 | 开始 | 结束”), as an office writes them in its work plan; each line is checked and named in errors."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steelwatch.accounts.roles import Department
from steelwatch.core.forms import TextRuleMixin

from .models import PledgeRound

DEPARTMENT_BY_LABEL = {str(label): value for value, label in Department.choices}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date(text: str, line: int, what: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(
            _("第%(line)d行：%(what)s应为 YYYY-MM-DD，实际为“%(text)s”")
            % {"line": line, "what": what, "text": text.strip()}
        ) from None


def _department(text: str, line: int) -> str:
    text = text.strip()
    if text in DEPARTMENT_BY_LABEL.values():
        return text
    if text in DEPARTMENT_BY_LABEL:
        return DEPARTMENT_BY_LABEL[text]
    raise ValidationError(_("第%(line)d行：未知部门“%(text)s”") % {"line": line, "text": text})


def _lines(value: str, parts: int, example: str) -> list[tuple[int, list[str]]]:
    out = []
    for number, raw in enumerate(value.splitlines(), start=1):
        if not raw.strip():
            continue
        cells = [c.strip() for c in raw.replace("｜", "|").split("|")]
        if len(cells) != parts:
            raise ValidationError(
                _("第%(line)d行应有%(n)d项，用“|”分隔，如：%(example)s")
                % {"line": number, "n": parts, "example": example}
            )
        out.append((number, cells))
    return out


class CampaignForm(TextRuleMixin, forms.Form):
    title = forms.CharField(label=gettext_lazy("专项行动名称"), max_length=200)
    document_number = forms.CharField(label=gettext_lazy("文号"), max_length=64, required=False)
    goals = forms.CharField(
        label=gettext_lazy("工作目标"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )
    starts_on = forms.DateField(label=gettext_lazy("开始日期"), widget=DATE)
    ends_on = forms.DateField(label=gettext_lazy("结束日期"), widget=DATE)
    phases = forms.CharField(
        label=gettext_lazy("阶段（每行：名称 | 开始 | 结束）"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "全面梳理排查 | 2026-05-01 | 2026-05-03"}),
    )
    tasks = forms.CharField(
        label=gettext_lazy("任务（每行：任务 | 责任单位 | 配合单位（用、分隔） | 完成时限）"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "placeholder": "拉网式梳理排查 | 工业和信息化 | 发展改革、市场监管 | 2026-05-03",
            }
        ),
    )
    report_rounds = forms.CharField(
        label=gettext_lazy("报送轮次（每行：事项 | 截止日期）"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "第一次信息报送 | 2026-05-02"}),
    )

    def clean_phases(self):
        return [
            {"name": n, "starts_on": _date(s, i, _("开始日期")), "ends_on": _date(e, i, _("结束日期"))}
            for i, (n, s, e) in _lines(
                self.cleaned_data["phases"], 3, "全面梳理排查 | 2026-05-01 | 2026-05-03"
            )
        ]

    def clean_tasks(self):
        return [
            {
                "title": t,
                "lead_department": _department(lead, i),
                "supporting_departments": [
                    _department(d, i) for d in support.replace(",", "、").split("、") if d.strip()
                ],
                "due_on": _date(due, i, _("完成时限")),
            }
            for i, (t, lead, support, due) in _lines(
                self.cleaned_data["tasks"], 4, "任务 | 工业和信息化 | 市场监管 | 2026-05-03"
            )
        ]

    def clean_report_rounds(self):
        return [
            {"title": t, "due_on": _date(due, i, _("截止日期"))}
            for i, (t, due) in _lines(self.cleaned_data["report_rounds"], 2, "第一次信息报送 | 2026-05-02")
        ]


class CopyForm(TextRuleMixin, forms.Form):
    starts_on = forms.DateField(label=gettext_lazy("新行动开始日期"), widget=DATE)
    title = forms.CharField(label=gettext_lazy("名称"), max_length=200, required=False)
    document_number = forms.CharField(label=gettext_lazy("文号"), max_length=64, required=False)


class TaskProgressForm(TextRuleMixin, forms.Form):
    progress = forms.CharField(
        label=gettext_lazy("进展情况"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )
    done = forms.BooleanField(label=gettext_lazy("已完成"), required=False)
    evidence = forms.FileField(label=gettext_lazy("佐证材料（照片或PDF）"), required=False)


class SubmissionForm(TextRuleMixin, forms.Form):
    text = forms.CharField(
        label=gettext_lazy("工作情况"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000
    )
    attachment = forms.FileField(label=gettext_lazy("附件（PDF或照片）"), required=False)

    def __init__(self, *args, figures: list[tuple[str, str, int]], **kwargs):
        super().__init__(*args, **kwargs)
        for key, label, value in figures:
            self.fields[f"figure_{key}"] = forms.IntegerField(
                label=label, min_value=0, max_value=10_000_000, initial=value
            )

    def figures(self) -> dict:
        return {k[len("figure_") :]: v for k, v in self.cleaned_data.items() if k.startswith("figure_")}


class PledgeRoundForm(TextRuleMixin, forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=PledgeRound.Kind.choices)
    title = forms.CharField(label=gettext_lazy("名称"), max_length=200)
    text = forms.CharField(
        label=gettext_lazy("承诺内容"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20000
    )
    due_on = forms.DateField(label=gettext_lazy("签订截止日期"), widget=DATE)
    levels = forms.MultipleChoiceField(
        label=gettext_lazy("签订层级"), choices=PledgeRound.Level.choices, widget=forms.CheckboxSelectMultiple
    )


class SignForm(TextRuleMixin, forms.Form):
    unit = forms.CharField(label=gettext_lazy("签订单位（区划代码或企业统一社会信用代码）"), max_length=18)
    signer = forms.CharField(label=gettext_lazy("签订人"), max_length=64)
    signed_on = forms.DateField(label=gettext_lazy("签订日期"), widget=DATE)
    scan = forms.FileField(label=gettext_lazy("签字盖章扫描件（PDF或照片）"))


class SummonsForm(TextRuleMixin, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("约谈事由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )
    held_on = forms.DateField(label=gettext_lazy("约谈日期"), widget=DATE)
    place = forms.CharField(label=gettext_lazy("地点"), max_length=120, required=False)
    attendees = forms.CharField(label=gettext_lazy("参加人员"), max_length=2000, required=False)
    minutes = forms.CharField(
        label=gettext_lazy("约谈记录"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20000,
        required=False,
    )


class RectificationForm(TextRuleMixin, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("整改事项"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )
    owner = forms.CharField(label=gettext_lazy("责任人"), max_length=64, required=False)
    due_on = forms.DateField(label=gettext_lazy("整改时限"), widget=DATE)


class RectificationActionForm(TextRuleMixin, forms.Form):
    action = forms.CharField(max_length=16)
    report = forms.CharField(
        label=gettext_lazy("整改情况"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=20000,
        required=False,
    )
    note = forms.CharField(label=gettext_lazy("验收意见"), max_length=2000, required=False)
    evidence = forms.FileField(label=gettext_lazy("佐证材料"), required=False)


class EvaluationForm(TextRuleMixin, forms.Form):
    period_start = forms.DateField(label=gettext_lazy("评估起始日"), widget=DATE)
    period_end = forms.DateField(label=gettext_lazy("评估截止日"), widget=DATE)


class IssueForm(TextRuleMixin, forms.Form):
    document_number = forms.CharField(label=gettext_lazy("文号"), max_length=64, required=False)
    recipients = forms.CharField(label=gettext_lazy("主送"), max_length=300, required=False)
