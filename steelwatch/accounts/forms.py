from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steelwatch.core.forms import TextRuleMixin


class LockoutAuthenticationForm(TextRuleMixin, AuthenticationForm):
    """The same answers for known and unknown usernames: a wrong password and an unknown name read alike,
    and so does a lock-out."""

    error_messages = {
        "invalid_login": _("用户名或密码错误。"),
        "inactive": _("用户名或密码错误。"),
        "locked": _("登录失败次数过多，已临时锁定，请于 %(until)s 后再试。"),
    }

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            until = getattr(self.request, "login_locked_until", None)
            if until is not None:
                raise ValidationError(
                    self.error_messages["locked"],
                    code="locked",
                    params={"until": timezone.localtime(until).strftime("%H:%M")},
                ) from None
            raise
