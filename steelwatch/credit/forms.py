"""Credit-list forms: they shape input; every rule that matters is checked by the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from steelwatch.accounts.roles import Department
from steelwatch.core.forms import Form
from steelwatch.geo.forms import DivisionPicker
from steelwatch.registry.forms import EnterprisePicker

from .models import Entry, ListKind, Measure, ScreeningDecision

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _measure_choices():
    return [
        (m.code, f"{m.name}（{m.get_department_display()}）") for m in Measure.objects.filter(active=True)
    ]


class EntryForm(Form):
    list_kind = forms.ChoiceField(label=_("名单"), choices=ListKind.choices)
    subject_kind = forms.ChoiceField(label=_("主体类型"), choices=Entry.SubjectKind.choices)
    name = forms.CharField(label=_("企业名称"), max_length=128, required=False)
    enterprise_uscc = forms.CharField(
        label=_("统一社会信用代码"), max_length=18, required=False, widget=EnterprisePicker()
    )
    registration_number = forms.CharField(
        label=_("原工商注册号（15位，无信用代码时）"), max_length=15, required=False
    )
    legal_representative = forms.CharField(label=_("法定代表人"), max_length=64, required=False)
    person_name = forms.CharField(label=_("自然人姓名"), max_length=64, required=False)
    person_id_number = forms.CharField(
        label=_("居民身份证号码"),
        max_length=18,
        required=False,
        help_text=_("自然人必填；企业可填法定代表人的身份证号码。加密保存，仅决定机关可见"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    reason = forms.CharField(
        label=_("列入事由"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    basis = forms.CharField(label=_("列入依据"), max_length=300)
    authority = forms.CharField(label=_("作出决定机关"), max_length=128)
    document_number = forms.CharField(label=_("决定书文号"), max_length=64, required=False)
    penalty_document = forms.CharField(label=_("行政处罚决定书文号"), max_length=64, required=False)
    restriction_ends_on = forms.DateField(
        label=_("相关限制期限届满日（长于三年时）"), required=False, widget=DATE
    )
    measures = forms.MultipleChoiceField(
        label=_("联合惩戒措施"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measures"].choices = _measure_choices()


class EntryEditForm(Form):
    reason = forms.CharField(
        label=_("列入事由"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    basis = forms.CharField(label=_("列入依据"), max_length=300)
    authority = forms.CharField(label=_("作出决定机关"), max_length=128)
    authority_uscc = forms.CharField(label=_("决定机关统一社会信用代码"), max_length=18, required=False)
    document_number = forms.CharField(label=_("决定书文号"), max_length=64, required=False)
    penalty_document = forms.CharField(label=_("行政处罚决定书文号"), max_length=64, required=False)
    penalty_kind = forms.CharField(label=_("处罚类别"), max_length=64, required=False)
    penalty_content = forms.CharField(label=_("处罚内容"), max_length=500, required=False)
    fine_wan = forms.DecimalField(
        label=_("罚款金额（万元）"), required=False, min_value=0, max_digits=12, decimal_places=4
    )
    confiscated_wan = forms.DecimalField(
        label=_("没收违法所得、非法财物金额（万元）"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=4,
    )
    decided_on = forms.DateField(label=_("决定日期（空：作出决定当天）"), required=False, widget=DATE)
    starts_on = forms.DateField(label=_("列入日期（空：决定日期）"), required=False, widget=DATE)
    ends_on = forms.DateField(label=_("届满日期（空：三年或限制期限）"), required=False, widget=DATE)
    restriction_ends_on = forms.DateField(label=_("相关限制期限届满日"), required=False, widget=DATE)
    measures = forms.MultipleChoiceField(
        label=_("联合惩戒措施"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measures"].choices = _measure_choices()


class TextForm(Form):
    text = forms.CharField(label=_("内容"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    on = forms.DateField(label=_("日期"), required=False, widget=DATE)


class MeasureForm(Form):
    code = forms.SlugField(label=_("编号"), max_length=32)
    name = forms.CharField(label=_("惩戒措施"), max_length=200)
    basis = forms.CharField(label=_("法律依据"), max_length=300)
    department = forms.ChoiceField(label=_("实施部门"), choices=Department.choices)
    list_kinds = forms.MultipleChoiceField(
        label=_("适用名单"), choices=ListKind.choices, widget=forms.CheckboxSelectMultiple
    )
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)


class MeasureActionForm(Form):
    text = forms.CharField(label=_("实施情况"), max_length=500)
    done_on = forms.DateField(label=_("实施日期"), required=False, widget=DATE)


class NoEchoInput(forms.TextInput):
    """A text box that never writes a submitted value back into the page: an ID number typed for screening
    is not in the response (nor in the browser's cache of it), whoever screened."""

    def format_value(self, value):
        return None


class ScreenForm(Form):
    name = forms.CharField(label=_("企业名称"), max_length=200, required=False)
    uscc = forms.CharField(label=_("统一社会信用代码或原注册号"), max_length=18, required=False)
    division_code = forms.CharField(
        label=_("登记地（区县或街镇）"), max_length=64, required=False, widget=DivisionPicker(scope="region")
    )
    person_name = forms.CharField(label=_("姓名（法定代表人或自然人）"), max_length=64, required=False)
    person_id_number = forms.CharField(
        label=_("居民身份证号码"),
        max_length=18,
        required=False,
        widget=NoEchoInput(attrs={"autocomplete": "off"}),
    )


class DecisionForm(ScreenForm):
    entry_id = forms.IntegerField(widget=forms.HiddenInput)
    verdict = forms.ChoiceField(label=_("判定"), choices=ScreeningDecision.Verdict.choices)
    reason = forms.CharField(label=_("理由"), max_length=500)
    context = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)
    next = forms.CharField(max_length=300, required=False, widget=forms.HiddenInput)
    # The screened ID number travels back encrypted (idnumber.encrypt_id), never in clear in the page.
    id_token = forms.CharField(max_length=500, required=False, widget=forms.HiddenInput)


class ImportForm(Form):
    file = forms.FileField(label=_("信用信息共享平台文件（.xlsx）"))
