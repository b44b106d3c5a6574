"""Ledger forms. They only shape input: every check that matters (USCC, division in the user's
jurisdiction, uniqueness) is done by registry.services, whose ValidationError is put back on the form
with `add_service_errors`."""

from django import forms
from django.forms.models import fields_for_model, model_to_dict
from django.utils.translation import gettext_lazy as _

from steelwatch.core.access import scope_to_jurisdiction
from steelwatch.core.forms import (  # noqa: F401
    EMPTY_LABEL,
    Form,
    SuggestInput,
    add_service_errors,
    localize_empty_choices,
)
from steelwatch.geo.forms import DivisionPicker
from steelwatch.geo.models import Division, Grid
from steelwatch.geo.selectors import division_code_for

from .models import Enterprise, Furnace, PowerAccount, ProductionLicence
from .services import WATCHLIST_CRITERIA

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EnterprisePicker(SuggestInput):
    """A USCC field that offers the user's ledger enterprises by name or code as one types (picking one puts
    its USCC in the field)."""

    url_name = "registry:enterprise_suggest"

    def __init__(self, attrs=None):
        super().__init__(attrs, placeholder=_("输入企业名称或信用代码"))


class AccountPicker(SuggestInput):
    """A power-account number field that offers the user's accounts by number or enterprise name."""

    url_name = "registry:account_suggest"

    def __init__(self, attrs=None):
        super().__init__(attrs, placeholder=_("输入电力户号或企业名称"))


class LedgerForm(Form):
    """A plain form built from a ledger model's fields (labels, choices, lengths) that never touches
    the instance itself: `changes()` gives the keyword arguments for the service."""

    model = None
    field_names: list[str] = []
    reason = forms.CharField(
        label=_("变更原因"),
        max_length=256,
        required=False,
        help_text=_("修改已有记录时建议填写，记入变更历史"),
    )

    def __init__(self, *args, user, instance=None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", model_to_dict(instance, fields=self.field_names + ["division"]))
        super().__init__(*args, **kwargs)
        generated = fields_for_model(
            self.model,
            fields=self.field_names,
            widgets={name: DATE for name in self.field_names if "date" in name or name.startswith("valid_")},
        )
        # Model fields first, then the form's own (division, reason …).
        own = dict(self.fields)
        self.fields = {**generated, **own}
        self.user, self.instance = user, instance
        if "reason" in self.fields and instance is None:
            del self.fields["reason"]
        localize_empty_choices(self)  # the generated model fields' selects too

    def changes(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in {"reason", "division"}}
        if "division" in self.cleaned_data:
            data["division_id"] = self.cleaned_data["division"]
        return data


class DivisionField(forms.CharField):
    """Where a ledger record is: a district, township or village of the user's subtree, picked by name or code
    as one types (a name typed whole is taken for its one code); the service checks it exists and is in scope."""

    def __init__(self, **kwargs):
        super().__init__(label=_("行政区划"), max_length=64, widget=DivisionPicker(villages=True), **kwargs)


def _with_division_picker(form: LedgerForm) -> None:
    """The field names the current division beside its code (an edit form opens with the code)."""
    current = Division.objects.filter(pk=form.initial.get("division") or "").first()
    if current is not None:
        form.fields["division"].help_text = _("当前：{name}（{code}）").format(
            name=current.area_name, code=current.code
        )


class PickedDivision:
    """The form's `division` as a code: a name typed whole (a village's too) becomes its one code in reach."""

    user: object
    cleaned_data: dict

    def clean_division(self) -> str:
        return division_code_for(self.user, self.cleaned_data["division"], deepest=Division.Level.VILLAGE)


class EnterpriseForm(PickedDivision, LedgerForm):
    model = Enterprise
    field_names = [
        "uscc",
        "registration_number",
        "name",
        "legal_representative",
        "address",
        "industry",
        "status",
        "longitude",
        "latitude",
        "grid",
        "is_foundry",
        "is_special_steel",
        "formerly_banned",
        "on_ledger",
    ]
    division = DivisionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _with_division_picker(self)
        self.fields["grid"].queryset = scope_to_jurisdiction(Grid.objects.all(), self.user)


class FurnaceForm(LedgerForm):
    model = Furnace
    field_names = [
        "number",
        "kind",
        "capacity_t",
        "rated_kw",
        "purpose",
        "legitimacy_basis",
        "status",
        "status_date",
    ]
    reason = forms.CharField(
        label=_("状态变更说明"),
        max_length=256,
        required=False,
        help_text=_("如：已封存，封条编号××；记入设备状态历史"),
    )


class PowerAccountForm(PickedDivision, LedgerForm):
    model = PowerAccount
    field_names = ["account_id", "address", "contracted_kva", "transformer", "industry", "closed_site_watch"]
    division = DivisionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _with_division_picker(self)


class LicenceForm(LedgerForm):
    model = ProductionLicence
    field_names = ["number", "scope", "valid_from", "valid_until", "status"]

    def clean(self):
        data = super().clean()
        if data.get("valid_from") and data.get("valid_until") and data["valid_until"] < data["valid_from"]:
            self.add_error("valid_until", _("有效期至不能早于有效期起"))
        return data


class WatchlistAddForm(Form):
    criterion = forms.ChoiceField(label=_("列入标准"), choices=list(WATCHLIST_CRITERIA.items()))
    reason = forms.CharField(label=_("具体情况"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(Form):
    reason = forms.CharField(label=_("原因"), max_length=256, widget=forms.Textarea(attrs={"rows": 2}))


class SupervisorForm(Form):
    supervisor = forms.TypedChoiceField(label=_("监管责任人"), coerce=int, empty_value=None, required=False)
    reason = forms.CharField(label=_("说明"), max_length=256, required=False)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {u.pk: u for u in candidates}
        self.fields["supervisor"].choices = [("", EMPTY_LABEL)] + [
            (u.pk, f"{u}（{u.get_role_display()}）") for u in candidates
        ]

    def clean_supervisor(self):
        pk = self.cleaned_data["supervisor"]
        return self.candidates.get(pk) if pk else None


class CapacityRequestForm(Form):
    requested_on = forms.DateField(label=_("申请日期"), widget=DATE)
    to_kva = forms.DecimalField(label=_("申请容量(kVA)"), max_digits=10, decimal_places=1, min_value=0)
    reason = forms.CharField(label=_("申请理由"), max_length=256, required=False)


class CapacityDecisionForm(Form):
    approve = forms.TypedChoiceField(
        label=_("审核结果"), coerce=lambda v: v == "1", choices=[("1", _("批准")), ("0", _("驳回"))]
    )
    reason = forms.CharField(label=_("审核意见"), max_length=256, required=False)
