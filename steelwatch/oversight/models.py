"""Oversight: the leading group, campaigns with phases and tasks, report rounds, pledge rounds, evaluations,
and the accountability records (notices, summons, rectification orders, accountability proposals, visits).

A *unit* is a division (a district or a township) or a department of the issuing office: tasks, report
submissions and pledges name it by `division` (and `department` for a department unit)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steelwatch.accounts.roles import Department

USER = settings.AUTH_USER_MODEL


class LeadingGroup(models.Model):
    """The leading group (领导小组) of a city or county, with its office (办公室) in a lead department."""

    division = models.OneToOneField("geo.Division", on_delete=models.PROTECT, related_name="leading_group")
    name = models.CharField(_("领导小组名称"), max_length=120)
    office_name = models.CharField(_("办公室名称（红头发文机关）"), max_length=120)
    office_department = models.CharField(_("办公室所在部门"), max_length=32, choices=Department.choices)
    contact = models.CharField(_("联系人及电话"), max_length=120, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("领导小组")

    def __str__(self):
        return self.name


class GroupMember(models.Model):
    class Post(models.TextChoices):
        LEADER = "leader", _("组长")
        DEPUTY = "deputy", _("副组长")
        MEMBER = "member", _("成员")
        OFFICE_HEAD = "office_head", _("办公室主任")

    group = models.ForeignKey(LeadingGroup, on_delete=models.CASCADE, related_name="members")
    post = models.CharField(_("小组职务"), max_length=16, choices=Post.choices, default=Post.MEMBER)
    department = models.CharField(_("所在单位"), max_length=32, choices=Department.choices, blank=True)
    person = models.CharField(_("姓名"), max_length=32)
    title = models.CharField(_("职务"), max_length=64, blank=True)

    class Meta:
        ordering = ["group", "post", "pk"]
        verbose_name = _("领导小组成员")

    def __str__(self):
        return f"{self.get_post_display()} {self.person}"


class Campaign(models.Model):
    class State(models.TextChoices):
        ACTIVE = "active", _("进行中")
        CLOSED = "closed", _("已结束")

    division = models.ForeignKey("geo.Division", on_delete=models.PROTECT, related_name="campaigns")
    title = models.CharField(_("专项行动名称"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=64, blank=True)
    goals = models.TextField(_("工作目标"), blank=True)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    state = models.CharField(_("状态"), max_length=8, choices=State.choices, default=State.ACTIVE)
    copied_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("专项行动")

    def __str__(self):
        return self.title


class Phase(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(_("阶段"), max_length=64)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))

    class Meta:
        ordering = ["starts_on", "pk"]

    def __str__(self):
        return self.name


class CampaignTask(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("任务"), max_length=300)
    lead_department = models.CharField(_("责任单位"), max_length=32, choices=Department.choices)
    supporting_departments = models.JSONField(_("配合单位"), default=list, blank=True)
    due_on = models.DateField(_("完成时限"))

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.title


class TaskUnit(models.Model):
    """One unit's share of a campaign task: its progress, evidence and completion."""

    class State(models.TextChoices):
        OPEN = "open", _("办理中")
        DONE = "done", _("已完成")

    task = models.ForeignKey(CampaignTask, on_delete=models.CASCADE, related_name="units")
    division = models.ForeignKey("geo.Division", on_delete=models.PROTECT, related_name="+")
    # A department unit (the lead or a supporting department at the office's level); blank for a division.
    department = models.CharField(_("部门"), max_length=32, choices=Department.choices, blank=True)
    state = models.CharField(_("状态"), max_length=8, choices=State.choices, default=State.OPEN)
    progress = models.TextField(_("进展"), blank=True)
    evidence = models.CharField(max_length=200, blank=True)  # stored file, relative to UPLOAD_DIR
    done_at = models.DateTimeField(null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["task", "department", "division"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "division", "department"], name="oversight_task_unit_once"
            )
        ]

    def __str__(self):
        return f"{self.task} · {self.unit_name}"

    @property
    def unit_name(self) -> str:
        return self.get_department_display() if self.department else self.division.name


class ReportRound(models.Model):
    """A round of periodic reports (信息报送): every unit submits figures and text by `due_on`."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="report_rounds")
    title = models.CharField(_("报送事项"), max_length=200)
    due_on = models.DateField(_("报送截止日期"))
    period_start = models.DateField(_("统计起始日"))
    period_end = models.DateField(_("统计截止日"))
    figure_keys = models.JSONField(_("报送指标"), default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.title


class ReportSubmission(models.Model):
    """One unit's report in a round; exists (unsubmitted) from the round's creation so reminders can find it."""

    round = models.ForeignKey(ReportRound, on_delete=models.CASCADE, related_name="submissions")
    division = models.ForeignKey("geo.Division", on_delete=models.PROTECT, related_name="+")
    figures = models.JSONField(_("报送数据"), default=dict, blank=True)
    prefilled = models.JSONField(_("平台预填数据"), default=dict, blank=True)
    text = models.TextField(_("工作情况"), blank=True)
    attachment = models.CharField(max_length=200, blank=True)
    submitted_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["round", "division"]
        constraints = [
            models.UniqueConstraint(fields=["round", "division"], name="oversight_submission_once")
        ]

    def __str__(self):
        return f"{self.round} · {self.division}"

    def state_on(self, today) -> str:
        """pending (not yet due), submitted (on time), late (after the due date), missing (past due)."""
        due = self.round.due_on
        if self.submitted_at:
            return "late" if timezone.localdate(self.submitted_at) > due else "submitted"
        return "missing" if today > due else "pending"


class PledgeRound(models.Model):
    """A round of pledges (承诺书) or responsibility agreements (目标责任书), signed level by level."""

    class Kind(models.TextChoices):
        PLEDGE = "pledge", _("承诺书")
        AGREEMENT = "agreement", _("目标责任书")

    class Level(models.TextChoices):
        ENTERPRISE = "enterprise", _("企业→街镇")
        TOWNSHIP = "township", _("街镇→区县")
        DISTRICT = "district", _("区县→市")

    division = models.ForeignKey("geo.Division", on_delete=models.PROTECT, related_name="pledge_rounds")
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, default=Kind.PLEDGE)
    title = models.CharField(_("名称"), max_length=200)
    text = models.TextField(_("承诺内容"))
    due_on = models.DateField(_("签订截止日期"))
    levels = models.JSONField(_("签订层级"), default=list)
    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.SET_NULL)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-due_on", "-pk"]

    def __str__(self):
        return self.title


class PledgeSignature(models.Model):
    round = models.ForeignKey(PledgeRound, on_delete=models.CASCADE, related_name="signatures")
    level = models.CharField(_("层级"), max_length=12, choices=PledgeRound.Level.choices)
    division = models.ForeignKey(
        "geo.Division", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signer = models.CharField(_("签订人"), max_length=64)
    signed_on = models.DateField(_("签订日期"))
    scan = models.CharField(max_length=200)
    scan_sha256 = models.CharField(_("扫描件SHA-256"), max_length=64)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "level", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "division"],
                condition=models.Q(enterprise__isnull=True),
                name="pledge_unit_once",
            ),
            models.UniqueConstraint(
                fields=["round", "enterprise"],
                condition=models.Q(enterprise__isnull=False),
                name="pledge_enterprise_once",
            ),
        ]

    def __str__(self):
        return f"{self.round} · {self.signer}"


class Evaluation(models.Model):
    """A period's evaluation of the districts (or townships) under an office: metrics, score, rank, band."""

    division = models.ForeignKey("geo.Division", on_delete=models.PROTECT, related_name="evaluations")
    period_start = models.DateField(_("评估起始日"))
    period_end = models.DateField(_("评估截止日"))
    weights = models.JSONField(_("权重"), default=dict)
    results = models.JSONField(_("评估结果"), default=list)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_end", "-pk"]

    def __str__(self):
        return f"{self.division} {self.period_start}–{self.period_end}"


class Document(models.Model):
    """A red-header document (红头文件) rendered to PDF and kept with the record it belongs to."""

    class Kind(models.TextChoices):
        NOTICE = "notice", _("通报")
        SUMMONS = "summons", _("约谈通知")
        RECTIFICATION = "rectification", _("整改通知")
        EVALUATION = "evaluation", _("评估通报")
        CAMPAIGN = "campaign", _("工作方案")
        SUMMARY = "summary", _("汇总表")
        ACCOUNTABILITY = "accountability", _("追责问责建议")

    division = models.ForeignKey("geo.Division", on_delete=models.PROTECT, related_name="+")  # issuing office
    kind = models.CharField(_("文件类型"), max_length=16, choices=Kind.choices)
    document_number = models.CharField(_("文号"), max_length=64, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    recipients = models.CharField(_("主送"), max_length=300, blank=True)
    body = models.TextField(_("正文"))
    attachments = models.JSONField(_("附件"), default=list, blank=True)
    issued_on = models.DateField(_("成文日期"))
    target_division = models.ForeignKey(
        "geo.Division", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pdf = models.CharField(max_length=200, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-pk"]

    def __str__(self):
        return self.title


class Summons(models.Model):
    """约谈: a unit's leaders summoned over lagging work, with the record of the meeting."""

    division = models.ForeignKey("geo.Division", on_delete=models.PROTECT, related_name="summonses")
    issued_by_division = models.ForeignKey("geo.Division", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("约谈事由"))
    held_on = models.DateField(_("约谈日期"))
    place = models.CharField(_("地点"), max_length=120, blank=True)
    attendees = models.TextField(_("参加人员"), blank=True)
    minutes = models.TextField(_("约谈记录"), blank=True)
    basis = models.JSONField(_("依据（指标、案件）"), default=list, blank=True)
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.SET_NULL)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.division} {self.held_on}"


class Rectification(models.Model):
    """限期整改: an order to a unit with a deadline, the unit's report, and the office's acceptance."""

    class State(models.TextChoices):
        ISSUED = "issued", _("整改中")
        REPORTED = "reported", _("已报整改情况")
        ACCEPTED = "accepted", _("已验收")
        REJECTED = "rejected", _("验收未通过")

    class Source(models.TextChoices):
        ORDER = "order", _("整改通知")
        VISIT = "visit", _("督查发现")
        EVALUATION = "evaluation", _("评估通报")

    division = models.ForeignKey("geo.Division", on_delete=models.PROTECT, related_name="rectifications")
    issued_by_division = models.ForeignKey("geo.Division", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("来源"), max_length=12, choices=Source.choices, default=Source.ORDER)
    reason = models.TextField(_("整改事项"))
    owner = models.CharField(_("责任人"), max_length=64, blank=True)
    issued_on = models.DateField(_("下达日期"))
    due_on = models.DateField(_("整改时限"))
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.ISSUED)
    report = models.TextField(_("整改情况"), blank=True)
    evidence = models.CharField(max_length=200, blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("验收意见"), blank=True)
    reminded_on = models.DateField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    basis = models.JSONField(_("依据（指标、案件）"), default=list, blank=True)
    visit = models.ForeignKey(
        "SupervisionVisit", null=True, blank=True, on_delete=models.CASCADE, related_name="findings"
    )
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.SET_NULL)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]

    OPEN_STATES = ("issued", "reported", "rejected")

    def __str__(self):
        return self.reason[:40]


class AccountabilityProposal(models.Model):
    """追责问责建议: the facts and the persons, proposed to the discipline organs."""

    division = models.ForeignKey("geo.Division", on_delete=models.PROTECT, related_name="+")
    issued_by_division = models.ForeignKey("geo.Division", on_delete=models.PROTECT, related_name="+")
    facts = models.TextField(_("事实"))
    persons = models.TextField(_("责任人员"), blank=True)
    proposed_on = models.DateField(_("提出日期"))
    basis = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-proposed_on", "-pk"]

    def __str__(self):
        return self.facts[:40]


class SupervisionVisit(models.Model):
    """督查: a visit from above to a district or a site, announced or unannounced (四不两直)."""

    division = models.ForeignKey("geo.Division", on_delete=models.PROTECT, related_name="+")
    issued_by_division = models.ForeignKey("geo.Division", on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey(
        "registry.Enterprise", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unannounced = models.BooleanField(_("四不两直"), default=False)
    visited_on = models.DateField(_("督查日期"))
    team = models.TextField(_("督查组成员"))
    summary = models.TextField(_("督查情况"), blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-pk"]

    def __str__(self):
        return f"{self.division} {self.visited_on}"
