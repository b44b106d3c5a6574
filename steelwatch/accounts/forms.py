from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steelwatch.core.forms import EMPTY_LABEL, Form, TextRuleMixin

from .roles import Department


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


class UserForm(Form):
    """A user account as a manager edits it; role and division choices are only what the manager may grant
    (accounts.services checks again)."""

    username = forms.CharField(label=_("用户名"), max_length=150, help_text=_("字母、数字和 @ . + - _"))
    display_name = forms.CharField(label=_("姓名"), max_length=64)
    phone = forms.CharField(label=_("电话"), max_length=32, required=False)
    role = forms.ChoiceField(label=_("角色"))
    department = forms.ChoiceField(label=_("部门"), required=False, help_text=_("仅部门人员填写"))
    division = forms.ChoiceField(label=_("管辖区域"))
    grid = forms.ChoiceField(label=_("负责网格"), required=False, help_text=_("网格员须选择"))

    def __init__(self, *args, actor, role_choices, division_choices, grid_choices, instance=None, **kwargs):
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "username": instance.username,
                    "display_name": instance.display_name,
                    "phone": instance.phone,
                    "role": instance.role,
                    "department": instance.department,
                    "division": instance.division_id,
                    "grid": instance.grid_id or "",
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", EMPTY_LABEL), *role_choices]
        self.fields["department"].choices = [("", EMPTY_LABEL), *Department.choices]
        self.fields["division"].choices = [("", EMPTY_LABEL), *division_choices]
        self.fields["grid"].choices = [("", EMPTY_LABEL), *grid_choices]
        if instance is not None:
            self.fields["username"].disabled = True

    def changes(self) -> dict:
        data = self.cleaned_data
        return {
            "role": data["role"],
            "division_code": data["division"],
            "department": data["department"],
            "display_name": data["display_name"],
            "phone": data["phone"],
            "grid_id": int(data["grid"]) if data["grid"] else None,
        }


class DeactivateForm(Form):
    reason = forms.CharField(label=_("停用原因"), max_length=256)


class ForcedPasswordChangeForm(TextRuleMixin, PasswordChangeForm):
    """Django's password change, saved through accounts.services (which clears the first-login flag)."""

    def save(self, commit=True):
        from .services import user_password_change

        return user_password_change(user=self.user, password=self.cleaned_data["new_password1"])
