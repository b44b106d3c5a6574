from django import forms
from django.utils.translation import gettext_lazy as _

from steelwatch.core.forms import Form

from .models import Alert


class ReadingsUploadForm(Form):
    file = forms.FileField(
        label=_("读数文件（.csv 或 .parquet）"),
        help_text=_(
            "列：account_id（电力户号）、ts（北京时间，时段起点）、kw（时段平均有功功率）；15 分钟一点"
        ),
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

    def __init__(self, data, *, divisions):
        super().__init__(data)
        self.fields["division"].choices = [("", _("全部")), *((d.code, d.name) for d in divisions)]

    def filters(self) -> dict:
        """The valid filters (an invalid one is dropped, not applied as 'anything')."""
        self.is_valid()
        return {
            name: self.cleaned_data.get(name, "")
            for name in ("division", "level", "status")
            if name not in self.errors
        }
