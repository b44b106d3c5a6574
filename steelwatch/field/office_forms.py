"""Forms of the office's field pages. Built from the models' fields (labels, choices, lengths) but never
touching an instance: `values()` gives what the service writes, so the audit sees the before and after.
An enterprise is picked by name or USCC, a division by name or code; the view resolves both through the
access layer."""

from django import forms
from django.forms.models import fields_for_model, model_to_dict
from django.utils.translation import gettext_lazy as _

from steelwatch.core.forms import Form, localize_empty_choices
from steelwatch.geo.forms import DivisionPicker
from steelwatch.registry.forms import EnterprisePicker

from .models import (
    BudgetLine,
    Camera,
    CapacityCut,
    Expert,
    HazardFinding,
    InspectionItem,
    PatrolPlan,
    TrainingSession,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ModelFieldsForm(Form):
    """A form of `field_names` of `model`; `enterprise` and `division` become pickers (`enterprise_uscc`,
    `division_code`) when listed in `pickers`."""

    model: type | None = None
    field_names: list[str] = []
    pickers: tuple[str, ...] = ()

    def __init__(self, *args, instance=None, user=None, **kwargs):
        if instance is not None and instance.pk:
            initial = model_to_dict(instance, fields=self.field_names)
            if "enterprise" in self.pickers:
                initial["enterprise_uscc"] = instance.enterprise.uscc
            if "division" in self.pickers:
                initial["division_code"] = instance.division_id
            kwargs.setdefault("initial", initial)
        self.user = user
        super().__init__(*args, **kwargs)
        widgets = {}
        for name in self.field_names:
            kind = self.model._meta.get_field(name).get_internal_type()
            if kind == "DateField":
                widgets[name] = DATE
            elif kind == "DateTimeField":
                widgets[name] = DATETIME
        generated = fields_for_model(self.model, fields=self.field_names, widgets=widgets)
        own = {}
        if "enterprise" in self.pickers:
            own["enterprise_uscc"] = forms.CharField(
                label=_("企业"), max_length=64, widget=EnterprisePicker()
            )
        if "division" in self.pickers:
            own["division_code"] = forms.CharField(
                label=_("单位（行政区划）"), max_length=12, widget=DivisionPicker()
            )
        self.fields = {**own, **generated, **self.fields}
        localize_empty_choices(self)

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.field_names}


class CameraForm(ModelFieldsForm):
    model = Camera
    field_names = ["position", "stream_url", "snapshot_url", "owner", "status", "last_snapshot_at"]
    pickers = ("enterprise",)


class ExpertForm(ModelFieldsForm):
    model = Expert
    field_names = ["name", "field", "organisation", "contact", "conflicts", "active"]


class TrainingForm(ModelFieldsForm):
    model = TrainingSession
    field_names = ["topic", "date", "trainer"]
    pickers = ("division",)


class BudgetLineForm(ModelFieldsForm):
    model = BudgetLine
    field_names = ["year", "category", "amount"]
    pickers = ("division",)


class ItemForm(ModelFieldsForm):
    model = InspectionItem
    field_names = ["code", "name", "kind", "sampling_ratio", "basis", "active"]


class HazardForm(ModelFieldsForm):
    model = HazardFinding
    field_names = ["hazard", "found_on", "note"]
    pickers = ("enterprise",)


class CapacityCutForm(ModelFieldsForm):
    model = CapacityCut
    field_names = ["document", "listed_on", "deadline"]
    pickers = ("enterprise",)


class PlanForm(ModelFieldsForm):
    model = PatrolPlan
    field_names = ["grid", "sites", "every_days", "active"]

    def __init__(self, *args, grids=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids
        localize_empty_choices(self)


class InspectorForm(Form):
    user = forms.ChoiceField(label=_("人员"))
    department = forms.CharField(label=_("所在部门"), max_length=64)

    def __init__(self, *args, user_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", _("请选择")), *user_choices]


class InterestForm(Form):
    enterprise_uscc = forms.CharField(label=_("企业"), max_length=64, widget=EnterprisePicker())
    reason = forms.CharField(label=_("利害关系"), max_length=256)


class ReinspectForm(Form):
    fixed = forms.BooleanField(label=_("复查通过（已整改）"), required=False)
    on = forms.DateField(label=_("复查日期"), widget=DATE)
    note = forms.CharField(
        label=_("复查情况"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ConsultationForm(Form):
    case_id = forms.IntegerField(label=_("案件编号"), min_value=1)
    question = forms.CharField(label=_("咨询问题"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class OpinionForm(Form):
    opinion = forms.CharField(label=_("专家意见"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    answered_on = forms.DateField(label=_("意见日期"), widget=DATE)


class SpendingForm(Form):
    date = forms.DateField(label=_("支出日期"), widget=DATE)
    amount = forms.DecimalField(label=_("金额（元）"), max_digits=12, decimal_places=2, min_value=0)
    description = forms.CharField(label=_("用途"), max_length=256)


class DrawForm(Form):
    item = forms.ChoiceField(label=_("检查事项"))
    division_code = forms.CharField(label=_("抽查区域"), max_length=12, widget=DivisionPicker())
    status = forms.ChoiceField(label=_("企业状态"), required=False)
    flag = forms.ChoiceField(label=_("企业类别"), required=False)
    watchlist = forms.BooleanField(label=_("仅重点监控企业"), required=False)
    credit = forms.ChoiceField(
        label=_("信用类别"),
        required=False,
        choices=[("", _("全部")), ("listed", _("列入信用名单的企业")), ("serious", _("严重违法失信名单")),
                 ("abnormal", _("经营异常名录"))],
    )  # fmt: skip
    targets = forms.IntegerField(label=_("抽取对象数"), min_value=1, max_value=10_000)
    inspectors_per_target = forms.IntegerField(
        label=_("每户检查人员数"), min_value=2, max_value=10, initial=2
    )

    def __init__(self, *args, items=(), statuses=(), flags=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", _("请选择")), *items]
        self.fields["status"].choices = [("", _("全部")), *statuses]
        self.fields["flag"].choices = [("", _("全部")), *flags]

    def target_filter(self) -> dict:
        data = self.cleaned_data
        found = {
            "status": data["status"],
            "flag": data["flag"],
            "watchlist": data["watchlist"],
            "credit": data["credit"],
        }
        return {key: value for key, value in found.items() if value}


class RunForm(Form):
    announced_value = forms.CharField(
        label=_("公开随机值"), max_length=128, help_text=_("事先公布来源的值，如当期福彩开奖号码，照原样录入")
    )
