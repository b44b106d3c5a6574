"""The credit list: entries (an enterprise or a person on the serious-dishonesty list or the abnormal-operation
list), their lifecycle events, the joint-punishment measure catalogue, what each department did, the name
index screening queries first, and the recorded screening decisions.

A person's resident ID number is never stored in clear: `id_ciphertext` (Fernet), `id_digest` (keyed HMAC,
for exact matching) and `id_masked` (3204**********1234) are all there is (see idnumber.py).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from steelwatch.accounts.roles import Department


class ListKind(models.TextChoices):
    SERIOUS = "serious", _("严重违法失信名单")
    ABNORMAL = "abnormal", _("经营异常名录")


class Entry(models.Model):
    class State(models.TextChoices):
        PROPOSED = "proposed", _("拟列入（提请）")
        NOTIFIED = "notified", _("已告知（陈述申辩期）")
        AWAITING_APPROVAL = "awaiting_approval", _("报上级审批")
        APPROVED = "approved", _("上级已同意")
        DECIDED = "decided", _("已决定列入（待公示）")
        IN_FORCE = "in_force", _("已公示（列入中）")
        REMOVED = "removed", _("期满移出")
        REPAIRED = "repaired", _("信用修复提前移出")
        WITHDRAWN = "withdrawn", _("已撤销")
        NOT_LISTED = "not_listed", _("不予列入")

    class SubjectKind(models.TextChoices):
        ENTERPRISE = "enterprise", _("企业")
        PERSON = "person", _("自然人")

    class Source(models.TextChoices):
        LOCAL = "local", _("本地决定")
        CASE = "case", _("案件提请")
        PLATFORM = "platform", _("信用信息共享平台导入")

    LISTED_STATES = (State.DECIDED, State.IN_FORCE)  # what screening checks against
    CLOSED_STATES = (State.REMOVED, State.REPAIRED, State.WITHDRAWN, State.NOT_LISTED)

    list_kind = models.CharField(_("名单"), max_length=16, choices=ListKind.choices, default=ListKind.SERIOUS)
    subject_kind = models.CharField(
        _("主体类型"), max_length=16, choices=SubjectKind.choices, default=SubjectKind.ENTERPRISE
    )
    state = models.CharField(_("状态"), max_length=24, choices=State.choices, default=State.PROPOSED)
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices, default=Source.LOCAL)
    name = models.CharField(_("主体名称"), max_length=128, help_text=_("企业名称或自然人姓名"))
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, db_index=True)
    registration_number = models.CharField(_("原工商注册号"), max_length=15, blank=True, db_index=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=64, blank=True)
    id_ciphertext = models.TextField(blank=True)  # Fernet; never shown, never exported
    id_digest = models.CharField(max_length=64, blank=True, db_index=True)  # keyed HMAC, for matching
    id_masked = models.CharField(_("身份证号码（脱敏）"), max_length=18, blank=True)
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="credit_entries",
        verbose_name=_("台账企业"),
    )
    division = models.ForeignKey(
        "geo.Division", on_delete=models.PROTECT, related_name="+", verbose_name=_("列入机关所在地区")
    )
    reason = models.TextField(_("列入事由"), max_length=2000, blank=True)
    basis = models.CharField(_("列入依据"), max_length=300)
    authority = models.CharField(_("作出决定机关"), max_length=128)
    authority_uscc = models.CharField(_("决定机关统一社会信用代码"), max_length=18, blank=True)
    document_number = models.CharField(_("决定书文号"), max_length=64, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("案件"),
    )
    proposal = models.OneToOneField(
        "cases.BlacklistProposal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="credit_entry",
        verbose_name=_("案件提请"),
    )
    penalty_document = models.CharField(_("行政处罚决定书文号"), max_length=64, blank=True)
    penalty_kind = models.CharField(_("处罚类别"), max_length=64, blank=True)
    penalty_content = models.CharField(_("处罚内容"), max_length=500, blank=True)
    fine_wan = models.DecimalField(
        _("罚款金额（万元）"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    confiscated_wan = models.DecimalField(
        _("没收违法所得、非法财物金额（万元）"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    restriction_ends_on = models.DateField(
        _("相关限制期限届满日"), null=True, blank=True, help_text=_("如限制从业等限制期长于三年，按该期限")
    )
    notice_on = models.DateField(_("告知日期"), null=True, blank=True)
    defence_due = models.DateField(_("陈述申辩截止日"), null=True, blank=True)
    statement = models.TextField(_("当事人陈述申辩"), blank=True, max_length=4000)
    statement_on = models.DateField(_("陈述申辩日期"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_on = models.DateField(_("上级审批日期"), null=True, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    starts_on = models.DateField(_("列入日期"), null=True, blank=True)
    ends_on = models.DateField(_("届满日期"), null=True, blank=True)
    publish_due = models.DateField(_("公示期限"), null=True, blank=True)
    published_on = models.DateField(_("公示日期"), null=True, blank=True)
    removed_on = models.DateField(_("移出日期"), null=True, blank=True)
    removal_reason = models.CharField(_("移出/撤销原因"), max_length=500, blank=True)
    repair_applied_on = models.DateField(_("信用修复申请日期"), null=True, blank=True)
    repair_application = models.TextField(_("信用修复申请内容"), blank=True, max_length=4000)
    measures: "models.ManyToManyField[Measure, EntryMeasure]" = models.ManyToManyField(
        "Measure", through="EntryMeasure", blank=True, related_name="entries", verbose_name=_("联合惩戒措施")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("信用名单条目")
        indexes = [models.Index(fields=["state", "ends_on"])]

    def __str__(self):
        return f"{self.name}（{self.get_list_kind_display()}）"

    @property
    def is_person(self) -> bool:
        return self.subject_kind == self.SubjectKind.PERSON


class EntryEvent(models.Model):
    """One step in an entry's life, for its timeline: who, when, from which state to which, and why."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    on = models.DateField(_("日期"))
    kind = models.CharField(max_length=24)
    from_state = models.CharField(max_length=24, blank=True)
    to_state = models.CharField(max_length=24, blank=True)
    text = models.CharField(max_length=300)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.on} {self.text}"


class Measure(models.Model):
    """One joint-punishment measure of the catalogue (measure, legal basis, implementing department)."""

    code = models.SlugField(_("编号"), max_length=32, unique=True)
    name = models.CharField(_("惩戒措施"), max_length=200)
    basis = models.CharField(_("法律依据"), max_length=300)
    department = models.CharField(_("实施部门"), max_length=32, choices=Department.choices)
    list_kinds = models.CharField(
        _("适用名单"), max_length=32, default="serious", help_text=_("serious、abnormal，逗号分隔")
    )
    active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("联合惩戒措施")

    def __str__(self):
        return self.name

    def applies_to(self, list_kind: str) -> bool:
        return list_kind in self.list_kinds.split(",")


class EntryMeasure(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="entry_measures")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="entry_measures")

    class Meta:
        unique_together = [("entry", "measure")]
        ordering = ["measure__code"]

    def __str__(self):
        return f"{self.entry_id}:{self.measure_id}"


class MeasureAction(models.Model):
    """What an implementing department did under a measure (refused a licence, excluded from a tender…)."""

    entry_measure = models.ForeignKey(EntryMeasure, on_delete=models.CASCADE, related_name="actions")
    department = models.CharField(_("部门"), max_length=32, choices=Department.choices)
    text = models.CharField(_("实施情况"), max_length=500)
    done_on = models.DateField(_("实施日期"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-done_on", "-pk"]

    def __str__(self):
        return f"{self.done_on} {self.text}"


class NameKey(models.Model):
    """The screening form of an entry's name, recomputed whenever the entry's name changes."""

    entry = models.OneToOneField(Entry, on_delete=models.CASCADE, related_name="name_key")
    cleaned = models.CharField(max_length=160)
    trade_name = models.CharField(max_length=64, db_index=True)
    industry = models.CharField(max_length=32, blank=True)
    pinyin = models.CharField(max_length=200, blank=True)
    place_code = models.CharField(max_length=12, blank=True)
    places = models.CharField(max_length=100, blank=True)

    def __str__(self):
        return self.cleaned


class NameGram(models.Model):
    """The candidate index: a few keys per entry (trade-name bigrams, trade name, its pinyin)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="+")
    gram = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["gram", "entry"])]

    def __str__(self):
        return self.gram


class ScreeningDecision(models.Model):
    """A person's verdict on one screening match: the screened subject is (or is not) the listed one."""

    class Verdict(models.TextChoices):
        MATCH = "match", _("确认为同一主体")
        NO_MATCH = "no_match", _("排除（非同一主体）")

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="screening_decisions")
    subject_key = models.CharField(max_length=64, db_index=True)  # keyed hash of the screened subject
    subject_label = models.CharField(_("被筛查主体"), max_length=160)  # name and USCC, never an ID number
    verdict = models.CharField(_("判定"), max_length=16, choices=Verdict.choices)
    reason = models.CharField(_("理由"), max_length=500)
    context = models.CharField(_("筛查场景"), max_length=64, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]

    def __str__(self):
        return f"{self.subject_label}: {self.verdict}"
