"""Cases: every signal ends here — verified on site, acted on jointly, closed for good."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Case(models.Model):
    class Source(models.TextChoices):
        TIP = "tip", _("群众举报")
        POWER_ALERT = "power_alert", _("用电异常告警")
        PATROL = "patrol", _("巡查检查发现")
        SAMPLING = "sampling", _("抽检不合格")
        PRESS = "press", _("媒体曝光")
        TRANSFER = "transfer", _("外地移交")
        MANUAL = "manual", _("手工立案")

    class State(models.TextChoices):
        REGISTERED = "registered", _("已登记")
        VERIFYING = "verifying", _("核查中")
        CONFIRMED = "confirmed", _("查实")
        UNFOUNDED = "unfounded", _("不属实")
        ENFORCING = "enforcing", _("查处中")
        CLOSING = "closing", _("取缔验收中")
        REVISITING = "revisiting", _("回头看")
        CLOSED = "closed", _("已结案")
        TRANSFERRED = "transferred", _("已移交")
        REFERRED = "referred", _("已移送司法")

    title = models.CharField(_("案件名称"), max_length=200)
    source = models.CharField(_("线索来源"), max_length=16, choices=Source.choices)
    source_ref = models.CharField(
        _("来源编号"), max_length=64, blank=True, help_text=_("如 tip:12、alert:34，指向产生本案的线索")
    )
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.REGISTERED)
    division = models.ForeignKey(
        "geo.Division", on_delete=models.PROTECT, related_name="cases", verbose_name=_("属地")
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
        verbose_name=_("涉事企业"),
    )
    address = models.CharField(_("地址"), max_length=256, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    description = models.TextField(_("案情"), blank=True)
    power_accounts = models.ManyToManyField(
        "registry.PowerAccount", blank=True, related_name="cases", verbose_name=_("涉及电力户号")
    )
    related_cases = models.ManyToManyField("self", blank=True, verbose_name=_("关联案件"))
    verify_due = models.DateField(_("核查期限"), null=True, blank=True)
    previous_state = models.CharField(_("移交前状态"), max_length=16, choices=State.choices, blank=True)
    transfer_to = models.ForeignKey(
        "geo.Division",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incoming_cases",
        verbose_name=_("移交至"),
    )
    transferred_from = models.ForeignKey(
        "geo.Division",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outgoing_cases",
        verbose_name=_("移出地"),
        help_text=_("最近一次接收的移交由哪个地区移出；移出地此后仍可查看（只读）"),
    )
    transfer_note = models.CharField(
        _("移交退回说明"),
        max_length=300,
        blank=True,
        help_text=_("接收地退回移交时的理由；案件下一次流转时清除"),
    )
    closure_round = models.PositiveSmallIntegerField(_("验收轮次"), default=1)
    closure_kind = models.CharField(
        _("处置方式"), max_length=16, blank=True, help_text=_("closed 关停 / banned 取缔")
    )
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("验收签字人"),
    )
    signed_off_at = models.DateTimeField(_("验收时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("案件")

    def __str__(self):
        return f"#{self.pk} {self.title}"

    OPEN_STATES = ("registered", "verifying", "confirmed", "enforcing", "closing", "revisiting")

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    def is_overdue(self, today=None) -> bool:
        from django.utils import timezone

        today = today or timezone.localdate()
        return self.state == self.State.VERIFYING and self.verify_due is not None and today > self.verify_due


class Aspect(models.TextChoices):
    """The eleven aspects a joint verification checks (十一个方面)."""

    PROJECT_COMPLIANCE = "project_compliance", _("项目合规")
    CAPACITY_REPLACEMENT = "capacity_replacement", _("产能置换")
    PRODUCT_QUALITY = "product_quality", _("产品质量")
    LAND_APPROVAL = "land_approval", _("用地审批")
    ENVIRONMENTAL_PROTECTION = "environmental_protection", _("环境保护")
    CONSTRUCTION_PERMIT = "construction_permit", _("施工许可")
    WORK_SAFETY = "work_safety", _("安全生产")
    EXPORT_SUPERVISION = "export_supervision", _("出口监管")
    TAXES = "taxes", _("纳税情况")
    BUSINESS_REGISTRATION = "business_registration", _("注册登记")
    BANK_CREDIT = "bank_credit", _("银行信贷")


class CaseEvent(models.Model):
    """One line of a case's timeline: a transition (with its reason) or another step taken on the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=32)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, blank=True)
    text = models.CharField(_("内容"), max_length=300)
    reason = models.TextField(_("理由"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("案件动态")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.text}"


class JointTask(models.Model):
    """One department's part of a joint verification: an aspect to check, by a date, with findings."""

    class Status(models.TextChoices):
        OPEN = "open", _("办理中")
        DONE = "done", _("已办结")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    aspect = models.CharField(_("核查方面"), max_length=32, choices=Aspect.choices)
    department = models.CharField(_("责任部门"), max_length=32)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case_tasks",
        verbose_name=_("承办人"),
    )
    due_date = models.DateField(_("办理期限"))
    mandatory = models.BooleanField(_("必办"), default=True)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OPEN)
    findings = models.TextField(_("核查结论"), blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("联合核查任务")

    def __str__(self):
        return f"{self.get_aspect_display()}（{self.department_label}）"

    @property
    def department_label(self) -> str:
        from steelwatch.accounts.roles import Department

        return dict(Department.choices).get(self.department, self.department)

    @property
    def division_id(self):
        return self.case.division_id


class JudicialReferral(models.Model):
    """The judicial track of a case (移送司法): who received it, whether they opened a criminal case, how it
    ended. It runs beside the administrative track (cuts, closure, revisits), which goes on; the police
    department of the case's area has it as a task until they record the acceptance and the outcome."""

    class Status(models.TextChoices):
        REFERRED = "referred", _("已移送，待受理")
        ACCEPTED = "accepted", _("已立案")
        DECLINED = "declined", _("不予立案")
        CONCLUDED = "concluded", _("已办结")

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="referral")
    organ = models.CharField(_("受理机关"), max_length=128)
    charge = models.CharField(_("涉嫌罪名或移送理由"), max_length=300)
    referred_on = models.DateField(_("移送日期"))
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.REFERRED)
    accepted_on = models.DateField(_("受理（立案）日期"), null=True, blank=True)
    file_number = models.CharField(_("立案编号"), max_length=64, blank=True)
    outcome = models.CharField(_("处理结果"), max_length=300, blank=True)
    outcome_on = models.DateField(_("结果日期"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("移送司法")

    def __str__(self):
        return _("案件 #{case_id} 移送{organ}").format(case_id=self.case_id, organ=self.organ)

    @property
    def division_id(self):
        return self.case.division_id

    @property
    def pending(self) -> bool:
        return self.status in (self.Status.REFERRED, self.Status.ACCEPTED)


class CutOrder(models.Model):
    """An order to cut a site's power or water, confirmed by the utility that executes it."""

    class Kind(models.TextChoices):
        POWER = "power", _("断电")
        WATER = "water", _("断水")

    class Status(models.TextChoices):
        PENDING = "pending", _("待执行")
        EXECUTED = "executed", _("已执行")

    DEPARTMENT = {"power": "power_company", "water": "water_utility"}

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="cut_orders")
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    power_account = models.ForeignKey(
        "registry.PowerAccount",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cut_orders",
        verbose_name=_("电力户号"),
    )
    note = models.CharField(_("要求"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True)
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    executed_at = models.DateTimeField(null=True, blank=True)
    execution_note = models.CharField(_("执行情况"), max_length=300, blank=True)

    class Meta:
        ordering = ["issued_at", "id"]
        verbose_name = _("断电断水指令")

    def __str__(self):
        return _("{kind}（案件 #{case_id}）").format(kind=self.get_kind_display(), case_id=self.case_id)

    @property
    def department(self) -> str:
        return self.DEPARTMENT[self.kind]

    @property
    def division_id(self):
        return self.case.division_id


class EnforcementAction(models.Model):
    """Sealing, a fine, a confiscation or a licence revocation request decided on a case."""

    class Kind(models.TextChoices):
        SEALING = "sealing", _("查封")
        FINE = "fine", _("罚款")
        CONFISCATION = "confiscation", _("没收")
        LICENCE_REVOCATION = "licence_revocation", _("吊销许可证申请")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(_("措施"), max_length=24, choices=Kind.choices)
    date = models.DateField(_("日期"))
    fine_yuan = models.DecimalField(_("罚款金额(元)"), max_digits=12, decimal_places=2, null=True, blank=True)
    raw_material_t = models.DecimalField(
        _("没收原料(吨)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    product_t = models.DecimalField(_("没收产品(吨)"), max_digits=10, decimal_places=2, null=True, blank=True)
    licence = models.ForeignKey(
        "registry.ProductionLicence",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("许可证"),
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("查处措施")

    def __str__(self):
        return _("{kind}（案件 #{case_id}）").format(kind=self.get_kind_display(), case_id=self.case_id)

    @property
    def division_id(self):
        return self.case.division_id


class BlacklistProposal(models.Model):
    """A proposal to put an enterprise and its legal representative on the serious dishonesty list."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("已提请")
        ACCEPTED = "accepted", _("已列入")
        REJECTED = "rejected", _("未采纳")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="blacklist_proposals")
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="blacklist_proposals",
        verbose_name=_("企业"),
    )
    subject_name = models.CharField(_("失信主体"), max_length=128)
    legal_representative = models.CharField(_("法定代表人"), max_length=64, blank=True)
    reason = models.TextField(_("事由"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-proposed_at"]
        verbose_name = _("严重失信名单提请")

    def __str__(self):
        return self.subject_name

    @property
    def division_id(self):
        return self.case.division_id


class ClosureCheck(models.TextChoices):
    """The five checks a closure must prove (五个彻底)."""

    POWER_WATER_CUT = "power_water_cut", _("彻底断电断水")
    EQUIPMENT_DESTROYED = "equipment_destroyed", _("彻底捣毁生产设备")
    PLANT_CLEARED = "plant_cleared", _("彻底清理厂房")
    MATERIALS_CONFISCATED = "materials_confiscated", _("彻底没收生产原材料")
    PRODUCTS_CONFISCATED = "products_confiscated", _("彻底没收产品")


class ClosureItem(models.Model):
    """One of the five checks in one closure round: who saw it, when, and (for equipment) which furnaces."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="closure_items")
    item = models.CharField(_("验收项"), max_length=32, choices=ClosureCheck.choices)
    round = models.PositiveSmallIntegerField(_("轮次"), default=1)
    witnessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("现场见证人"),
    )
    witnessed_on = models.DateField(_("见证日期"))
    note = models.TextField(_("说明"), blank=True)
    furnaces = models.ManyToManyField(
        "registry.Furnace", blank=True, related_name="closure_items", verbose_name=_("销毁设备")
    )

    class Meta:
        ordering = ["round", "item"]
        constraints = [
            models.UniqueConstraint(fields=["case", "item", "round"], name="closure_item_per_round")
        ]
        verbose_name = _("取缔验收项")

    def __str__(self):
        return _("{item}（第{round}轮）").format(item=self.get_item_display(), round=self.round)

    @property
    def division_id(self):
        return self.case.division_id


class Revisit(models.Model):
    """A later re-inspection (回头看) of a closed site, or a patrol of a zombie site, by a grid officer."""

    class Kind(models.TextChoices):
        REVISIT = "revisit", _("回头看")
        PATROL = "patrol", _("僵尸企业巡查")

    class Status(models.TextChoices):
        PENDING = "pending", _("待检查")
        DONE = "done", _("已检查")
        CANCELLED = "cancelled", _("已取消")

    CHECKLIST = {
        "no_power_use": _("无生产用电（电表静止）"),
        "no_equipment": _("无中(工)频炉等生产设备"),
        "no_materials": _("无废钢等原料堆放"),
        "no_products": _("无钢坯、钢锭等产品"),
        "no_activity": _("无人员、车辆进出等生产迹象"),
    }

    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices, default=Kind.REVISIT)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="revisits")
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="revisits",
        verbose_name=_("企业"),
    )
    division = models.ForeignKey(
        "geo.Division", on_delete=models.PROTECT, related_name="+", verbose_name=_("属地")
    )
    due_date = models.DateField(_("检查日期"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="revisits",
        verbose_name=_("检查人"),
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    checklist = models.JSONField(_("检查清单"), default=dict, blank=True)
    activity_found = models.BooleanField(_("发现生产迹象"), default=False)
    note = models.TextField(_("检查情况"), blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("回头看")

    def __str__(self):
        return f"{self.get_kind_display()} {self.due_date:%Y-%m-%d}"


class RestartRequest(models.Model):
    """A zombie site asking to restart: a third-party safety report, then the district's decision."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("已驳回")

    enterprise = models.ForeignKey(
        "registry.Enterprise",
        on_delete=models.CASCADE,
        related_name="restart_requests",
        verbose_name=_("企业"),
    )
    safety_assessor = models.CharField(_("第三方安全评估机构"), max_length=128)
    note = models.TextField(_("说明"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("审批意见"), blank=True)
    findings_overridden = models.BooleanField(
        _("覆盖巡查发现"),
        default=False,
        help_text=_("批准时近期巡查或回头看发现生产迹象，由审批人记录理由后批准"),
    )

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("复产申请")

    def __str__(self):
        return _("{enterprise} 复产申请").format(enterprise=self.enterprise)

    @property
    def division_id(self):
        return self.enterprise.division_id


class Attachment(models.Model):
    """A photo or document on a case (or a zombie site's restart request), stored under UPLOAD_DIR."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("照片")
        DOCUMENT = "document", _("文件")

    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    task = models.ForeignKey(
        JointTask, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    closure_item = models.ForeignKey(
        ClosureItem, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    revisit = models.ForeignKey(
        Revisit, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    restart_request = models.ForeignKey(
        RestartRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    purpose = models.CharField(_("用途"), max_length=16, blank=True, help_text=_("如 referral：移送司法材料"))
    kind = models.CharField(_("类别"), max_length=8, choices=Kind.choices)
    path = models.CharField(max_length=200, help_text=_("相对 UPLOAD_DIR 的路径"))
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    note = models.CharField(_("说明"), max_length=300, blank=True)
    taken_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True)
    gps_latitude = models.DecimalField(_("拍摄纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    gps_longitude = models.DecimalField(_("拍摄经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    sha256 = models.CharField(_("内容摘要"), max_length=64, blank=True, db_index=True)
    exception_reason = models.CharField(
        _("例外说明"),
        max_length=300,
        blank=True,
        help_text=_("验收证据早于断电断水执行日或与其他验收项共用时，办案人员记录的理由"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("附件")

    def __str__(self):
        return self.original_name


class TraceNode(models.Model):
    """A point in the trace-back of bad steel: its source, an enterprise, a person, a buyer, a building site."""

    class Kind(models.TextChoices):
        SOURCE = "source", _("源头")
        ENTERPRISE = "enterprise", _("企业")
        PERSON = "person", _("人员")
        BUYER = "buyer", _("买方/经销商")
        SITE = "site", _("建筑工地")
        FURNACE = "furnace", _("感应炉")
        POWER_ACCOUNT = "power_account", _("电力户号")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="trace_nodes")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    label = models.CharField(_("名称"), max_length=128)
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("台账企业"),
    )
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["case", "label"], name="trace_node_label_per_case")]
        verbose_name = _("溯源节点")

    def __str__(self):
        return self.label


class TraceEdge(models.Model):
    """A flow of steel (or a role of a person) between two trace nodes, with the quantity in tonnes."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="trace_edges")
    source = models.ForeignKey(TraceNode, on_delete=models.CASCADE, related_name="out_edges")
    target = models.ForeignKey(TraceNode, on_delete=models.CASCADE, related_name="in_edges")
    label = models.CharField(_("关系"), max_length=64, blank=True)
    quantity_t = models.DecimalField(_("数量(吨)"), max_digits=10, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("溯源流向")

    def __str__(self):
        return f"{self.source_id}→{self.target_id}"


class Reminder(models.Model):
    """A reminder already sent, so that `steelwatch case-reminders` notifies once per case, kind and day."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=16)
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "kind", "day"], name="reminder_once_per_day")]

    def __str__(self):
        return f"{self.case_id} {self.kind} {self.day}"
