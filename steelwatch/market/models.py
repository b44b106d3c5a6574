"""Market supervision: sampling plans, rounds and samples with their lab verdict; incoming-goods records of
sellers and billet sources of rolling mills (one model, `SupplyRecord`, told apart by `kind`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PlaceKind(models.TextChoices):
    PRODUCER = "producer", _("生产企业")
    SELLER = "seller", _("销售者（市场、门店）")
    SITE = "site", _("建筑工地")


class Product(models.TextChoices):
    HOT_ROLLED_RIBBED = "hot_rolled_ribbed", _("热轧带肋钢筋")
    HOT_ROLLED_PLAIN = "hot_rolled_plain", _("热轧光圆钢筋")


class SamplingPlan(models.Model):
    """A year's supervisory sampling plan of one jurisdiction (产品质量监督抽查计划)."""

    title = models.CharField(_("计划名称"), max_length=128)
    year = models.PositiveSmallIntegerField(_("年度"))
    division = models.ForeignKey(
        "geo.Division", on_delete=models.PROTECT, related_name="+", verbose_name=_("组织地区")
    )
    place_kinds = models.JSONField(_("抽查领域"), default=list, help_text=_("producer / seller / site"))
    random_draw = models.BooleanField(_("随机抽取被抽样单位"), default=True)
    draw_count = models.PositiveSmallIntegerField(_("每轮抽取单位数"), default=5)
    sampling_body = models.CharField(_("抽样机构"), max_length=128, blank=True)
    testing_body = models.CharField(_("承检机构"), max_length=128, blank=True)
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("抽查计划")

    def __str__(self):
        return self.title


class SamplingRound(models.Model):
    """One round of a plan: the units to sample (drawn at random where the plan says so), then published."""

    class State(models.TextChoices):
        OPEN = "open", _("抽样中")
        CLOSED = "closed", _("抽样结束")
        PUBLISHED = "published", _("已公布")

    plan = models.ForeignKey(SamplingPlan, on_delete=models.CASCADE, related_name="rounds")
    name = models.CharField(_("批次名称"), max_length=128)
    division = models.ForeignKey(
        "geo.Division", on_delete=models.PROTECT, related_name="+", verbose_name=_("地区")
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("截止日期"))
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.OPEN)
    draw_seed = models.CharField(_("随机抽取种子"), max_length=32, blank=True)
    published_on = models.DateField(_("公布日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("抽查批次")

    def __str__(self):
        return self.name


class RoundTarget(models.Model):
    """A unit a round is to sample: an enterprise of the ledger or a named building site."""

    round = models.ForeignKey(SamplingRound, on_delete=models.CASCADE, related_name="targets")
    place_kind = models.CharField(_("抽查领域"), max_length=16, choices=PlaceKind.choices)
    enterprise = models.ForeignKey(
        "registry.Enterprise", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    site_name = models.CharField(_("工地名称"), max_length=128, blank=True)
    drawn = models.BooleanField(_("随机抽中"), default=False)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.site_name or str(self.enterprise)


class Sample(models.Model):
    """One sample (样品) taken by at least two officers; its lab results, verdict, service, objection and
    re-test, disposal. The workflow is the rule table in `services.sampling.SAMPLE_RULES`."""

    class State(models.TextChoices):
        SAMPLED = "sampled", _("已抽样")
        LAB_RECEIVED = "lab_received", _("检验机构已接收")
        TESTED = "tested", _("已出检验结论")
        SERVED = "served", _("已送达")
        RETESTING = "retesting", _("复检中")
        FINAL = "final", _("结论确定")
        DISPOSED = "disposed", _("已处置")
        REFUSED = "refused", _("拒检")

    class Verdict(models.TextChoices):
        CONFORMING = "conforming", _("合格")
        NONCONFORMING = "nonconforming", _("不合格")

    code = models.CharField(_("样品编号"), max_length=32, unique=True)
    round = models.ForeignKey(
        SamplingRound, null=True, blank=True, on_delete=models.PROTECT, related_name="samples"
    )
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.SAMPLED)
    place_kind = models.CharField(_("抽查领域"), max_length=16, choices=PlaceKind.choices)
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="samples",
        verbose_name=_("被抽样单位"),
    )
    site_name = models.CharField(_("工地名称"), max_length=128, blank=True)
    division = models.ForeignKey(
        "geo.Division", on_delete=models.PROTECT, related_name="+", verbose_name=_("属地")
    )
    product = models.CharField(_("产品"), max_length=24, choices=Product.choices)
    grade = models.CharField(_("牌号"), max_length=16)
    diameter_mm = models.DecimalField(_("公称直径(mm)"), max_digits=4, decimal_places=1)
    heat_number = models.CharField(_("炉号/批号"), max_length=64, blank=True)
    trademark = models.CharField(_("商标"), max_length=64, blank=True)
    licence_number = models.CharField(_("标牌许可证编号"), max_length=64, blank=True)
    manufacturer_name = models.CharField(_("标称生产企业"), max_length=128, blank=True)
    manufacturer_uscc = models.CharField(_("标称生产企业统一社会信用代码"), max_length=18, blank=True)
    production_date = models.DateField(_("生产日期"), null=True, blank=True)
    sampled_on = models.DateField(_("抽样日期"))
    quantity_t = models.DecimalField(
        _("库存数量(吨)"), max_digits=10, decimal_places=3, null=True, blank=True
    )
    seal_number = models.CharField(_("封样编号"), max_length=64, blank=True)
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="samples_taken", verbose_name=_("抽样人员")
    )
    refusal_reason = models.CharField(_("拒检情况"), max_length=300, blank=True)
    testing_body = models.CharField(_("承检机构"), max_length=128, blank=True)
    lab_received_on = models.DateField(_("检验机构接收日期"), null=True, blank=True)
    measured = models.JSONField(_("检验数据"), default=dict, blank=True)
    verdict = models.CharField(_("检验结论"), max_length=16, choices=Verdict.choices, blank=True)
    failed = models.JSONField(_("不合格项目"), default=list, blank=True)
    standard = models.CharField(_("判定依据"), max_length=32, blank=True)
    verdict_notes = models.JSONField(_("判定说明"), default=list, blank=True)
    retestable = models.BooleanField(_("可复检"), default=True)
    suspect = models.BooleanField(_("疑似“地条钢”"), default=False)
    reasons = models.JSONField(_("疑似理由"), default=list, blank=True)
    served_on = models.DateField(_("送达日期"), null=True, blank=True)
    served_to = models.CharField(_("送达对象"), max_length=300, blank=True)
    objection_deadline = models.DateField(_("异议/复检申请截止日"), null=True, blank=True)
    retest_requested_on = models.DateField(_("复检申请日期"), null=True, blank=True)
    retest_body = models.CharField(_("复检机构"), max_length=128, blank=True)
    retest_measured = models.JSONField(_("复检数据"), default=dict, blank=True)
    first_verdict = models.CharField(_("初检结论"), max_length=16, choices=Verdict.choices, blank=True)
    disposal = models.TextField(_("处置情况"), blank=True)
    disposed_on = models.DateField(_("处置日期"), null=True, blank=True)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-sampled_on", "-id"]
        verbose_name = _("样品")

    def __str__(self):
        return self.code

    @property
    def unit_name(self) -> str:
        return self.enterprise.name if self.enterprise_id else self.site_name

    @property
    def unit_uscc(self) -> str:
        return self.enterprise.uscc if self.enterprise_id else ""


class SamplePhoto(models.Model):
    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="photos")
    path = models.CharField(max_length=200, help_text=_("相对 UPLOAD_DIR 的路径"))
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    taken_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.original_name

    @property
    def division_id(self):
        return self.sample.division_id


class SupplyRecord(models.Model):
    """A seller's incoming-goods record (进货查验记录) or a rolling mill's billet purchase (钢坯来源)."""

    class Kind(models.TextChoices):
        GOODS = "goods", _("进货记录")
        BILLETS = "billets", _("钢坯来源")

    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices, default=Kind.GOODS)
    holder = models.ForeignKey(
        "registry.Enterprise",
        on_delete=models.CASCADE,
        related_name="supply_records",
        verbose_name=_("经营者/轧钢企业"),
    )
    supplier_name = models.CharField(_("供货单位"), max_length=128)
    supplier_uscc = models.CharField(_("供货单位统一社会信用代码"), max_length=18, blank=True)
    manufacturer_name = models.CharField(_("生产企业"), max_length=128, blank=True)
    manufacturer_uscc = models.CharField(_("生产企业统一社会信用代码"), max_length=18, blank=True)
    licence_number = models.CharField(_("生产许可证编号"), max_length=64, blank=True)
    certificate_number = models.CharField(_("质量证明书编号"), max_length=64, blank=True)
    heat_number = models.CharField(_("炉号/批号"), max_length=64)
    product = models.CharField(_("产品"), max_length=24, blank=True)
    grade = models.CharField(_("牌号"), max_length=16, blank=True)
    diameter_mm = models.DecimalField(
        _("公称直径(mm)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    tonnes = models.DecimalField(_("数量(吨)"), max_digits=10, decimal_places=3)
    received_on = models.DateField(_("进货日期"))
    vehicle = models.CharField(_("运输车辆"), max_length=32, blank=True)
    findings = models.JSONField(_("核查发现"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["holder", "heat_number"], name="supply_holder_heat")]
        verbose_name = _("进货/钢坯来源记录")

    def __str__(self):
        return f"{self.supplier_name} {self.heat_number} {self.tonnes}t"

    @property
    def division_id(self):
        return self.holder.division_id


class MillOutput(models.Model):
    """Tonnes a rolling mill rolled in one month, weighed against the billets it bought."""

    mill = models.ForeignKey("registry.Enterprise", on_delete=models.CASCADE, related_name="mill_outputs")
    month = models.DateField(_("月份"), help_text=_("该月1日"))
    tonnes_rolled = models.DecimalField(_("轧制量(吨)"), max_digits=12, decimal_places=3)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["mill", "month"], name="mill_output_per_month")]
        verbose_name = _("轧钢产量")

    def __str__(self):
        return f"{self.mill_id} {self.month:%Y-%m} {self.tonnes_rolled}t"

    @property
    def division_id(self):
        return self.mill.division_id
