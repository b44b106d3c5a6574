"""Forms of the market pages: the phone sample form, the lab steps, plans and rounds, supply records."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steelwatch.core.forms import EMPTY_LABEL, Form
from steelwatch.registry.forms import EnterprisePicker, add_service_errors

from .models import PlaceKind, Product, SupplyRecord
from .standards import GRADES
from .verdict import ITEMS

__all__ = ["add_service_errors"]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
BEND = [("", _("未检验")), ("pass", _("合格")), ("fail", _("不合格"))]


def _today():
    return timezone.localdate()


class UnitFields(Form):
    place_kind = forms.ChoiceField(label=_("抽查领域"), choices=PlaceKind.choices)
    enterprise_uscc = forms.CharField(
        label=_("被抽样单位统一社会信用代码"),
        max_length=18,
        required=False,
        help_text=_("生产企业、销售者须为台账企业"),
        widget=EnterprisePicker(),
    )
    site_name = forms.CharField(label=_("建筑工地名称"), max_length=128, required=False)
    division_code = forms.RegexField(
        label=_("属地行政区划代码"),
        regex=r"^\d{6,12}$",
        required=False,
        help_text=_("工地必填；企业默认其台账区划"),
    )
    sampled_on = forms.DateField(label=_("抽样日期"), widget=DATE, initial=_today)

    def __init__(self, *args, officers=(), rounds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"] = forms.ModelMultipleChoiceField(
            label=_("同行抽样人员"),
            queryset=officers,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("抽样须由不少于2名执法人员进行（含本人）"),
        )
        self.fields["round_id"] = forms.TypedChoiceField(
            label=_("抽查批次"),
            choices=[("", _("不属于批次（专项抽查）"))] + [(r.pk, r.name) for r in rounds],
            coerce=int,
            empty_value=None,
            required=False,
        )


class SampleForm(UnitFields):
    product = forms.ChoiceField(label=_("产品"), choices=Product.choices)
    grade = forms.ChoiceField(label=_("牌号"), choices=[(g, g) for g in GRADES])
    diameter_mm = forms.DecimalField(label=_("公称直径(mm)"), min_value=1, max_value=100, decimal_places=1)
    heat_number = forms.CharField(label=_("炉号/批号"), max_length=64, required=False)
    trademark = forms.CharField(label=_("商标"), max_length=64, required=False)
    licence_number = forms.CharField(label=_("标牌生产许可证编号"), max_length=64, required=False)
    manufacturer_name = forms.CharField(label=_("标称生产企业"), max_length=128, required=False)
    manufacturer_uscc = forms.CharField(
        label=_("标称生产企业统一社会信用代码"), max_length=18, required=False, widget=EnterprisePicker()
    )
    production_date = forms.DateField(label=_("生产日期"), widget=DATE, required=False)
    quantity_t = forms.DecimalField(
        label=_("现存数量(吨)"), min_value=0, max_digits=10, decimal_places=3, required=False
    )
    seal_number = forms.CharField(label=_("封样编号"), max_length=64)


class RefusalForm(UnitFields):
    reason = forms.CharField(label=_("拒检情况"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


class ReceiveForm(Form):
    received_on = forms.DateField(label=_("接收日期"), widget=DATE, initial=_today)
    testing_body = forms.CharField(label=_("承检机构"), max_length=128, required=False)


class ResultsForm(Form):
    tested_on = forms.DateField(label=_("检验日期"), widget=DATE, initial=_today)
    testing_body = forms.CharField(label=_("承检机构"), max_length=128, required=False)

    UNITS = {"rel": "MPa", "rm": "MPa", "a": "%", "agt": "%", "weight_deviation": "%"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for item, label in ITEMS.items():
            if item in ("rm_rel_ratio", "rel_ratio"):
                continue  # computed
            if item in ("bend", "reverse_bend"):
                self.fields[item] = forms.ChoiceField(label=label, choices=BEND, required=False)
                continue
            unit = self.UNITS.get(item, "%")
            self.fields[item] = forms.DecimalField(
                label=f"{label}（{unit}）",
                required=False,
                max_digits=9,
                decimal_places=4,
                min_value=-100 if item == "weight_deviation" else 0,
                widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
            )

    def measured(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k in ITEMS and v not in (None, "")}


class ServeForm(Form):
    served_on = forms.DateField(label=_("送达日期"), widget=DATE, initial=_today)
    served_to = forms.CharField(
        label=_("送达对象"), max_length=300, required=False, help_text=_("默认被抽样单位与标称生产企业")
    )


class RetestForm(Form):
    requested_on = forms.DateField(label=_("复检申请日期"), widget=DATE, initial=_today)
    retest_body = forms.CharField(label=_("复检机构（与初检机构不同）"), max_length=128)


class DisposeForm(Form):
    disposal = forms.CharField(label=_("处置情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    disposed_on = forms.DateField(label=_("处置日期"), widget=DATE, initial=_today)


class PlanForm(Form):
    title = forms.CharField(label=_("计划名称"), max_length=128)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, initial=lambda: _today().year)
    division_code = forms.RegexField(label=_("组织地区（行政区划代码）"), regex=r"^\d{6,12}$")
    place_kinds = forms.MultipleChoiceField(
        label=_("抽查领域"),
        choices=PlaceKind.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=["seller"],
    )
    random_draw = forms.BooleanField(label=_("随机抽取被抽样单位"), required=False, initial=True)
    draw_count = forms.IntegerField(label=_("每轮抽取单位数"), min_value=1, max_value=500, initial=5)
    sampling_body = forms.CharField(label=_("抽样机构"), max_length=128, required=False)
    testing_body = forms.CharField(label=_("承检机构"), max_length=128, required=False)


class RoundForm(Form):
    name = forms.CharField(label=_("批次名称"), max_length=128)
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE, initial=_today)
    ends_on = forms.DateField(label=_("截止日期"), widget=DATE)
    candidates = forms.CharField(
        label=_("候选单位统一社会信用代码（每行一个）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "留空：从计划地区内有进货记录的销售者（流通领域）和持生产许可证或登记钢坯来源的生产企业（生产领域）中抽取"
        ),
    )
    site_names = forms.CharField(
        label=_("建筑工地（每行一个）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, plans=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"] = forms.ModelChoiceField(
            label=_("抽查计划"), queryset=plans, empty_label=EMPTY_LABEL
        )
        self.order_fields(["plan"])

    def usccs(self) -> list[str]:
        return [line.strip().upper() for line in self.cleaned_data["candidates"].splitlines() if line.strip()]

    def sites(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["site_names"].splitlines() if line.strip()]


class SupplyForm(Form):
    kind = forms.ChoiceField(label=_("类型"), choices=SupplyRecord.Kind.choices)
    holder_uscc = forms.CharField(
        label=_("经营者/轧钢企业统一社会信用代码"), max_length=18, widget=EnterprisePicker()
    )
    supplier_name = forms.CharField(label=_("供货单位"), max_length=128)
    supplier_uscc = forms.CharField(
        label=_("供货单位统一社会信用代码"), max_length=18, required=False, widget=EnterprisePicker()
    )
    manufacturer_name = forms.CharField(label=_("生产企业"), max_length=128, required=False)
    manufacturer_uscc = forms.CharField(
        label=_("生产企业统一社会信用代码"), max_length=18, required=False, widget=EnterprisePicker()
    )
    licence_number = forms.CharField(label=_("生产许可证编号"), max_length=64, required=False)
    certificate_number = forms.CharField(label=_("质量证明书编号"), max_length=64, required=False)
    heat_number = forms.CharField(label=_("炉号/批号"), max_length=64)
    product = forms.ChoiceField(
        label=_("产品"), choices=[("", "—"), *Product.choices, ("billet", _("钢坯"))], required=False
    )
    grade = forms.ChoiceField(label=_("牌号"), choices=[("", "—")] + [(g, g) for g in GRADES], required=False)
    diameter_mm = forms.DecimalField(
        label=_("公称直径(mm)"), min_value=1, max_value=100, decimal_places=1, required=False
    )
    tonnes = forms.DecimalField(label=_("数量(吨)"), min_value=0.001, max_digits=10, decimal_places=3)
    received_on = forms.DateField(label=_("进货日期"), widget=DATE, initial=_today)
    vehicle = forms.CharField(label=_("运输车辆"), max_length=32, required=False)


class MillOutputForm(Form):
    month = forms.DateField(label=_("月份（任一天）"), widget=DATE, initial=lambda: _today().replace(day=1))
    tonnes_rolled = forms.DecimalField(label=_("轧制量(吨)"), min_value=0, max_digits=12, decimal_places=3)


class UploadForm(Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(_("仅支持 .xlsx 格式的 Excel 文件"))
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise ValidationError(_("文件过大：最大 %(mb)d MB") % {"mb": settings.UPLOAD_MAX_BYTES // 2**20})
        return upload
