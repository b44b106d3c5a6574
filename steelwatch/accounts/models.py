"""Users with a role, a jurisdiction and (for department staff) a department; API tokens."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .roles import Department, Role


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices, default=Role.VIEWER)
    division = models.ForeignKey(
        "geo.Division",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("管辖区域"),
    )
    department = models.CharField(_("部门"), max_length=32, choices=Department.choices, blank=True)
    grid = models.ForeignKey(
        "geo.Grid",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="officers",
        verbose_name=_("负责网格"),
    )
    display_name = models.CharField(_("姓名"), max_length=64, blank=True)
    phone = models.CharField(_("电话"), max_length=32, blank=True)
    must_change_password = models.BooleanField(
        _("首次登录须修改密码"), default=False, help_text=_("由管理员设置或重置的临时密码，登录后须先修改")
    )

    class Meta:
        verbose_name = _("用户")

    def __str__(self):
        return self.display_name or self.username

    @property
    def division_prefix(self) -> str | None:
        """Codes this user may see start with this; None means nothing (no jurisdiction)."""
        if self.is_superuser:
            return ""
        return self.division.prefix if self.division_id else None


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def authenticate(self, raw: str) -> "ApiToken | None":
        token = self.select_related("user", "user__division").filter(digest=_digest(raw)).first()
        if token is None or not token.user.is_active:
            return None
        return token


class ApiToken(models.Model):
    """A bearer token for other systems. Only its SHA-256 digest is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("用途"), max_length=64, blank=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API 令牌")

    def __str__(self):
        return f"{self.user} {self.name}"

    @classmethod
    def issue(cls, user: User, name: str = "") -> tuple["ApiToken", str]:
        raw = "sw_" + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, name=name, digest=_digest(raw)), raw


class LoginFailure(models.Model):
    """One failed password login, counted per account, per client address and per pair of both (as digests:
    no address or guessed name is stored in clear). Unknown usernames are counted exactly like known ones."""

    class Scope(models.TextChoices):
        ACCOUNT = "account"
        CLIENT = "client"
        PAIR = "pair"

    scope = models.CharField(max_length=8, choices=Scope.choices)
    key = models.CharField(max_length=64)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "at"], name="login_failure_lookup")]

    def __str__(self):
        return f"{self.scope} {self.at:%Y-%m-%d %H:%M}"
