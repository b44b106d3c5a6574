"""Grid and village forms: they shape input only; geo.services checks codes, villages and the boundary."""

from django import forms
from django.utils.translation import gettext_lazy as _

from steelwatch.core.forms import EMPTY_LABEL, Form, SuggestInput


class GridForm(Form):
    code = forms.CharField(label=_("网格编号"), max_length=32)
    name = forms.CharField(label=_("网格名称"), max_length=64)
    division = forms.ChoiceField(label=_("所属街镇"))
    villages = forms.MultipleChoiceField(
        label=_("包含村社区"), required=False, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(
        label=_("范围说明"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    boundary = forms.CharField(
        label=_("网格边界（GeoJSON，可选）"),
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "mono"}),
        help_text=_('Polygon 或 MultiPolygon，例如 {"type": "Polygon", "coordinates": [[[119.9, 31.7], …]]}'),
    )

    def __init__(self, *args, township_choices, village_choices, instance=None, **kwargs):
        if instance is not None:
            import json

            kwargs.setdefault(
                "initial",
                {
                    "code": instance.code,
                    "name": instance.name,
                    "division": instance.division_id,
                    "villages": list(instance.villages.values_list("code", flat=True)),
                    "description": instance.description,
                    "boundary": json.dumps(instance.boundary, ensure_ascii=False)
                    if instance.boundary
                    else "",
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["division"].choices = [("", EMPTY_LABEL), *township_choices]
        self.fields["villages"].choices = village_choices
        if instance is not None:
            self.fields["code"].disabled = True


class OfficerAssignForm(Form):
    officer = forms.ChoiceField(label=_("已有网格员"))

    def __init__(self, *args, officer_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].choices = [("", EMPTY_LABEL), *officer_choices]


class VillageForm(Form):
    code = forms.CharField(
        label=_("行政区划代码"), min_length=12, max_length=12, help_text=_("12位；前9位为所属街镇")
    )
    name = forms.CharField(label=_("名称"), max_length=64)


class DivisionPicker(SuggestInput):
    """A division-code field that offers districts and townships (with `villages`, their villages and
    communities too) by name or code as one types: within the user's own area, or (scope "region") anywhere
    in the deployment, e.g. where a case is transferred to."""

    url_name = "geo:division_suggest"

    def __init__(self, attrs=None, *, scope: str = "mine", villages: bool = False):
        placeholder = _("输入区县、街镇、村社区名称或代码") if villages else _("输入区县、街镇名称或代码")
        super().__init__(attrs, placeholder=placeholder)
        query = ([f"scope={scope}"] if scope != "mine" else []) + (["deepest=village"] if villages else [])
        self.query = "&".join(query)
