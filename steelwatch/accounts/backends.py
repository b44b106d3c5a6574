"""Password login that locks an account out after repeated failures."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.utils import timezone


class LockoutModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = get_user_model().objects.filter(username=username).first()
        if user is not None and user.locked_until and user.locked_until > timezone.now():
            raise PermissionDenied("locked")  # stops the chain: no backend may log a locked user in
        authenticated = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            return None
        if authenticated is None:
            user.failed_logins += 1
            if user.failed_logins >= settings.LOGIN_FAILURE_LIMIT:
                user.locked_until = timezone.now() + timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
                user.failed_logins = 0
            user.save(update_fields=["failed_logins", "locked_until"])
            return None
        if user.failed_logins or user.locked_until:
            user.failed_logins, user.locked_until = 0, None
            user.save(update_fields=["failed_logins", "locked_until"])
        return authenticated
