"""Forms that parse what pages post; the services validate the domain rules."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from steelwatch.accounts.roles import Department
from steelwatch.core.forms import Form, SuggestInput
from steelwatch.geo.forms import DivisionPicker
from steelwatch.registry.forms import AccountPicker, EnterprisePicker
from steelwatch.registry.models import Enterprise

from .models import (
    Aspect,
    Case,
    ClosureCheck,
    CutOrder,
    EnforcementAction,
    JudicialReferral,
    Revisit,
    TraceNode,
)


def error_text(error) -> str:
    """One readable Chinese line from a ValidationError or a bound form's errors."""
    if isinstance(error, forms.Form):
        return "；".join(
            f"{error.fields[f].label if f in error.fields else ''}：{'；'.join(msgs)}".lstrip("：")
            for f, msgs in error.errors.items()
        )
    if isinstance(error, ValidationError):
        return "；".join(error.messages)
    return str(error)


class CasePicker(SuggestInput):
    """A case-number field that offers the user's cases by title or number as one types."""

    url_name = "cases:case_suggest"

    def __init__(self, attrs=None):
        super().__init__(attrs, placeholder=_("输入案件名称或编号"))


class SourcePicker(SuggestInput):
    """A case's source ("alert:12", "tip:34") offered by what names it: an alert's account or enterprise, a
    tip's receipt or place — the record's title beside its reference."""

    url_name = "cases:source_suggest"

    def __init__(self, attrs=None):
        super().__init__(attrs, placeholder=_("输入户号、企业名称或回执编号"))


class CaseOpenForm(Form):
    title = forms.CharField(label=_("案件名称"), max_length=200)
    source = forms.ChoiceField(label=_("线索来源"), choices=Case.Source.choices)
    source_ref = forms.CharField(
        label=_("来源（告警或举报）"),
        max_length=64,
        required=False,
        widget=SourcePicker(),
        help_text=_("输入户号、企业名称、回执编号或地点，从列表中选择"),
    )
    division_code = forms.CharField(label=_("属地（区县或街镇）"), max_length=12, widget=DivisionPicker())
    enterprise_uscc = forms.CharField(
        label=_("涉事企业统一社会信用代码（可空）"), max_length=18, required=False, widget=EnterprisePicker()
    )
    address = forms.CharField(label=_("地址"), max_length=256, required=False)
    longitude = forms.DecimalField(
        label=_("经度"), max_digits=9, decimal_places=6, required=False, min_value=-180, max_value=180
    )
    latitude = forms.DecimalField(
        label=_("纬度"), max_digits=9, decimal_places=6, required=False, min_value=-90, max_value=90
    )
    description = forms.CharField(label=_("案情"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class TransitionForm(Form):
    to = forms.ChoiceField(
        label=_("转为"), choices=Case.State.choices + [("decline", _("退回移交")), ("recall", _("撤回移交"))]
    )
    reason = forms.CharField(label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    transfer_to = forms.CharField(
        label=_("移交至（区县或街镇）"), max_length=12, required=False, widget=DivisionPicker(scope="region")
    )
    closure_kind = forms.ChoiceField(
        label=_("处置方式"),
        required=False,
        initial=Enterprise.Status.BANNED,
        choices=[(Enterprise.Status.BANNED, _("取缔")), (Enterprise.Status.CLOSED, _("关停"))],
    )


class LinkForm(Form):
    enterprise_uscc = forms.CharField(
        label=_("台账企业统一社会信用代码"), max_length=18, required=False, widget=EnterprisePicker()
    )
    account_id = forms.CharField(label=_("电力户号"), max_length=32, required=False, widget=AccountPicker())
    case_id = forms.IntegerField(
        label=_("关联案件"),
        required=False,
        min_value=1,
        widget=CasePicker(),
        help_text=_("输入案件名称或编号"),
    )


class AttachmentForm(Form):
    file = forms.FileField(label=_("文件"))
    note = forms.CharField(label=_("说明"), max_length=300, required=False)
    purpose = forms.ChoiceField(
        label=_("用途"), required=False, choices=[("", _("一般材料")), ("referral", _("移送司法材料"))]
    )


class TaskAssignForm(Form):
    aspect = forms.ChoiceField(label=_("核查方面"), choices=Aspect.choices)
    department = forms.ChoiceField(label=_("责任部门"), choices=Department.choices)
    owner = forms.IntegerField(label=_("承办人"), required=False, widget=forms.Select)
    due_date = forms.DateField(label=_("办理期限"), widget=forms.DateInput(attrs={"type": "date"}))
    mandatory = forms.BooleanField(label=_("必办"), required=False, initial=True)


class TaskCompleteForm(Form):
    findings = forms.CharField(label=_("核查结论"), widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(label=_("照片或文件"), required=False)


class CutOrderForm(Form):
    kind = forms.ChoiceField(label=_("类型"), choices=CutOrder.Kind.choices)
    account_id = forms.CharField(
        label=_("电力户号（断电时）"), max_length=32, required=False, widget=AccountPicker()
    )
    note = forms.CharField(label=_("要求"), max_length=300, required=False)


class CutOrderExecuteForm(Form):
    note = forms.CharField(label=_("执行情况"), max_length=300, required=False)


class EnforcementForm(Form):
    kind = forms.ChoiceField(label=_("措施"), choices=EnforcementAction.Kind.choices)
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    fine_yuan = forms.DecimalField(
        label=_("罚款金额(元)"), required=False, max_digits=12, decimal_places=2, min_value=0
    )
    raw_material_t = forms.DecimalField(
        label=_("没收原料(吨)"), required=False, max_digits=10, decimal_places=2, min_value=0
    )
    product_t = forms.DecimalField(
        label=_("没收产品(吨)"), required=False, max_digits=10, decimal_places=2, min_value=0
    )
    licence_number = forms.CharField(label=_("许可证编号（吊销申请）"), max_length=64, required=False)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class BlacklistForm(Form):
    subject_name = forms.CharField(label=_("失信主体（默认涉事企业）"), max_length=128, required=False)
    legal_representative = forms.CharField(label=_("法定代表人"), max_length=64, required=False)
    reason = forms.CharField(label=_("事由"), widget=forms.Textarea(attrs={"rows": 2}))


class JudicialReferForm(Form):
    organ = forms.CharField(label=_("受理机关"), max_length=128, help_text=_("如 某某市公安局某某分局"))
    charge = forms.CharField(label=_("涉嫌罪名或移送理由"), max_length=300)


class JudicialRecordForm(Form):
    status = forms.ChoiceField(
        label=_("登记"),
        choices=[
            (s, label)
            for s, label in JudicialReferral.Status.choices
            if s != JudicialReferral.Status.REFERRED
        ],
    )
    on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    file_number = forms.CharField(label=_("立案编号"), max_length=64, required=False)
    outcome = forms.CharField(label=_("理由或处理结果"), max_length=300, required=False)


class ClosureEvidenceForm(Form):
    file = forms.FileField(label=_("照片或文件"))
    note = forms.CharField(label=_("说明"), max_length=300, required=False)
    witnessed_on = forms.DateField(
        label=_("见证日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    furnace_ids = forms.TypedMultipleChoiceField(
        label=_("已捣毁的设备"), required=False, coerce=int, choices=[], widget=forms.CheckboxSelectMultiple
    )
    exception_reason = forms.CharField(label=_("例外说明"), max_length=300, required=False)

    def __init__(self, *args, furnaces=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["furnace_ids"].choices = [(f.pk, str(f)) for f in furnaces]


class TraceNodeForm(Form):
    kind = forms.ChoiceField(label=_("类型"), choices=TraceNode.Kind.choices)
    label = forms.CharField(label=_("名称"), max_length=128)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class TraceEdgeForm(Form):
    source = forms.IntegerField(label=_("从"), widget=forms.Select)
    target = forms.IntegerField(label=_("到"), widget=forms.Select)
    label = forms.CharField(label=_("关系"), max_length=64, required=False)
    quantity_t = forms.DecimalField(
        label=_("数量(吨)"), required=False, max_digits=10, decimal_places=2, min_value=0
    )


class RevisitForm(Form):
    note = forms.CharField(label=_("检查情况"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label=_("现场照片"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in Revisit.CHECKLIST.items():
            self.fields[f"check_{key}"] = forms.BooleanField(label=label, required=False)

    def checklist(self) -> dict:
        return {key: self.cleaned_data.get(f"check_{key}", False) for key in Revisit.CHECKLIST}


class ZombieSuperviseForm(Form):
    supervisor = forms.IntegerField(label=_("监管责任人"), widget=forms.Select)
    patrol_every_days = forms.IntegerField(label=_("巡查间隔（天）"), min_value=1, max_value=366, initial=30)
    patrols = forms.IntegerField(label=_("巡查次数"), min_value=1, max_value=24, initial=6)


class RestartRequestForm(Form):
    safety_assessor = forms.CharField(label=_("第三方安全评估机构"), max_length=128)
    report = forms.FileField(label=_("安全评估报告（PDF 或照片）"))
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RestartDecisionForm(Form):
    decision = forms.ChoiceField(label=_("审批"), choices=[("approve", _("批准复产")), ("reject", _("驳回"))])
    reason = forms.CharField(
        label=_("审批意见（驳回必填）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    override = forms.BooleanField(
        label=_("覆盖巡查发现（近期巡查发现生产迹象仍批准，须写明理由）"), required=False
    )


CLOSURE_LABELS = dict(ClosureCheck.choices)
