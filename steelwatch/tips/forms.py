"""Forms for the public channel and staff pages. Validation of substance lives in the services."""

import secrets

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from steelwatch.geo.models import Division

from .models import RewardRule, Tip
from .services import city_code

SENSITIVE_FIELDS = ("reporter_name", "reporter_phone", "reporter_contact", "key", "payment")


def division_choices() -> list[tuple[str, str]]:
    """The city's districts and their townships, for the "where" drop-down."""
    city = Division.objects.get(code=city_code())
    rows = Division.objects.filter(
        code__startswith=city.prefix, level__in=[Division.Level.DISTRICT, Division.Level.TOWNSHIP]
    )
    districts = {d.code: d.name for d in rows if d.level == Division.Level.DISTRICT}
    choices = [("", _("请选择（已定位时可不选）"))]
    for d in sorted(rows, key=lambda d: d.code):
        if d.level == Division.Level.DISTRICT:
            choices.append((d.code, _("{name}（不清楚街镇）").format(name=d.name)))
        else:
            choices.append((d.code, f"{districts.get(d.code[:6], '')} · {d.name}"))
    return choices


class TipForm(forms.Form):
    content = forms.CharField(
        label=_("举报内容（看到了什么）"),
        max_length=5000,
        widget=forms.Textarea(
            attrs={"rows": 5, "placeholder": _("例如：夜间有中频炉冶炼，冒黑烟，有货车运出钢坯")}
        ),
    )
    address = forms.CharField(label=_("地点（地址或附近标志物）"), max_length=256)
    division_code = forms.ChoiceField(label=_("所在区县/街镇"), required=False)
    lat = forms.FloatField(label=_("纬度"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("经度"), required=False, min_value=-180, max_value=180)
    occurred = forms.CharField(
        label=_("发生时间"),
        max_length=64,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("例如：最近一周每天夜里")}),
    )
    reporter_name = forms.CharField(label=_("姓名（选填）"), max_length=64, required=False)
    reporter_phone = forms.CharField(
        label=_("联系电话（选填）"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    reporter_contact = forms.CharField(
        label=_("其他联系方式（选填）"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    # One-time token: the same form posted twice (reload, double click) makes one tip.
    submission = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division_code"].choices = division_choices()
        if not self.is_bound:
            self.initial["submission"] = secrets.token_urlsafe(24)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "content": data["content"],
            "address": data["address"],
            "occurred": data["occurred"],
            "division_code": data["division_code"],
            "latitude": data["lat"],
            "longitude": data["lon"],
            "reporter": {
                "name": data["reporter_name"],
                "phone": data["reporter_phone"],
                "contact": data["reporter_contact"],
            },
            "submission": data["submission"],
        }


class IntakeForm(TipForm):
    channel = forms.ChoiceField(label=_("举报渠道"), choices=[(c.value, c.label) for c in Tip.STAFF_CHANNELS])
    field_order = ["channel"]


class LookupForm(forms.Form):
    receipt = forms.CharField(label=_("回执编号"), max_length=20)
    key = forms.CharField(label=_("查询密钥"), max_length=64, widget=forms.PasswordInput(render_value=True))


class RewardProposeForm(forms.Form):
    rule = forms.ModelChoiceField(
        label=_("奖励情形"), queryset=RewardRule.objects.filter(active=True), empty_label=_("请选择")
    )


class RewardPayForm(forms.Form):
    paid_on = forms.DateField(
        label=_("发放日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    amount = forms.DecimalField(label=_("发放金额（元）"), max_digits=9, decimal_places=2)
    reference = forms.CharField(label=_("发放凭证号"), max_length=64, required=False)


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form, on the field it names where the form has it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            messages = [m for e in errors for m in e.messages]
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, exc.messages)
