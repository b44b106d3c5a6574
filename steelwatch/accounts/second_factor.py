"""The second factor: TOTP (django-otp) with one-time recovery codes, required for the capabilities in
`roles.SECOND_FACTOR_CAPABILITIES` and optional for everyone else. Every enrolment is audited."""

import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from steelwatch.core.audit import audit_record

from .roles import needs_second_factor

RECOVERY_CODES = 8
WRONG_CODE = _lazy("动态口令或恢复码不正确")


def second_factor_enforced() -> bool:
    return getattr(settings, "SECOND_FACTOR", "required") == "required"


def must_verify(user) -> str:
    """What a signed-in user must do before going on: "verify", "enrol" or "" (nothing)."""
    if not second_factor_enforced() or not user.is_authenticated or user.is_verified():
        return ""
    if user_has_device(user, confirmed=True):
        return "verify"
    return "enrol" if needs_second_factor(user) else ""


def pending_totp(user) -> TOTPDevice:
    """The unconfirmed TOTP device being enrolled (one per user; a new one replaces none confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=_("动态口令"), confirmed=False)


def qr_data_uri(device: TOTPDevice) -> str:
    """The device's otpauth:// URL as an SVG QR code in a data: URI (drawn here: no outside service)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


@transaction.atomic
def second_factor_enrol(*, user, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the TOTP device with a code from the app; returns fresh recovery codes (shown once)."""
    if device.user_id != user.pk or device.confirmed:
        raise ValidationError({"token": _("请重新开始绑定")})
    if not device.verify_token((token or "").strip()):
        raise ValidationError({"token": _("动态口令不正确：请输入验证器应用中当前显示的 6 位数字")})
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save()
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=_("恢复码"), confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    audit_record(actor=user, action="second_factor_enrol", target=user, division_code=user.division_id or "")
    return codes


def second_factor_match(user, token: str):
    """The confirmed device (TOTP or a recovery code, used up) that accepts `token`, or None."""
    token = (token or "").strip().replace(" ", "")
    for device in devices_for_user(user, confirmed=True, for_verify=True):
        if device.verify_token(token):
            return device
    return None
