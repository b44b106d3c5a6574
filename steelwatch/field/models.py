"""Field work: patrol plans and check-ins (with photos), 双随机 draws, the safety look-back, and the office's
support registers (cameras, experts, training, funds — in support_models.py)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .support_models import (  # noqa: F401 - one models module for Django
    BudgetLine,
    Camera,
    Consultation,
    Expert,
    Spending,
    TrainingAttendance,
    TrainingSession,
)


class SiteRule(models.TextChoices):
    ZOMBIE = "zombie", _("僵尸企业（停产、关停、取缔）")
    FURNACE_USER = "furnace_user", _("中(工)频炉使用企业")
    WATCHLIST = "watchlist", _("重点监控企业")
    ALL = "all", _("网格内全部企业")


class PatrolPlan(models.Model):
    """Which sites of a grid are patrolled and how often (e.g. every zombie site every 30 days)."""

    grid = models.ForeignKey("geo.Grid", on_delete=models.CASCADE, related_name="patrol_plans")
    sites = models.CharField(_("巡查对象"), max_length=16, choices=SiteRule.choices)
    every_days = models.PositiveSmallIntegerField(_("巡查周期（天）"), default=30)
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["grid_id", "sites"]
        constraints = [models.UniqueConstraint(fields=["grid", "sites"], name="patrol_plan_per_grid_rule")]
        verbose_name = _("巡查计划")

    def __str__(self):
        return f"{self.grid_id} {self.get_sites_display()} / {self.every_days}"

    @property
    def division_id(self):
        return self.grid.division_id


class CheckIn(models.Model):
    """One visit to one site: where the phone was, what the checklist found, and the flags the server raised."""

    class CoordSystem(models.TextChoices):
        WGS84 = "wgs84", "WGS-84"
        GCJ02 = "gcj02", _("GCJ-02（国测局坐标）")

    class Finding(models.TextChoices):
        NORMAL = "normal", _("未见异常")
        PRODUCTION_SIGNS = "production_signs", _("发现生产迹象")
        OTHER_ISSUE = "other_issue", _("发现其他问题")

    enterprise = models.ForeignKey(
        "registry.Enterprise", on_delete=models.PROTECT, related_name="check_ins", verbose_name=_("企业")
    )
    grid = models.ForeignKey(
        "geo.Grid", null=True, blank=True, on_delete=models.SET_NULL, related_name="check_ins"
    )
    division = models.ForeignKey("geo.Division", on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="check_ins", verbose_name=_("巡查人")
    )
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6)
    accuracy_m = models.FloatField(_("定位精度（米）"))
    coord_system = models.CharField(
        _("坐标系"), max_length=8, choices=CoordSystem.choices, default=CoordSystem.WGS84
    )
    checked_at = models.DateTimeField(_("现场时间（设备）"))
    received_at = models.DateTimeField(_("接收时间（服务器）"), auto_now_add=True)
    checklist = models.JSONField(_("检查项目"), default=dict, blank=True)
    finding = models.CharField(_("检查结论"), max_length=16, choices=Finding.choices)
    note = models.TextField(_("情况说明"), blank=True)
    distance_m = models.FloatField(_("距企业位置（米）"), null=True, blank=True)
    flags = models.JSONField(_("提示"), default=list, blank=True)
    alert = models.ForeignKey(
        "power.Alert", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    inspection = models.ForeignKey(
        "field.DrawInspection", null=True, blank=True, on_delete=models.SET_NULL, related_name="check_ins"
    )
    # The phone's own key for a check-in it queued: sent again after a lost answer, it is recorded once.
    client_ref = models.CharField(_("终端编号"), max_length=64, blank=True)

    class Meta:
        ordering = ["-checked_at", "-id"]
        indexes = [models.Index(fields=["enterprise", "checked_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "client_ref"],
                condition=~models.Q(client_ref=""),
                name="check_in_once_per_client_ref",
            )
        ]
        verbose_name = _("巡查签到")

    def __str__(self):
        return f"#{self.pk} {self.enterprise_id} {self.checked_at:%Y-%m-%d}"


class CheckInPhoto(models.Model):
    """A photo of a check-in: the served copy has no metadata; the original EXIF is kept apart as evidence."""

    check_in = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="photos")
    path = models.CharField(max_length=256, help_text=_("去除元数据后的图片（相对 DATA_DIR）"))
    exif_path = models.CharField(max_length=256, blank=True, help_text=_("原始 EXIF（证据，不对外提供）"))
    sha256 = models.CharField(_("原图 SHA-256"), max_length=64)
    taken_at = models.CharField(_("拍摄时间（EXIF）"), max_length=32, blank=True)
    exif_latitude = models.FloatField(_("拍摄纬度（EXIF）"), null=True, blank=True)
    exif_longitude = models.FloatField(_("拍摄经度（EXIF）"), null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"#{self.pk}"


# --- 双随机、一公开 ---------------------------------------------------------------------------------------


class InspectionItem(models.Model):
    """检查事项清单: general items have a capped sampling ratio, key items none."""

    class Kind(models.TextChoices):
        GENERAL = "general", _("一般检查事项")
        KEY = "key", _("重点检查事项")

    code = models.CharField(_("事项编号"), max_length=32, unique=True)
    name = models.CharField(_("检查事项"), max_length=128)
    kind = models.CharField(_("类别"), max_length=8, choices=Kind.choices, default=Kind.GENERAL)
    sampling_ratio = models.DecimalField(_("抽查比例（%）"), max_digits=5, decimal_places=2, default=5)
    basis = models.CharField(_("检查依据"), max_length=256, blank=True)
    checklist = models.JSONField(_("检查要点"), default=list, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("检查事项")

    def __str__(self):
        return f"{self.code} {self.name}"


class Inspector(models.Model):
    """检查人员名录: an official who may be drawn, with the department they work for."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inspector")
    department = models.CharField(_("所在部门"), max_length=64)
    active = models.BooleanField(_("在库"), default=True)

    class Meta:
        ordering = ["user__username"]
        verbose_name = _("检查人员")

    def __str__(self):
        return str(self.user)


class InspectorInterest(models.Model):
    """A declared interest: the inspector is never drawn for this enterprise."""

    inspector = models.ForeignKey(Inspector, on_delete=models.CASCADE, related_name="interests")
    enterprise = models.ForeignKey("registry.Enterprise", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("利害关系"), max_length=256)
    declared_at = models.DateTimeField(auto_now_add=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-declared_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["inspector", "enterprise"], name="interest_per_inspector_site")
        ]
        verbose_name = _("利害关系申报")

    def __str__(self):
        return f"#{self.pk}"


class Draw(models.Model):
    """One verifiable draw: frozen (lists, hashes, commitment), then run with a value announced in advance."""

    class Status(models.TextChoices):
        FROZEN = "frozen", _("名单已冻结")
        RUN = "run", _("已抽取")

    item = models.ForeignKey(InspectionItem, on_delete=models.PROTECT, related_name="draws")
    division = models.ForeignKey("geo.Division", on_delete=models.PROTECT, related_name="+")
    target_filter = models.JSONField(_("抽查对象范围"), default=dict, blank=True)
    targets = models.PositiveIntegerField(_("抽取对象数"))
    inspectors_per_target = models.PositiveSmallIntegerField(_("每户检查人员数"), default=2)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.FROZEN)
    candidates = models.JSONField(_("抽查对象名录"), default=list, blank=True)
    inspectors = models.JSONField(_("检查人员名录"), default=list, blank=True)
    exclusions = models.JSONField(_("回避"), default=list, blank=True)
    candidates_sha256 = models.CharField(max_length=64)
    inspectors_sha256 = models.CharField(max_length=64)
    commitment = models.CharField(max_length=64)
    secret = models.CharField(max_length=64, editable=False)  # revealed in the record once run
    announced_value = models.CharField(_("公开随机值"), max_length=128, blank=True)
    seed = models.CharField(max_length=64, blank=True)
    picks = models.JSONField(_("抽取结果"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    frozen_at = models.DateTimeField(auto_now_add=True)
    run_at = models.DateTimeField(null=True, blank=True)
    publish_by = models.DateField(_("公示期限"), null=True, blank=True)
    published = models.BooleanField(_("已公示"), default=False)

    class Meta:
        ordering = ["-frozen_at", "-id"]
        verbose_name = _("双随机抽取")

    def __str__(self):
        return f"#{self.pk} {self.item.name}"


class DrawInspection(models.Model):
    """A drawn target with its drawn inspectors: done as a checklist on the phone like a patrol."""

    class Result(models.TextChoices):
        PENDING = "pending", _("待检查")
        PASSED = "passed", _("未发现问题")
        FAILED = "failed", _("发现问题")

    draw = models.ForeignKey(Draw, on_delete=models.CASCADE, related_name="inspections")
    enterprise = models.ForeignKey("registry.Enterprise", on_delete=models.PROTECT, related_name="+")
    inspectors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="draw_inspections")
    result = models.CharField(_("检查结果"), max_length=8, choices=Result.choices, default=Result.PENDING)
    summary = models.CharField(_("结果说明"), max_length=256, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["draw_id", "id"]

    def __str__(self):
        return f"#{self.pk}"


# --- 安全生产回头看 ---------------------------------------------------------------------------------------


class Hazard(models.TextChoices):
    """The listed major hazards of metallurgical plants checked in the look-back (文山 三)."""

    STANDARDISATION = "standardisation", _("安全标准化未达三级")
    LADLE_CRANE = "ladle_crane", _("吊运熔融金属的起重机不符合冶金起重机要求")
    FIXED_HOOK = "fixed_hook", _("铸造起重机未使用固定式龙门钩")
    CROWD_ZONE = "crowd_zone", _("人员聚集场所在熔融金属吊运影响区域内")
    GAS_HOLDER = "gas_holder", _("煤气柜防火间距不符合")


class HazardFinding(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("整改中")
        FIXED = "fixed", _("已整改（复查通过）")
        ESCALATED = "escalated", _("逾期未改，已转关停")

    enterprise = models.ForeignKey(
        "registry.Enterprise", on_delete=models.PROTECT, related_name="hazard_findings"
    )
    hazard = models.CharField(_("重大隐患"), max_length=16, choices=Hazard.choices)
    found_on = models.DateField(_("发现日期"))
    deadline = models.DateField(_("整改期限"))
    note = models.TextField(_("情况"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    reinspected_on = models.DateField(_("复查日期"), null=True, blank=True)
    reinspection_note = models.TextField(_("复查情况"), blank=True)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("重大隐患")

    def __str__(self):
        return f"{self.enterprise_id} {self.get_hazard_display()}"


class CapacityCut(models.Model):
    """A plant on the capacity-reduction list (压减产能名单): listing it opens its cut-off-and-dismantle case
    (power cut orders, equipment destroyed and the other closure checks, revisits — the case's own steps)."""

    enterprise = models.OneToOneField(
        "registry.Enterprise", on_delete=models.PROTECT, related_name="capacity_cut", verbose_name=_("企业")
    )
    document = models.CharField(_("列入文件"), max_length=128)
    listed_on = models.DateField(_("列入日期"))
    deadline = models.DateField(_("完成期限"))
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    listed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("压减产能企业")

    def __str__(self):
        return f"{self.enterprise_id} {self.document}"
