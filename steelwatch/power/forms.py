from django import forms
from django.utils.translation import gettext_lazy as _

from steelwatch.core.forms import Form

from .models import Alert, DetectionRun


class ReadingsUploadForm(Form):
    file = forms.FileField(
        label=_("读数文件（.csv 或 .parquet）"),
        help_text=_(
            "列：account_id（电力户号）、ts（时段起点；北京时间，或带时区如 Z / +08:00，也可为 2026/11/01 00:15、"
            "2026年11月01日 00:15、Unix 秒或毫秒）、kw（时段平均有功功率；或 kwh 时段电量）。"
            "5、15、30、60 分钟读数与日电量（account_id, date, kwh）均可，间隔按户自动识别；UTF-8 或 GBK 编码"
        ),
    )
    interval = forms.TypedChoiceField(
        label=_("读数间隔"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("自动识别")), *DetectionRun.Interval.choices],
        help_text=_("可不填：按时间戳逐户识别；填写后与识别结果核对"),
    )


class DismissForm(Form):
    reason = forms.CharField(
        label=_("排除理由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("必填：说明为何不属于违法用电，例如经现场核实为合法热处理、蓄热锅炉等"),
    )


class AlertFilterForm(Form):
    division = forms.ChoiceField(label=_("区域"), required=False)
    level = forms.ChoiceField(
        label=_("等级"), required=False, choices=[("", _("全部")), *Alert.Level.choices]
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *Alert.Status.choices]
    )

    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"placeholder": _("企业名称/统一社会信用代码/电力户号")}),
    )
    sort = forms.ChoiceField(
        label=_("排序"),
        required=False,
        choices=[
            ("score", _("评分从高到低")),
            ("new", _("数据期间最新在前")),
            ("old", _("数据期间最早在前")),
            ("tonnes", _("估算熔炼量从大到小")),
        ],
    )

    def __init__(self, data, *, divisions: list[tuple[str, str]]):
        super().__init__(data)
        self.fields["division"].choices = [("", _("全部")), *divisions]  # type: ignore[attr-defined]

    def filters(self) -> dict:
        """The valid filters (an invalid one is dropped, not applied as 'anything')."""
        self.is_valid()
        return {
            name: self.cleaned_data.get(name) or ""
            for name in ("division", "level", "status", "q", "sort")
            if name not in self.errors
        }
