"""Forms of the field pages: the phone's check-in (the API parses the same fields with ninja)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from steelwatch.core.forms import Form, add_service_errors  # noqa: F401 - the views take it from here

from .models import CheckIn


class CheckInForm(Form):
    """One check-in as the phone page sends it; the checklist comes as the ticked keys (`checklist`)."""

    enterprise_id = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    inspection_id = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)
    latitude = forms.FloatField(label=_("纬度"), min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("经度"), min_value=-180, max_value=180)
    accuracy_m = forms.FloatField(label=_("定位精度（米）"), min_value=0, max_value=100_000)
    coord_system = forms.ChoiceField(
        label=_("坐标系"), choices=CheckIn.CoordSystem.choices, initial=CheckIn.CoordSystem.WGS84
    )
    checked_at = forms.DateTimeField(label=_("现场时间"), required=False)
    finding = forms.ChoiceField(label=_("检查结论"), choices=CheckIn.Finding.choices)
    note = forms.CharField(label=_("情况说明"), max_length=2000, required=False, widget=forms.Textarea)
    client_ref = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)
