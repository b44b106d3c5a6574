from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steelwatch.core.forms import TextRuleMixin


class LockoutAuthenticationForm(TextRuleMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码错误。"),
        "inactive": _("该账户已停用。"),
        "locked": _("连续登录失败次数过多，账户已临时锁定，请于 %(until)s 后再试。"),
    }

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            user = get_user_model().objects.filter(username=self.cleaned_data.get("username")).first()
            if user is not None and user.locked_until and user.locked_until > timezone.now():
                until = timezone.localtime(user.locked_until).strftime("%H:%M")
                raise ValidationError(
                    self.error_messages["locked"], code="locked", params={"until": until}
                ) from None
            raise
