"""Tips (举报): the public's reports, how they are handled, and the rewards paid for verified ones.

The reporter's identity, contact and payment details live only in `Tip.reporter_ciphertext`
(Fernet, keys from the environment, see `crypto.py`); nothing else in these tables names the reporter.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

REWARD_CAP = Decimal("500000")  # 举报奖励最高 50 万元


class Tip(models.Model):
    class Channel(models.TextChoices):
        WEB = "web", _("网上举报")
        API = "api", _("接口提交")
        PHONE = "phone", _("电话")
        EMAIL = "email", _("电子邮件")
        LETTER = "letter", _("来信")
        WECHAT = "wechat", _("微信")

    STAFF_CHANNELS = (Channel.PHONE, Channel.EMAIL, Channel.LETTER, Channel.WECHAT)

    class Status(models.TextChoices):  # what the reporter sees
        RECEIVED = "received", _("已受理")
        VERIFYING = "verifying", _("核查中")
        VERIFIED = "verified", _("属实")
        NOT_VERIFIED = "not_verified", _("不属实")
        HANDLED = "handled", _("已处理")

    class Located(models.TextChoices):  # how the division was found
        CHOSEN = "chosen", _("举报人选择")
        COORDINATES = "coordinates", _("按坐标匹配")
        STAFF = "staff", _("受理人员指定")

    receipt = models.CharField(_("回执编号"), max_length=20, unique=True)
    key_digest = models.CharField(max_length=64)  # HMAC of the reporter's secret key; the key is never stored
    # HMAC of the one-time token in the submission form: a reloaded or double-clicked form makes no second tip
    submission_digest = models.CharField(max_length=64, blank=True, default="")
    channel = models.CharField(_("举报渠道"), max_length=8, choices=Channel.choices, default=Channel.WEB)
    content = models.TextField(_("举报内容"))
    address = models.CharField(_("地点"), max_length=256)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    occurred = models.CharField(_("发生时间"), max_length=64, blank=True)
    division = models.ForeignKey(
        "geo.Division", on_delete=models.PROTECT, related_name="tips", verbose_name=_("属地")
    )
    located_by = models.CharField(_("属地确定方式"), max_length=12, choices=Located.choices)
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tips",
        verbose_name=_("涉及企业"),
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.RECEIVED)
    has_identity = models.BooleanField(_("实名举报"), default=False)
    reporter_ciphertext = models.TextField(blank=True)  # encrypted JSON: name, phone, contact, payment
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("登记人"),
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("承办人"),
    )
    created_at = models.DateTimeField(_("收到时间"), default=timezone.now, db_index=True)
    handoff_due = models.DateField(_("交办期限"))
    handed_off_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    verify_due = models.DateField(_("核查期限"))
    verified_at = models.DateTimeField(_("核查完成时间"), null=True, blank=True)
    result_note = models.TextField(_("核查结论（举报人可见）"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
        verbose_name=_("合并至"),
    )
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tips",
        verbose_name=_("案件"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("举报")
        constraints = [
            models.UniqueConstraint(
                fields=["submission_digest"],
                condition=~models.Q(submission_digest=""),
                name="tip_submission_once",
            )
        ]

    def __str__(self):
        return self.receipt

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.RECEIVED, self.Status.VERIFYING) and self.merged_into_id is None

    def handoff_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.handed_off_at is None and self.is_open and today > self.handoff_due

    def verify_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.verified_at is None and self.is_open and today > self.verify_due


class TipAttachment(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", _("图片")
        VIDEO = "video", _("视频")

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    path = models.CharField(max_length=200)  # relative to UPLOAD_DIR; never the reporter's file name
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField(_("大小（字节）"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    from_reporter = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def division_id(self):
        return self.tip.division_id


class TipNote(models.Model):
    """An internal note: staff only, never shown to the reporter."""

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("内部备注"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.tip_id}#{self.pk}"


class TipQuestion(models.Model):
    """A question for the reporter, who sees it (and answers) when coming back with receipt and key."""

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="questions")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    question = models.TextField(_("问题"))
    asked_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("回答"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "id"]

    def __str__(self):
        return self.question[:40]


class TipSupplement(models.Model):
    """Material the reporter added later (text; files are attachments)."""

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="supplements")
    text = models.TextField(_("补充内容"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.tip_id}#{self.pk}"


class TipReminder(models.Model):
    """One reminder sent for one deadline on one day: makes `steelwatch tip-reminders` idempotent per day."""

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=8)  # handoff | verify
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tip", "kind", "day"], name="tip_reminder_once_a_day")]

    def __str__(self):
        return f"{self.tip_id} {self.kind} {self.day}"


class PublicSubmission(models.Model):
    """Recent public requests per client (an HMAC of the IP, never the IP): the rate limit, shared by processes."""

    client = models.CharField(max_length=64, db_index=True)
    kind = models.CharField(max_length=8)  # submit | lookup
    at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"


class RewardRule(models.Model):
    """One step of the reward scale (configurable by the office)."""

    code = models.SlugField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("奖励情形"), max_length=100)
    amount = models.DecimalField(
        _("奖励金额（元）"),
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(REWARD_CAP)],
    )
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["-amount"]
        verbose_name = _("奖励标准")

    def __str__(self):
        return _("{name}（{amount:,.0f}元）").format(name=self.name, amount=self.amount)


class Reward(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("待审批")
        APPROVED = "approved", _("已批准")
        PAID = "paid", _("已发放")
        REJECTED = "rejected", _("未批准")

    tip = models.OneToOneField(Tip, on_delete=models.CASCADE, related_name="reward")
    rule = models.ForeignKey(
        RewardRule, on_delete=models.PROTECT, related_name="+", verbose_name=_("奖励情形")
    )
    share_count = models.PositiveSmallIntegerField(_("同时举报人数"), default=1)
    amount = models.DecimalField(
        _("奖励金额（元）"),
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(REWARD_CAP)],
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(_("举报人申领时间"), null=True, blank=True)
    paid_on = models.DateField(_("发放日期"), null=True, blank=True)
    paid_amount = models.DecimalField(
        _("发放金额（元）"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    payment_reference = models.CharField(_("发放凭证号"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("举报奖励")

    def __str__(self):
        return f"{self.tip_id} {self.amount}"

    @property
    def division_id(self):
        return self.tip.division_id
