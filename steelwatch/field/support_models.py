"""The office's support registers: cameras (技防), the expert panel, training, and the budget (资金保障)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Camera(models.Model):
    """A camera already installed at a site: linked to, never proxied or stored."""

    class Status(models.TextChoices):
        ONLINE = "online", _("在线")
        OFFLINE = "offline", _("离线")
        STALE = "stale", _("画面未更新")

    enterprise = models.ForeignKey("registry.Enterprise", on_delete=models.CASCADE, related_name="cameras")
    position = models.CharField(_("安装位置"), max_length=128)
    stream_url = models.URLField(_("视频流地址"), blank=True)
    snapshot_url = models.URLField(_("截图地址"), blank=True)
    owner = models.CharField(_("建设/管理单位"), max_length=128, blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.ONLINE)
    last_snapshot_at = models.DateTimeField(_("最近截图时间"), null=True, blank=True)

    class Meta:
        ordering = ["enterprise_id", "position"]
        verbose_name = _("视频监控点")

    def __str__(self):
        return self.position


class Expert(models.Model):
    name = models.CharField(_("姓名"), max_length=64)
    field = models.CharField(_("专业领域"), max_length=64)
    organisation = models.CharField(_("工作单位"), max_length=128)
    contact = models.CharField(_("联系方式"), max_length=64, blank=True)
    conflicts = models.TextField(_("利益冲突申报"), blank=True)
    active = models.BooleanField(_("在库"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("专家")

    def __str__(self):
        return self.name


class Consultation(models.Model):
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="consultations")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    question = models.TextField(_("咨询问题"))
    opinion = models.TextField(_("专家意见"), blank=True)
    answered_on = models.DateField(_("意见日期"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("专家咨询")

    def __str__(self):
        return f"#{self.pk}"


class TrainingSession(models.Model):
    topic = models.CharField(_("培训主题"), max_length=128)
    date = models.DateField(_("培训日期"))
    trainer = models.CharField(_("授课人"), max_length=64)
    division = models.ForeignKey("geo.Division", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("培训")

    def __str__(self):
        return self.topic


class TrainingAttendance(models.Model):
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    attended = models.BooleanField(_("出勤"), default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="attendance_per_session")]

    def __str__(self):
        return f"#{self.pk}"


class BudgetLine(models.Model):
    class Category(models.TextChoices):
        REWARDS = "rewards", _("举报奖励")
        VIDEO = "video", _("视频监控")
        GRID_OFFICERS = "grid_officers", _("网格员")
        EXPERTS_TRAINING = "experts_training", _("专家和培训")
        PUBLICITY = "publicity", _("宣传")
        OTHER = "other", _("其他")

    year = models.PositiveSmallIntegerField(_("年度"))
    division = models.ForeignKey("geo.Division", on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("科目"), max_length=16, choices=Category.choices)
    amount = models.DecimalField(_("预算（元）"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["-year", "division_id", "category"]
        constraints = [
            models.UniqueConstraint(fields=["year", "division", "category"], name="budget_line_per_unit")
        ]
        verbose_name = _("预算科目")

    def __str__(self):
        return f"{self.year} {self.division_id} {self.get_category_display()}"


class Spending(models.Model):
    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="spendings")
    date = models.DateField(_("支出日期"))
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)
    description = models.CharField(_("用途"), max_length=256)
    source_ref = models.CharField(_("来源"), max_length=64, blank=True, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("支出")

    def __str__(self):
        return f"#{self.pk}"
