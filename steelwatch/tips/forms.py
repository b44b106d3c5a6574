"""Forms for the public channel and staff pages. Validation of substance lives in the services."""

import secrets

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from steelwatch.core.forms import Form
from steelwatch.geo.models import Division
from steelwatch.geo.region import region

from .models import RewardRule, Tip

SENSITIVE_FIELDS = ("reporter_name", "reporter_phone", "reporter_contact", "key", "payment")
AREA_FIELDS = ("area_1", "area_2")  # the cascade's steps above district level: province, then city


def cascade_root(user=None) -> Division | None:
    """Where the "where" cascade starts: the deployment's region, or the staff user's own jurisdiction when
    it lies inside the region (None: the whole tree)."""
    root = region()
    own = getattr(user, "division", None) if getattr(user, "division_id", None) else None
    if own is not None and (root is None or own.code.startswith(root.prefix)):
        return own
    return root


def _children(node: Division | None):
    if node is None:
        return Division.objects.filter(level=Division.Level.PROVINCE)
    return Division.objects.filter(parent=node)


def cascade(root: Division | None, areas, division_code: str = "") -> tuple[list[dict], Division | None]:
    """The steps of the "where" cascade below `root`, and the area whose districts and townships the final
    list offers (None until every step above district level is chosen).

    A step is offered while the current area has children above district level (a province's cities, the
    country's provinces); a posted `division_code` inside the root chooses its own ancestors, so a complete
    choice is accepted whatever the steps say. Picks that are not children of the step above are ignored.
    """
    chosen = Division.objects.filter(code=division_code).first() if division_code else None
    if chosen is not None and (root is None or chosen.code.startswith(root.prefix)):
        lineage = {d.code for d in chosen.ancestors()}
    else:
        lineage = set()
    node: Division | None = root
    steps: list[dict] = []
    for name in AREA_FIELDS:
        if node is not None and (
            node.level >= Division.Level.DISTRICT
            or not _children(node).filter(level__lt=Division.Level.DISTRICT).exists()
        ):
            return steps, node
        options = list(_children(node).order_by("code"))
        picked = next((o for o in options if o.code in lineage), None)
        wanted = str(areas.get(name, "") or "") if areas is not None else ""
        picked = picked or next((o for o in options if o.code == wanted), None)
        steps.append(
            {
                "name": name,
                "label": _("省（自治区、直辖市）") if node is None else _("市（地区、州）或直管区县"),
                "choices": [("", _("请选择"))] + [(o.code, o.name) for o in options],
                "value": picked.code if picked else "",
            }
        )
        if picked is None:
            return steps, None
        node = picked
    return steps, node


def division_choices(area: Division | None) -> list[tuple[str, str]]:
    """The area's districts and their townships, for the final "where" drop-down."""
    choices: list[tuple[str, str]] = [("", str(_("请选择（已定位时可不选）")))]
    if area is None:
        return choices
    rows = list(
        Division.objects.filter(
            code__startswith=area.prefix, level__in=[Division.Level.DISTRICT, Division.Level.TOWNSHIP]
        ).order_by("code")
    )
    districts = {d.code: d.name for d in rows if d.level == Division.Level.DISTRICT}
    for d in rows:
        if d.level == Division.Level.DISTRICT:
            choices.append((d.code, str(_("{name}（不清楚街镇）")).format(name=d.name)))
        else:
            district = districts.get(d.code[:6], "")
            choices.append((d.code, f"{district} · {d.name}" if district else d.name))
    return choices


class TipForm(Form):
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

    def __init__(self, *args, root: Division | None = None, areas=None, **kwargs):
        """`root`: where the cascade starts (see `cascade_root`); `areas`: the steps chosen so far (the
        posted data, or the query string of the page that redraws the cascade)."""
        super().__init__(*args, **kwargs)
        source = self.data if self.is_bound else (areas if areas is not None else self.initial)
        code = str(source.get("division_code", "") or "") if source is not None else ""
        self.area_steps, area = cascade(root, source, code)
        self.fields["division_code"].choices = division_choices(area)  # type: ignore[attr-defined]
        self.area_chosen = area is not None
        if not self.is_bound:
            self.initial.setdefault("submission", secrets.token_urlsafe(24))
            self.initial.setdefault("division_code", code)

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


class LookupForm(Form):
    receipt = forms.CharField(label=_("回执编号"), max_length=20)
    key = forms.CharField(label=_("查询密钥"), max_length=64, widget=forms.PasswordInput(render_value=True))


class RewardProposeForm(Form):
    rule = forms.ModelChoiceField(
        label=_("奖励情形"), queryset=RewardRule.objects.filter(active=True), empty_label=_("请选择")
    )


class RewardPayForm(Form):
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
