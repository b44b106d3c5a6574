"""The ledger (台账): enterprises, induction furnaces, power accounts and production licences."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from steelwatch.core.models import VisibleManager

from .uscc import validate_uscc

# Rows written by a ledger import carry its batch id until one short final update makes the whole import
# visible at once (registry/imports.py); until then the default managers do not see them.
IMPORT_BATCH = dict(max_length=32, blank=True, default="", db_index=True, editable=False)


class Enterprise(models.Model):
    class Status(models.TextChoices):
        OPERATING = "operating", _("在营")
        IDLE = "idle", _("停产")  # long idle with equipment on site: a zombie
        CLOSED = "closed", _("关停")
        BANNED = "banned", _("取缔")

    # Focus categories named by the notices, each a ledger filter (`flag=` in the API).
    FLAGS = {
        "foundry": _("铸造企业"),
        "special_steel": _("特钢企业"),
        "formerly_banned": _("曾取缔“地条钢”产能"),
        "watchlist": _("重点监控"),
        "furnace_user": _("中(工)频炉使用企业"),
        "off_ledger": _("台账外"),
        "no_grid": _("未划入网格"),
    }

    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, validators=[validate_uscc])
    registration_number = models.CharField(_("原工商注册号"), max_length=15, blank=True, db_index=True)
    name = models.CharField(_("企业名称"), max_length=128, db_index=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=64, blank=True)
    address = models.CharField(_("详细地址"), max_length=256, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    division = models.ForeignKey(
        "geo.Division",
        on_delete=models.PROTECT,
        related_name="enterprises",
        verbose_name=_("行政区划"),
        db_index=False,  # enterprise_division_count and enterprise_ledger_order both lead with it
    )
    grid = models.ForeignKey(
        "geo.Grid",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enterprises",
        verbose_name=_("网格"),
    )
    industry = models.CharField(_("行业"), max_length=64, blank=True)
    status = models.CharField(_("经营状态"), max_length=16, choices=Status.choices, default=Status.OPERATING)
    is_foundry = models.BooleanField(_("铸造企业"), default=False)
    is_special_steel = models.BooleanField(_("特钢企业"), default=False)
    formerly_banned = models.BooleanField(_("曾取缔“地条钢”产能"), default=False)
    on_watchlist = models.BooleanField(_("重点监控"), default=False)
    watchlist_reason = models.CharField(_("列入重点监控原因"), max_length=256, blank=True)
    on_ledger = models.BooleanField(
        _("已纳入台账"), default=True, help_text=_("排查发现、尚未纳入台账的企业为“台账外”，需清零")
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervised_enterprises",
        verbose_name=_("监管责任人"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    import_batch = models.CharField(**IMPORT_BATCH)

    staged = models.Manager()  # every row, those of an import not yet switched on included
    objects = VisibleManager()

    class Meta:
        default_manager_name = "objects"
        ordering = ["division_id", "name"]
        indexes = [
            # The ledger list's order, then every column its filters and search read: the count and any page of
            # 100,000 rows come from the index alone (bench/bench_pages.py).
            models.Index(
                fields=[
                    *("division", "name", "id", "import_batch", "status", "on_ledger", "on_watchlist"),
                    *("is_foundry", "is_special_steel", "formerly_banned", "grid", "address"),
                ],
                name="enterprise_ledger_order",
            ),
            # The figures and lists cut by one flag, each read from its own narrow index in ledger order (the
            # pending-import check included): the counts on the home page, the watchlist and off-ledger lists.
            models.Index(fields=["division", "import_batch"], name="enterprise_division_count"),
            models.Index(
                fields=["on_watchlist", "division", "name", "id", "import_batch"], name="enterprise_watchlist"
            ),
            models.Index(
                fields=["on_ledger", "division", "name", "id", "import_batch"], name="enterprise_on_ledger"
            ),
            # The zombies (idle) among 100,000, with every column the zombie list's reach reads (supervisor, grid).
            models.Index(
                fields=["status", "division", "name", "id", "import_batch", "supervisor", "grid"],
                name="enterprise_status_reach",
            ),
        ]
        verbose_name = _("企业")

    def __str__(self):
        return self.name

    @property
    def is_zombie(self) -> bool:
        return self.status == self.Status.IDLE


class Furnace(models.Model):
    class Kind(models.TextChoices):
        MEDIUM_FREQ = "medium_freq", _("中频炉")
        POWER_FREQ = "power_freq", _("工频炉")

    class Status(models.TextChoices):
        IN_USE = "in_use", _("在用")
        SEALED = "sealed", _("封存")
        DISMANTLED = "dismantled", _("拆除")
        DESTROYED = "destroyed", _("销毁")

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="furnaces")
    number = models.CharField(_("设备编号"), max_length=64)
    kind = models.CharField(_("设备类型"), max_length=16, choices=Kind.choices)
    capacity_t = models.DecimalField(_("容量(吨)"), max_digits=8, decimal_places=2)
    rated_kw = models.DecimalField(_("额定功率(kW)"), max_digits=10, decimal_places=1)
    purpose = models.CharField(_("用途"), max_length=128, blank=True)
    legitimacy_basis = models.CharField(
        _("合规依据"), max_length=256, blank=True, help_text=_("如：符合钢协〔2017〕23号界定的铸造用途")
    )
    status = models.CharField(_("设备状态"), max_length=16, choices=Status.choices, default=Status.IN_USE)
    status_date = models.DateField(_("状态日期"), null=True, blank=True)
    import_batch = models.CharField(**IMPORT_BATCH)

    staged = models.Manager()  # every row, those of an import not yet switched on included
    objects = VisibleManager()

    class Meta:
        default_manager_name = "objects"
        ordering = ["enterprise_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "number"], name="furnace_number_per_enterprise")
        ]
        verbose_name = _("感应炉")

    def __str__(self):
        return f"{self.number}（{self.get_kind_display()} {self.capacity_t}t）"

    @property
    def division_id(self):
        return self.enterprise.division_id


class FurnaceStatusChange(models.Model):
    """The dated history of a furnace's status."""

    furnace = models.ForeignKey(Furnace, on_delete=models.CASCADE, related_name="status_history")
    status = models.CharField(_("设备状态"), max_length=16, choices=Furnace.Status.choices)
    date = models.DateField(_("日期"))
    note = models.CharField(_("说明"), max_length=256, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.furnace.number} {self.get_status_display()} {self.date}"


class PowerAccount(models.Model):
    """A power-company account (户号) at a site; links meter data to an enterprise."""

    account_id = models.CharField(_("电力户号"), max_length=32, unique=True)
    enterprise = models.ForeignKey(
        Enterprise,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="power_accounts",
        verbose_name=_("企业"),
    )
    division = models.ForeignKey(
        "geo.Division", on_delete=models.PROTECT, related_name="power_accounts", verbose_name=_("行政区划")
    )
    address = models.CharField(_("用电地址"), max_length=256, blank=True)
    contracted_kva = models.DecimalField(_("合同容量(kVA)"), max_digits=10, decimal_places=1)
    transformer = models.CharField(_("变压器"), max_length=128, blank=True)
    industry = models.CharField(_("用电行业分类"), max_length=64, blank=True)
    closed_site_watch = models.BooleanField(
        _("关停场所用电监视"), default=False, help_text=_("已关停/取缔场所：任何高于待机水平的用电都告警")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["account_id"]
        verbose_name = _("电力账户")

    def __str__(self):
        return self.account_id


class CapacityIncreaseRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("已驳回")

    account = models.ForeignKey(PowerAccount, on_delete=models.CASCADE, related_name="capacity_requests")
    requested_on = models.DateField(_("申请日期"))
    from_kva = models.DecimalField(_("原容量(kVA)"), max_digits=10, decimal_places=1)
    to_kva = models.DecimalField(_("申请容量(kVA)"), max_digits=10, decimal_places=1)
    reason = models.CharField(_("申请理由"), max_length=256, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)

    class Meta:
        ordering = ["-requested_on"]
        verbose_name = _("增容申请")

    def __str__(self):
        return f"{self.account.account_id} {self.from_kva}→{self.to_kva} kVA"

    @property
    def division_id(self):
        return self.account.division_id


class ProductionLicence(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", _("有效")
        SUSPENDED = "suspended", _("暂停")
        REVOKED = "revoked", _("撤销")

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="licences")
    number = models.CharField(_("许可证编号"), max_length=64, unique=True)
    scope = models.CharField(_("许可范围"), max_length=256)
    valid_from = models.DateField(_("有效期起"))
    valid_until = models.DateField(_("有效期至"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.VALID)

    class Meta:
        ordering = ["-valid_until"]
        verbose_name = _("生产许可证")

    def __str__(self):
        return self.number

    @property
    def division_id(self):
        return self.enterprise.division_id

    def clean(self):
        from .licences import validity_error

        if error := validity_error(self.valid_from, self.valid_until):
            raise ValidationError({"valid_until": error})


class LicenceSelfInspection(models.Model):
    """A licensee's annual self-inspection report (年度自查报告)."""

    licence = models.ForeignKey(ProductionLicence, on_delete=models.CASCADE, related_name="self_inspections")
    year = models.PositiveSmallIntegerField(_("年度"))
    submitted_on = models.DateField(_("提交日期"))
    conforming = models.BooleanField(_("自查结论：符合发证条件"), default=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["licence", "year"], name="licence_self_inspection_per_year")
        ]
        verbose_name = _("年度自查报告")

    def __str__(self):
        return f"{self.licence_id} {self.year}"

    @property
    def division_id(self):
        return self.licence.enterprise.division_id


class LicenceRectification(models.Model):
    """An order to rectify within a deadline (限期整改), and its outcome."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("整改中")
        RECTIFIED = "rectified", _("整改合格")
        FAILED = "failed", _("逾期未整改或整改不合格")

    licence = models.ForeignKey(ProductionLicence, on_delete=models.CASCADE, related_name="rectifications")
    ordered_on = models.DateField(_("责令日期"))
    deadline = models.DateField(_("整改期限"))
    requirement = models.CharField(_("整改要求"), max_length=300)
    document = models.CharField(_("责令整改文书号"), max_length=64)
    outcome = models.CharField(_("整改结果"), max_length=16, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_on = models.DateField(_("验收日期"), null=True, blank=True)
    outcome_note = models.CharField(_("验收意见"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-ordered_on", "-id"]
        verbose_name = _("许可证限期整改")

    def __str__(self):
        return f"{self.licence_id} {self.document}"

    @property
    def division_id(self):
        return self.licence.enterprise.division_id


class LicenceDecision(models.Model):
    """A suspension, revocation or reinstatement of a licence, with the deciding document."""

    class Kind(models.TextChoices):
        SUSPEND = "suspend", _("暂停")
        REVOKE = "revoke", _("撤销")
        REINSTATE = "reinstate", _("恢复")

    licence = models.ForeignKey(ProductionLicence, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(_("决定"), max_length=16, choices=Kind.choices)
    decided_on = models.DateField(_("决定日期"))
    document = models.CharField(_("决定文书号"), max_length=64)
    reason = models.CharField(_("理由"), max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = _("许可证处理决定")

    def __str__(self):
        return f"{self.licence_id} {self.kind} {self.document}"

    @property
    def division_id(self):
        return self.licence.enterprise.division_id


class LicenceReminder(models.Model):
    """A licence warning already sent (renewal due, expired, a rectification deadline passed — `valid_until`
    then holds the deadline), so that `run-reminders` sends each once."""

    licence = models.ForeignKey(ProductionLicence, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=16)
    valid_until = models.DateField()  # a renewed licence (new expiry) is warned again

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["licence", "kind", "valid_until"], name="licence_reminder_once")
        ]

    def __str__(self):
        return f"{self.licence_id} {self.kind} {self.valid_until}"


class LedgerSnapshot(models.Model):
    """The semiannual consolidation (每年6月、12月归集): the lists as they stood, frozen for one period.

    Holds the counts per district and the path (under DATA_DIR) of the workbook with the furnace-user
    list, the watchlist and the off-ledger list. One snapshot per period and division; re-running replaces it.
    """

    period = models.CharField(_("归集期"), max_length=7, help_text=_("YYYY-06 或 YYYY-12"))
    division = models.ForeignKey(
        "geo.Division", on_delete=models.PROTECT, related_name="ledger_snapshots", verbose_name=_("归集范围")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("归集人"),
    )
    created_at = models.DateTimeField(_("归集时间"), auto_now=True)
    furnace_user_count = models.PositiveIntegerField(_("中(工)频炉使用企业数"), default=0)
    watchlist_count = models.PositiveIntegerField(_("重点监控企业数"), default=0)
    off_ledger_count = models.PositiveIntegerField(_("台账外企业数"), default=0)
    counts = models.JSONField(_("分区县统计"), default=list, blank=True)
    file_path = models.CharField(
        _("归集文件"), max_length=256, blank=True, help_text=_("相对 DATA_DIR 的路径")
    )

    class Meta:
        ordering = ["-period", "division_id"]
        constraints = [
            models.UniqueConstraint(fields=["period", "division"], name="ledger_snapshot_per_period")
        ]
        verbose_name = _("清单归集")

    def __str__(self):
        return f"{self.period} {self.division_id}"
