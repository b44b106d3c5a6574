"""Power monitoring: detection runs over uploaded meter readings, daily summaries and alerts.

Raw 15-minute readings never enter the database: they are kept as Parquet under settings.READINGS_DIR
(see services.readings_path). What the database holds is derived: one DailySummary per account and day,
and at most one open Alert per account (a new run updates it instead of piling up).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DetectionRun(models.Model):
    """One upload of readings and the detection run over it: who, when, which file, what came out. The run
    scores every account the upload touches over a window of archived readings (the upload merged in)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("运行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    class Via(models.TextChoices):
        PAGE = "page", _("网页上传")
        API = "api", _("接口")
        CLI = "cli", _("命令行")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("上传人"),
    )
    division = models.ForeignKey(
        "geo.Division",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("上传人管辖区域"),
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    via = models.CharField(_("方式"), max_length=8, choices=Via.choices, default=Via.PAGE)
    file_name = models.CharField(_("文件名"), max_length=200)
    upload_path = models.CharField(_("上传文件"), max_length=256, help_text=_("相对 UPLOAD_DIR 的路径"))
    readings_path = models.CharField(
        _("读数存档"),
        max_length=256,
        blank=True,
        help_text=_("相对 READINGS_DIR 的路径（Parquet，按月分区）"),
    )
    engine = models.CharField(_("计算引擎"), max_length=16, default="local")

    class Interval(models.IntegerChoices):
        FIVE = 5, _("5 分钟")
        QUARTER = 15, _("15 分钟")
        HALF_HOUR = 30, _("30 分钟")
        HOUR = 60, _("1 小时")
        DAY = 1440, _("日电量")

    declared_interval = models.PositiveSmallIntegerField(
        _("申报读数间隔"),
        choices=Interval.choices,
        null=True,
        blank=True,
        help_text=_("上传时申报的读数间隔（分钟）；各户实际间隔由时间戳识别，与申报不符时在数据质量中说明"),
    )
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    message = models.TextField(_("结果说明"), blank=True)
    rows_in = models.PositiveIntegerField(_("读入行数"), default=0)
    rows_stored = models.PositiveIntegerField(_("存档行数"), default=0)
    account_count = models.PositiveIntegerField(_("检测户数"), default=0)
    alert_count = models.PositiveIntegerField(_("告警户数"), default=0)
    watch_count = models.PositiveIntegerField(_("关注户数"), default=0)
    quality = models.TextField(_("数据质量"), blank=True)
    unknown_accounts = models.JSONField(_("未登记户号"), default=list, blank=True)
    rejected_accounts = models.JSONField(_("管辖范围外户号"), default=list, blank=True)
    period_start = models.DateField(_("数据起始日"), null=True, blank=True)
    period_end = models.DateField(_("数据截止日"), null=True, blank=True)
    window_start = models.DateField(
        _("检测窗口起始日"), null=True, blank=True, help_text=_("检测所用读数（本次上传与存档合并）的起始日")
    )
    window_end = models.DateField(_("检测窗口截止日"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("检测批次")

    def __str__(self):
        return f"#{self.pk} {self.file_name}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class DailySummary(models.Model):
    """One account's day as the detector saw it, from all archived readings of that day (a re-upload of the
    day rebuilds it from the merged readings, the newest upload winning per interval)."""

    account = models.ForeignKey(
        "registry.PowerAccount", on_delete=models.CASCADE, related_name="daily_summaries"
    )
    day = models.DateField(_("日期"))
    run = models.ForeignKey(DetectionRun, null=True, on_delete=models.SET_NULL, related_name="+")
    kwh = models.FloatField(_("日电量(kWh)"))
    peak_kw = models.FloatField(_("最大负荷(kW)"))
    night_kwh = models.FloatField(_("夜间电量(kWh)"))
    night_share = models.FloatField(_("夜间占比"))
    active_intervals = models.PositiveSmallIntegerField(_("用电时段数"))

    class Meta:
        ordering = ["account_id", "day"]
        constraints = [
            models.UniqueConstraint(fields=["account", "day"], name="daily_summary_per_account_day")
        ]
        verbose_name = _("日用电汇总")

    def __str__(self):
        return f"{self.account_id} {self.day}"


class Alert(models.Model):
    class Level(models.TextChoices):
        ALERT = "alert", _("告警")
        WATCH = "watch", _("关注")

    class Status(models.TextChoices):
        NEW = "new", _("待处理")
        ACKNOWLEDGED = "acknowledged", _("已确认")
        DISMISSED = "dismissed", _("已排除")
        ESCALATED = "escalated", _("已转核查")
        RECOVERED = "recovered", _("已恢复正常")

    OPEN_STATUSES = (Status.NEW, Status.ACKNOWLEDGED, Status.ESCALATED)

    account = models.ForeignKey(
        "registry.PowerAccount", on_delete=models.CASCADE, related_name="alerts", verbose_name=_("电力户号")
    )
    run = models.ForeignKey(
        DetectionRun,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="alerts",
        verbose_name=_("最近检测批次"),
    )
    score = models.FloatField(_("异常评分"), help_text=_("按设定违法率估算的违法熔炼概率"))
    tonnes = models.FloatField(_("估算熔炼量（吨）"), default=0, help_text=_("评分相同时按此排序"))
    level = models.CharField(_("等级"), max_length=8, choices=Level.choices)
    reasons = models.TextField(_("告警理由"))
    features = models.JSONField(_("特征值"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.NEW)
    recovered_on = models.DateField(
        _("恢复正常日期"), null=True, blank=True, help_text=_("新读数检测为正常时，其检测窗口的截止日")
    )
    dismiss_reason = models.TextField(_("排除理由"), blank=True)
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("核查案件"),
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("处理人"),
    )
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    period_start = models.DateField(_("数据起始日"))
    period_end = models.DateField(_("数据截止日"))
    created_at = models.DateTimeField(_("首次告警"), auto_now_add=True)
    updated_at = models.DateTimeField(_("最近更新"), auto_now=True)

    class Meta:
        ordering = ["-score", "-tonnes", "-id"]
        indexes = [models.Index(fields=["status", "level"])]
        verbose_name = _("用电告警")

    def __str__(self):
        return f"#{self.pk} {self.account_id} {self.get_level_display()}"

    @property
    def division_id(self):
        return self.account.division_id

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class AlertVersion(models.Model):
    """Every state of an alert, one row per detection run that raised, re-scored or cleared it."""

    alert = models.ForeignKey(
        Alert, on_delete=models.CASCADE, related_name="versions", verbose_name=_("告警")
    )
    run = models.ForeignKey(
        DetectionRun,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("检测批次"),
    )
    score = models.FloatField(_("异常评分"))
    tonnes = models.FloatField(_("估算熔炼量（吨）"), default=0)
    level = models.CharField(_("等级"), max_length=8)
    status = models.CharField(_("状态"), max_length=16)
    reasons = models.TextField(_("告警理由"))
    features = models.JSONField(_("特征值"), default=dict, blank=True)
    period_start = models.DateField(_("数据起始日"))
    period_end = models.DateField(_("数据截止日"))
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        ordering = ["alert_id", "-created_at", "-id"]
        verbose_name = _("告警历史版本")

    def __str__(self):
        return f"{self.alert_id} {self.created_at:%Y-%m-%d %H:%M}"
