"""Cross-cutting records: the audit trail and background jobs with progress."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .fields import DivisionCodeField


class PendingImport(models.Model):
    """An import whose rows are written but not switched on: rows carrying its batch id are not seen. Deleting
    this one row is the switch that makes the whole import appear at once (registry/imports.py)."""

    batch = models.CharField(max_length=32, primary_key=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.batch


class VisibleManager(models.Manager):
    """The default manager of a table a long import writes in batches: rows whose `import_batch` names a pending
    import are not seen (after the switch the batch id stays, as the row's provenance). `staged` (a plain
    manager) sees every row; the related-object accessors of such rows use Django's plain base manager."""

    def get_queryset(self):
        return super().get_queryset().exclude(import_batch__in=PendingImport.objects.values("batch"))


class AuditLog(models.Model):
    """One change to regulated data (or one sensitive read): who, when, what, before and after."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("操作"), max_length=64)
    target_type = models.CharField(_("对象类型"), max_length=64)
    target_id = models.CharField(_("对象编号"), max_length=64)
    division_code = DivisionCodeField(_("行政区划"), max_length=12, blank=True, db_index=True)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    reason = models.TextField(_("原因"), blank=True)
    # Set while the import that wrote the row is not yet switched on (see registry/imports.py).
    import_batch = models.CharField(max_length=32, blank=True, default="", db_index=True, editable=False)

    staged = models.Manager()  # every row, those of an import not yet switched on included
    objects = VisibleManager()

    class Meta:
        default_manager_name = "objects"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        verbose_name = _("审计记录")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"

    def changed_fields(self) -> list[tuple[str, object, object]]:
        before, after = self.before or {}, self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class Job(models.Model):
    """A background task as its starter sees it: progress, message and result."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("运行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("类型"), max_length=64)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.TextField(blank=True)
    params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(null=True, blank=True)
    # The lease: a running job's worker writes `heartbeat_at` every few seconds (and on each progress write);
    # a running job whose heartbeat is older than settings.JOB_LEASE_SECONDS has lost its worker (core.jobs).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=100, blank=True)  # host:pid of the process running it
    task_id = models.CharField(max_length=64, blank=True)  # the task framework's result id
    attempts = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Uploaded files (relative to UPLOAD_DIR) that belong to the job: removed after the retention period.
    files = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("后台任务")
        indexes = [models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self):
        return f"{self.kind} #{self.pk} {self.status}"

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}


class Notification(models.Model):
    """An in-app message to one user (e-mailed too where mail is configured)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    text = models.CharField(_("内容"), max_length=300)
    url = models.CharField(_("链接"), max_length=200, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("通知")

    def __str__(self):
        return self.text
